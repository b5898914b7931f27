// ctx import and ctx export through the built CLI: exit codes 0/5/6, --json summaries, rejects
// files beside the input, files out, Context Service export directories with the definitions they
// need, and imports killed mid-way then finished with --upsert.
import {execFileSync, spawn} from 'node:child_process'
import {copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {BIN, expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore} from '../helpers/store.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import')
const CS_EXPORT = join(import.meta.dirname, '..', 'fixtures', 'context-service', 'export-compact')
const NOW = '2026-03-01T09:00:00.000Z'
let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

function copy(name: string): string {
  const target = join(box.dir, name)
  copyFileSync(join(FIXTURES, name), target)
  return target
}

/** The Context Service export fixture, copied into the sandbox (rejects land beside it). */
function copyExport(): string {
  const target = join(box.dir, 'cs-export')
  cpSync(CS_EXPORT, target, {recursive: true})
  return target
}

/** What an admin does first: infer the definitions the export needs, and apply them. */
async function applyInferred(dir: string, store?: string): Promise<void> {
  const defs = join(box.dir, 'defs.json')
  const on = store === undefined ? [] : ['--store', store]
  await expectRun(box, ['fields', 'infer', dir, '-o', defs, ...on], 0)
  await expectRun(box, ['fields', 'apply', '-f', defs, ...on], 0)
}

describe('ctx import', () => {
  it('imports a CSV and prints the summary as JSON (exit 0)', async () => {
    const {json} = await expectRun(box, ['import', copy('utf8-names.csv'), '--type', 'customer', '--json'], 0, {now: NOW})
    expect(json).toMatchObject({format: 'csv', type: 'customer', read: 3, created: 3, updated: 0, rejected: 0, rejectsFile: null, dryRun: false})
    expect(typeof json.seconds).toBe('number')
    expect((await readStore(box.storePath)).map((object) => object.data.Context_First_Name)).toEqual(['Zoë', '李', 'Ørjan'])
  })

  it('lands the good rows of a messy file, explains the bad ones beside it, and exits 6', async () => {
    const file = copy('ragged.csv')
    const result = await expectRun(box, ['import', file, '--type', 'customer'], 6, {now: NOW})
    expect(result.stdout).toContain('2 created')
    expect(result.stderr).toContain('line 3: the row has 2 cells where the header has 3')
    const rejects = join(box.dir, 'ragged.rejects.csv')
    expect(result.stderr).toContain(rejects)
    expect(readFileSync(rejects, 'utf8').split('\n')[0]).toBe('_line,_reason,externalId,Context_First_Name,Context_Last_Name')
    expect(await readStore(box.storePath)).toHaveLength(2)
  })

  it('says which rows are stored when the rejects file fails mid-way (exit 7), as a full disk would make it', async () => {
    // Rejects are written once their rows committed. A file size limit (ulimit -f, in KiB) past the
    // store's size and short of the rejects' makes the rejects file fail while the rows are stored.
    const rows = [
      ...Array.from({length: 5}, (_, index) => ({type: 'customer', data: {Context_Last_Name: `Good${index}`}})),
      ...Array.from({length: 400}, () => ({type: 'customer', data: {No_Such_Field: 'x'.repeat(200)}})),
    ]
    const file = join(box.dir, 'mixed.jsonl')
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n')
    await box.run(['store', 'info'])
    const result = await new Promise<{code: number | null; stdout: string}>((resolve) => {
      const child = spawn('bash', ['-c', 'ulimit -f 48 && exec "$0" "$@"', process.execPath, BIN, 'import', file, '--json'], {env: {...box.env, CTX_STORE: box.storePath}})
      let stdout = ''
      child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
      child.on('close', (code) => resolve({code, stdout}))
    })
    expect(result.code).toBe(7)
    const {error} = JSON.parse(result.stdout)
    expect(error).toMatchObject({code: 'STORAGE_UNAVAILABLE', where: join(box.dir, 'mixed.rejects.jsonl')})
    expect(error.message).toContain(`the first 405 rows of ${file} were imported before it (5 created, 0 updated, 0 unchanged, 400 rejected)`)
    expect(error.hint).toContain('--upsert')
    expect((await readStore(box.storePath)).map((object) => object.data.Context_Last_Name).sort()).toEqual(['Good0', 'Good1', 'Good2', 'Good3', 'Good4'])
  })

  it('writes into a pipe or a device as it is (-o, --rejects), never putting a file in its place or changing its mode', async () => {
    // As root, -o /dev/null replaced /dev/null with a file of customer data, and --rejects /dev/null
    // made it 0600 for everyone. A FIFO stands in for the device: no root needed, nothing shared hurt.
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const fifo = join(box.dir, 'pipe')
    execFileSync('mkfifo', ['-m', '0644', fifo])
    const runs = [
      {args: ['export', '--format', 'jsonl', '-o', fifo], code: 0, says: '"Ada"'},
      {args: ['fields', 'export', '-o', fifo], code: 0, says: '"fieldsets"'},
      {args: ['import', copy('ragged.csv'), '--type', 'customer', '--rejects', fifo], code: 6, says: 'reason'},
    ]
    for (const {args, code, says} of runs) {
      const reader = spawn('cat', [fifo])
      try {
        const read = new Promise<string>((resolve) => {
          let text = ''
          reader.stdout.setEncoding('utf8').on('data', (chunk) => (text += chunk))
          reader.on('close', () => resolve(text))
        })
        await expectRun(box, args, code)
        const after = lstatSync(fifo)
        expect(after.isFIFO(), args.join(' ')).toBe(true)
        expect(after.mode & 0o777, args.join(' ')).toBe(0o644)
        expect(await read).toContain(says)
      } finally {
        reader.kill()
      }
    }
  })

  it('writes through a symbolic link (-o latest.jsonl, -o /dev/fd/3): the file it names gets the export, the link stays', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const weekly = join(box.dir, 'week-49.jsonl')
    writeFileSync(weekly, 'last week\n')
    const latest = join(box.dir, 'latest.jsonl')
    symlinkSync(weekly, latest)
    await expectRun(box, ['export', '-o', latest])
    expect(lstatSync(latest).isSymbolicLink()).toBe(true)
    expect(readFileSync(weekly, 'utf8')).toContain('"Ada"')
    expect(statSync(weekly).mode & 0o777).toBe(0o600)
    const held = join(box.dir, 'held.jsonl')
    execFileSync('bash', ['-c', `"$NODE" "$BIN" export --format jsonl -o /dev/fd/3 3>"${held}"`], {env: {...box.env, CTX_STORE: box.storePath, NODE: process.execPath, BIN}})
    expect(readFileSync(held, 'utf8')).toBe(readFileSync(weekly, 'utf8'))
    expect(readdirSync(box.dir).filter((name) => name.includes('.partial-'))).toEqual([])
  })

  it('exits 6 with the summary on stdout under --json', async () => {
    const {json} = await expectRun(box, ['import', copy('ragged.csv'), '--type', 'customer', '--json', '--rejects', join(box.dir, 'bad.csv')], 6)
    expect(json).toMatchObject({created: 2, rejected: 2, rejectsFile: join(box.dir, 'bad.csv')})
  })

  it('refuses --rejects naming no file (exit 2) before storing any row', async () => {
    const result = await expectRun(box, ['import', copy('ragged.csv'), '--type', 'customer', '--rejects', '', '--json'], 2)
    expect(result.json.error.message).toBe('--rejects names no file')
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('refuses a rejects file it could not write (exit 7) before storing any row', async () => {
    // Rejects are written once their rows committed: found out then, the good rows were stored under an exit 7.
    mkdirSync(join(box.dir, 'a-directory'))
    for (const rejects of [join(box.dir, 'a-directory'), join(box.dir, 'missing', 'bad.csv')]) {
      const result = await expectRun(box, ['import', copy('ragged.csv'), '--type', 'customer', '--rejects', rejects, '--json'], 7)
      expect(result.json.error).toMatchObject({code: 'STORAGE_UNAVAILABLE', where: rejects})
      expect(result.stderr).toContain('nothing was imported')
      expect(existsSync(box.storePath)).toBe(false)
    }
    // A dry run without --rejects writes no rejects file, so it needs no place for one.
    mkdirSync(join(box.dir, 'ragged.rejects.csv'))
    await expectRun(box, ['import', copy('ragged.csv'), '--type', 'customer', '--dry-run'], 6)
  })

  it('refuses a rejects file that is a file being imported (exit 2), which it would overwrite as it reads it', async () => {
    const file = copy('ragged.csv')
    const before = readFileSync(file, 'utf8')
    const result = await expectRun(box, ['import', file, '--type', 'customer', '--rejects', file, '--json'], 2)
    expect(result.json.error).toMatchObject({code: 'USAGE', where: file})
    expect(readFileSync(file, 'utf8')).toBe(before)
    const dir = copyExport()
    const customers = readFileSync(join(dir, 'customer.json'), 'utf8')
    await expectRun(box, ['import', dir, '--rejects', join(dir, 'customer.json')], 2)
    expect(readFileSync(join(dir, 'customer.json'), 'utf8')).toBe(customers)
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('refuses an unknown column (exit 5) naming it, and writes nothing', async () => {
    const result = await expectRun(box, ['import', copy('unknown-column.csv'), '--type', 'customer', '--json'], 5)
    expect(result.json.error).toMatchObject({code: 'INVALID_DATA', details: {columns: ['"Shoe_Size"']}})
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('stops at an unclosed quote (exit 5) naming the line, and the store is as it was', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Before'], 0)
    const before = readFileSync(box.storePath, 'utf8')
    const result = await expectRun(box, ['import', copy('unclosed-quote.csv'), '--type', 'customer'], 5)
    expect(result.stderr).toContain('unclosed-quote.csv:3')
    expect(readFileSync(box.storePath, 'utf8')).toBe(before)
  })

  it('reads a file over 1 MiB (parsed on a worker thread) whole: CRLF, quoted commas and empty cells, a ragged row rejected by line', async () => {
    const rows = ['externalId,Context_First_Name,Context_Last_Name,Context_City']
    for (let n = 0; n < 30_000; n++) rows.push(n === 20_000 ? `big-${n},Short Row` : `big-${n},Ada,"Love, lace ${n}",${n % 2 ? '""' : 'Oslo'}`)
    const file = join(box.dir, 'big.csv')
    writeFileSync(file, `${rows.join('\r\n')}\r\n`)
    expect(readFileSync(file).length).toBeGreaterThan(1024 * 1024)
    const {json} = await expectRun(box, ['import', file, '--type', 'customer', '--json'], 6, {now: NOW})
    expect(json).toMatchObject({read: 30_000, created: 29_999, rejected: 1, firstRejects: [{line: 20_002}], layout: {lineEnding: '\r\n'}})
    const stored = await readStore(box.storePath)
    expect(stored).toHaveLength(29_999)
    const last = stored.find((object) => object.externalId === 'big-29999')!
    expect(last.data).toMatchObject({Context_Last_Name: 'Love, lace 29999'})
    // Written "": an empty string (a bare empty cell would mean no value).
    expect(last.data.Context_City).toBe('')
    expect(stored.find((object) => object.externalId === 'big-29998')!.data.Context_City).toBe('Oslo')
  })

  it('stops at an unclosed quote near the end of a file over 1 MiB (exit 5) naming the line, and stores nothing', async () => {
    const rows = ['externalId,Context_First_Name']
    for (let n = 0; n < 60_000; n++) rows.push(`big-${n},Ada`)
    const file = join(box.dir, 'big-unclosed.csv')
    writeFileSync(file, `${rows.join('\n')}\n"never closed,x\n`)
    const result = await expectRun(box, ['import', file, '--type', 'customer', '--json'], 5)
    expect(result.json.error).toMatchObject({code: 'INVALID_DATA', where: `${file}:60002`, details: {line: 60_002}})
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('writes nothing in a dry run', async () => {
    const {json} = await expectRun(box, ['import', copy('bom.csv'), '--type', 'customer', '--dry-run', '--json'], 0)
    expect(json).toMatchObject({dryRun: true, created: 2})
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('needs --type for a CSV (exit 2) and a file that exists (exit 3)', async () => {
    await expectRun(box, ['import', copy('bom.csv')], 2)
    await expectRun(box, ['import', join(box.dir, 'missing.csv'), '--type', 'customer'], 3)
  })

  it('refuses a Context Service export whose definitions the store lacks, naming them (exit 6), then imports it once they are applied', async () => {
    const dir = copyExport()
    const refused = await expectRun(box, ['import', dir], 6, {now: NOW})
    expect(refused.stderr).toContain(`${join(dir, 'customer.json')} element 0: customer 3f1a2b4c-5d6e-11e7-9598-0800200c9a66: fieldsets names unknown fieldset "acme.profile"`)
    const rejects = join(box.dir, 'cs-export.rejects.json')
    expect(refused.stderr).toContain(rejects)
    expect(statSync(rejects).mode & 0o777).toBe(0o600)

    const inferred = await expectRun(box, ['fields', 'infer', dir, '--json'], 0)
    expect(inferred.json.definitions.fieldsets).toEqual([expect.objectContaining({id: 'acme.profile'})])
    await applyInferred(dir)
    const {json} = await expectRun(box, ['import', dir, '--json'], 0, {now: NOW})
    expect(json).toMatchObject({format: 'cs-json', read: 7, created: 7, rejected: 0})
    expect(json.files.map((file: {file: string; created: number}) => [file.file, file.created])).toEqual([
      [join(dir, 'customer.json'), 2],
      [join(dir, 'request.json'), 1],
      [join(dir, 'pod.json'), 2],
      [join(dir, 'detail.comment.json'), 1],
      [join(dir, 'detail.feedback.json'), 1],
    ])
    const stored = await readStore(box.storePath)
    expect(stored.map((object) => object.type)).toEqual(['customer', 'customer', 'request', 'activity', 'activity', 'comment', 'feedback'])
    const found = await expectRun(box, ['search', 'Context_ZIP:90210', '--json'], 0)
    expect(found.json.items.map((item: {id: string}) => item.id)).toEqual(['3f1a2b4c-5d6e-11e7-9598-0800200c9a66'])
  })

  it('imports Cisco\'s own sample customer.json', async () => {
    const file = join(box.dir, 'customer.json')
    copyFileSync(join(CS_EXPORT, '..', 'cisco-sample', 'customer.json'), file)
    const {json} = await expectRun(box, ['import', file, '--json'], 0, {now: NOW})
    expect(json).toMatchObject({format: 'cs-json', read: 1, created: 1, rejected: 0})
    expect((await readStore(box.storePath))[0].data).toMatchObject({Context_ZIP: '90210', Context_City: 'Detroit'})
  })
})

describe('ctx export --format cs-json', () => {
  it('writes the export directory back, 0600, and it imports into another store as the same objects', async () => {
    const dir = copyExport()
    await applyInferred(dir)
    await expectRun(box, ['import', dir], 0, {now: NOW})
    const out = join(box.dir, 'out')
    const {json} = await expectRun(box, ['export', '--format', 'cs-json', '-o', out, '--json'], 0)
    expect(json).toMatchObject({format: 'cs-json', exported: 7, file: out})
    for (const file of ['customer.json', 'request.json', 'pod.json', 'detail.comment.json', 'detail.feedback.json']) {
      expect(statSync(join(out, file)).mode & 0o777, file).toBe(0o600)
    }
    const other = join(box.dir, 'other.json')
    await applyInferred(out, other)
    await expectRun(box, ['import', out, '--store', other], 0)
    expect((await expectRun(box, ['export', '--store', other], 0)).stdout).toBe((await expectRun(box, ['export'], 0)).stdout)
  })

  it('refuses a place it cannot write (exit 7) naming it, and leaves no partial file', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const file = join(box.dir, 'a-file')
    writeFileSync(file, 'not a directory\n')
    mkdirSync(join(box.dir, 'a-directory.jsonl'))
    const places = [
      ['export', '--format', 'cs-json', '-o', file],
      ['export', '--format', 'cs-json', '-o', join(file, 'cs')],
      ['export', '-o', join(file, 'out.jsonl')],
      ['export', '-o', join(box.dir, 'a-directory.jsonl')],
      ['fields', 'export', '-o', join(file, 'defs.json')],
    ]
    for (const args of places) {
      const result = await expectRun(box, [...args, '--json'], 7)
      expect(result.json.error).toMatchObject({code: 'STORAGE_UNAVAILABLE', where: args.at(-1)})
    }
    const said = async (args: string[]) => (await expectRun(box, [...args, '--json'], 7)).json.error.message
    expect(await said(places[0])).toBe(`cannot write ${file}: it is a file, not a directory`)
    expect(await said(places[1])).toBe(`cannot write ${join(file, 'cs')}: a part of its path is a file, not a directory`)
    expect(readdirSync(box.dir).filter((name) => name.includes('.partial-'))).toEqual([])
  })

  it('refuses --type with cs-json, and cs-json without -o (exit 2)', async () => {
    await expectRun(box, ['export', '--format', 'cs-json', '-o', join(box.dir, 'x'), '--type', 'customer'], 2)
    await expectRun(box, ['export', '--format', 'cs-json'], 2)
  })
})

describe('ctx export', () => {
  it('moves a whole store with custom fields out and back in, byte for byte: the export carries its definitions', async () => {
    const dir = copyExport()
    await applyInferred(dir)
    await expectRun(box, ['import', dir], 0, {now: NOW})
    const first = join(box.dir, 'first.jsonl')
    const {json} = await expectRun(box, ['export', '-o', first, '--json'], 0)
    expect(json).toMatchObject({format: 'jsonl', exported: 7, file: first, definitions: true})
    expect(statSync(first).mode & 0o777).toBe(0o600)
    const other = join(box.dir, 'other.json')
    await expectRun(box, ['import', first, '--store', other], 0)
    const second = await expectRun(box, ['export', '--store', other], 0)
    expect(second.stdout).toBe(readFileSync(first, 'utf8'))
    // Left out on request, the store that lacks them refuses the objects.
    const bare = join(box.dir, 'bare.jsonl')
    await expectRun(box, ['export', '-o', bare, '--no-definitions'], 0)
    await expectRun(box, ['import', bare, '--store', join(box.dir, 'third.json')], 6)
    await expectRun(box, ['import', first, '--store', join(box.dir, 'fourth.json'), '--no-definitions'], 6)
  })

  it('fields export writes the store\'s own definitions, which another store applies', async () => {
    const dir = copyExport()
    await applyInferred(dir)
    const defs = join(box.dir, 'own.json')
    const said = await expectRun(box, ['fields', 'export', '-o', defs], 0)
    const written = JSON.parse(readFileSync(defs, 'utf8'))
    expect(written.fieldsets.map((fieldset: {id: string}) => fieldset.id)).toEqual(['acme.profile'])
    expect(said.stdout).toContain(`fields and 1 fieldset to ${defs}.`)
    expect(written.fields.every((field: {id: string}) => field.id.startsWith('Acme_'))).toBe(true)
    const other = join(box.dir, 'other.json')
    await expectRun(box, ['fields', 'apply', '-f', defs, '--store', other], 0)
    await expectRun(box, ['import', dir, '--store', other], 0)
  })

  it('writes a CSV of one type to a file chosen by extension, with a BOM when asked', async () => {
    await expectRun(box, ['import', copy('formula.csv'), '--type', 'customer'], 0)
    const out = join(box.dir, 'customers.csv')
    await expectRun(box, ['export', '--type', 'customer', '-o', out, '--bom'], 0)
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('\uFEFFid,externalId,')).toBe(true)
    expect(text).toContain(`'=HYPERLINK`)
    expect(existsSync(`${out}.partial-${process.pid}`)).toBe(false)
  })

  it('refuses to write an export, a definitions file or rejects over the file store itself or its key file (exit 2)', async () => {
    const store = join(box.dir, 'store.json')
    const key = join(box.dir, 'store.key')
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--store', store, '--key-file', key])
    const before = [readFileSync(store, 'utf8'), readFileSync(key, 'utf8')]
    for (const file of [store, key]) {
      const writes = [
        ['export', '--format', 'jsonl', '-o', file],
        ['fields', 'export', '-o', file],
        ['fields', 'infer', copyExport(), '-o', file],
        ['import', copy('ragged.csv'), '--type', 'customer', '--rejects', file],
      ]
      for (const args of writes) {
        const result = await expectRun(box, [...args, '--store', store, '--key-file', key, '--json'], 2)
        expect(result.json.error).toMatchObject({code: 'USAGE', where: file})
      }
    }
    expect([readFileSync(store, 'utf8'), readFileSync(key, 'utf8')]).toEqual(before)
    expect((await expectRun(box, ['customers', 'list', '--store', store, '--key-file', key, '--json'])).json.items).toHaveLength(1)
  })

  it('writes -o naming stdout (-, /dev/stdout, the file stdout goes to) as stdout: the data alone, no summary in it', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const shell = (script: string) => execFileSync('bash', ['-c', script], {env: {...box.env, CTX_STORE: box.storePath, NODE: process.execPath, BIN}, encoding: 'utf8'})
    const whole = (await expectRun(box, ['export', '--format', 'jsonl'])).stdout
    expect(whole).toMatch(/^\{"id":/)
    for (const command of ['export -o -', 'export --format jsonl -o /dev/stdout']) expect(shell(`"$NODE" "$BIN" ${command} | cat`), command).toBe(whole)
    const csv = shell('"$NODE" "$BIN" export --type customer --format csv -o /dev/stdout | cat')
    expect(csv.split('\n').filter(Boolean).map((line) => line.split(',')[0])).toEqual(['id', JSON.parse(whole.split('\n')[0]).id])
    const file = join(box.dir, 'same.jsonl')
    expect(shell(`"$NODE" "$BIN" export -o "${file}" > "${file}"`)).toBe('')
    expect(readFileSync(file, 'utf8')).toBe(whole)
    expect(shell('"$NODE" "$BIN" fields export -o - | cat')).toBe((await expectRun(box, ['fields', 'export'])).stdout)
    await expectRun(box, ['export', '-o', '-', '--json'], 2)
    for (const args of [['export'], ['fields', 'export']]) expect((await expectRun(box, [...args, '-o', '', '--json'], 2)).json.error.message).toBe('-o names no file')
  })

  it('refuses CSV without --type, and --json without -o (exit 2)', async () => {
    await expectRun(box, ['export', '--format', 'csv'], 2)
    await expectRun(box, ['export', '--json'], 2)
  })
})

describe('an import killed mid-way', () => {
  it('finishes on a re-run with --upsert: every row once, none lost', async () => {
    const rows = 60_000
    const file = join(box.dir, 'big.csv')
    const lines = ['externalId,Context_First_Name,Context_City']
    for (let index = 0; index < rows; index++) lines.push(`k-${index},Name ${index},City ${index % 50}`)
    writeFileSync(file, `${lines.join('\n')}\n`)

    const child = spawn(process.execPath, [BIN, 'import', file, '--type', 'customer', '--upsert'], {env: {...box.env, CTX_STORE: box.storePath}, stdio: 'ignore'})
    const exited = new Promise((resolve) => child.on('exit', resolve))
    // Kill once the import is under way: its lock file appears when the transaction starts.
    while (!existsSync(`${box.storePath}.lock`) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5))
    await new Promise((resolve) => setTimeout(resolve, 300))
    child.kill('SIGKILL')
    await exited

    const {json} = await expectRun(box, ['import', file, '--type', 'customer', '--upsert', '--json'], 0, {env: {CTX_LOCK_TIMEOUT_MS: '30000'}})
    expect(json.read).toBe(rows)
    // The killed run had not finished (the file store writes an import in one go: nothing landed).
    expect(json.created).toBeGreaterThan(0)
    expect(json.created + json.unchanged).toBe(rows)
    const stored = await readStore(box.storePath)
    expect(stored).toHaveLength(rows)
    expect(new Set(stored.map((object) => object.externalId)).size).toBe(rows)
  })

  it('finishes a Context Service export directory on a re-run with --upsert: every object once, links intact', async () => {
    const count = 5000
    const dir = join(box.dir, 'big-export')
    mkdirSync(dir)
    const id = (prefix: string, index: number) => `${prefix}${String(index).padStart(7, '0')}-0000-4000-8000-000000000000`
    const at = '2017-01-01T00:00:00.000+01:00'
    const customers = [], requests = [], pods = []
    for (let index = 0; index < count; index++) {
      customers.push({id: id('c', index), fieldsets: ['cisco.base.customer'], dataElements: [{Context_First_Name: `N${index}`, type: 'string'}], created: at, lastUpdated: at})
      requests.push({id: id('a', index), customerId: id('c', index), fieldsets: ['cisco.base.request'], dataElements: [{Context_Title: `T${index}`, type: 'string'}], created: at, lastUpdated: at})
      pods.push({id: id('b', index), customerId: id('c', index), parentId: id('a', index), mediaType: 'voice', fieldsets: ['cisco.base.pod'], dataElements: [{Context_Notes: `n${index}`, type: 'string'}], created: at, lastUpdated: at})
    }
    writeFileSync(join(dir, 'customer.json'), JSON.stringify(customers))
    writeFileSync(join(dir, 'request.json'), JSON.stringify(requests))
    writeFileSync(join(dir, 'pod.json'), JSON.stringify(pods))

    const child = spawn(process.execPath, [BIN, 'import', dir, '--upsert'], {env: {...box.env, CTX_STORE: box.storePath}, stdio: 'ignore'})
    const exited = new Promise((resolve) => child.on('exit', resolve))
    while (!existsSync(`${box.storePath}.lock`) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5))
    await new Promise((resolve) => setTimeout(resolve, 300))
    child.kill('SIGKILL')
    await exited

    const {json} = await expectRun(box, ['import', dir, '--upsert', '--json'], 0, {env: {CTX_LOCK_TIMEOUT_MS: '30000'}})
    expect(json.read).toBe(3 * count)
    expect(json.created + json.unchanged).toBe(3 * count)
    expect(json.files.map((file: {read: number}) => file.read)).toEqual([count, count, count])
    const stored = await readStore(box.storePath)
    expect(stored).toHaveLength(3 * count)
    expect(new Set(stored.map((object) => object.id)).size).toBe(3 * count)
    const pod = stored.find((object) => object.id === id('b', count - 1))
    expect(pod).toMatchObject({customerId: id('c', count - 1), parentId: id('a', count - 1), created: '2016-12-31T23:00:00.000Z'})
  })
})
