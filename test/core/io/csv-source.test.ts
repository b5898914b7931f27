// readCsv on this thread and on its worker thread (a file of WORKER_MIN_BYTES or more): the same
// rows, lines, quoted-empty cells and errors either way, for the csv-spectrum corpus and the ugly
// cases; and a reader given up early, or never read, neither hangs nor holds the process open.
// The worker is csv-worker.ts bundled from source by test/setup/csv-worker.ts: no build needed.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {build} from 'esbuild'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {type CsvRow, QUOTED_EMPTY, readCsv, sniffCsv, WORKER_MIN_BYTES} from '../../../src/core/io/csv-source.js'
import {InvalidDataError} from '../../../src/core/errors.js'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'ctx-csv-source-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

async function rowsOf(path: string, inWorker: boolean): Promise<{rows: CsvRow[]; batches: number; bytes: number}> {
  const layout = await sniffCsv(path)
  const rows: CsvRow[] = []
  let batches = 0
  let bytes = 0
  for await (const batch of readCsv(path, layout, (read) => (bytes = read), inWorker)) {
    batches++
    rows.push(...batch)
  }
  return {rows, batches, bytes}
}

async function failureOf(path: string, inWorker: boolean): Promise<{rows: number; error: unknown}> {
  let rows = 0
  try {
    for await (const batch of readCsv(path, await sniffCsv(path), undefined, inWorker)) rows += batch.length
  } catch (error) {
    return {rows, error}
  }
  throw new Error(`${path} was read without an error`)
}

// The csv-spectrum corpus, from its npm package (a devDependency).
const corpus = join(dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json')), 'csvs')

describe('readCsv on its worker thread', () => {
  it('reads every csv-spectrum file as the main thread does', async () => {
    const names = readdirSync(corpus).filter((name) => name.endsWith('.csv'))
    expect(names.length).toBeGreaterThan(10)
    for (const name of names) {
      const here = await rowsOf(join(corpus, name), false)
      expect(await rowsOf(join(corpus, name), true), name).toEqual(here)
    }
  })

  it('keeps BOM, CRLF, lone CR, quoted newlines, quoted empty cells, ragged rows and blank lines as the main thread does', async () => {
    const path = file('ugly.csv', '\uFEFFa,b,c\r\n1,"",3\r\n\r\n"multi\r\nline",x\r4,5,6,7\n"say ""hi""",,\n')
    const inWorker = await rowsOf(path, true)
    expect(inWorker).toEqual(await rowsOf(path, false))
    expect(inWorker.rows).toEqual([
      {line: 1, cells: ['a', 'b', 'c']},
      {line: 2, cells: ['1', QUOTED_EMPTY, '3']},
      {line: 4, cells: ['multi\r\nline', 'x']},
      {line: 6, cells: ['4', '5', '6', '7']},
      {line: 7, cells: ['say "hi"', '', '']},
    ])
  })

  it('numbers rows past blank lines of every line ending, and keeps a line of just "" as a row', async () => {
    const path = file('blank-lines.csv', 'a,b\r\n\r\n\r\n1,2\n\n\n3,4\r\r5,6\n""\n\n7,8\n\n')
    const inWorker = await rowsOf(path, true)
    expect(inWorker).toEqual(await rowsOf(path, false))
    expect(inWorker.rows).toEqual([
      {line: 1, cells: ['a', 'b']},
      {line: 4, cells: ['1', '2']},
      {line: 7, cells: ['3', '4']},
      {line: 9, cells: ['5', '6']},
      {line: 10, cells: [QUOTED_EMPTY]},
      {line: 12, cells: ['7', '8']},
    ])
  })

  it('reads a big file in batches, reporting the bytes read, with the rows in order', async () => {
    const row = (n: number) => `c-${n},"Name, ${n}",${n % 7 === 0 ? '""' : `x${n}`}\n`
    let text = 'externalId,name,note\n'
    for (let n = 0; text.length < WORKER_MIN_BYTES * 1.5; n++) text += row(n)
    const path = file('big.csv', text)
    const here = await rowsOf(path, false)
    const inWorker = await rowsOf(path, true)
    expect(inWorker).toEqual(here)
    expect(inWorker.batches).toBeGreaterThan(WORKER_MIN_BYTES / 65536)
    expect(inWorker.bytes).toBe(Buffer.byteLength(text))
    expect(inWorker.rows.at(-1)!.cells[0]).toBe(`c-${inWorker.rows.length - 2}`)
    expect(inWorker.rows.filter(({cells}) => cells[2] === QUOTED_EMPTY).length).toBe(Math.ceil((inWorker.rows.length - 1) / 7))
  })

  it('reports every byte read, even when the last chunks hold no rows', async () => {
    let text = 'a,b\n'
    while (text.length < WORKER_MIN_BYTES) text += 'one,two\n'
    text += '\n'.repeat(200_000)
    const path = file('blank-tail.csv', text)
    const inWorker = await rowsOf(path, true)
    expect(inWorker.bytes).toBe(Buffer.byteLength(text))
    expect(inWorker).toEqual(await rowsOf(path, false))
  })

  it('ends its thread when stopped before its rows are read', async () => {
    let text = 'a,b\n'
    while (text.length < WORKER_MIN_BYTES * 2) text += 'one,two\n'
    const path = file('stopped.csv', text)
    const terminate = vi.spyOn(Worker.prototype, 'terminate')
    try {
      readCsv(path, await sniffCsv(path), undefined, true).stop()
      expect(terminate).toHaveBeenCalledTimes(1)
    } finally {
      terminate.mockRestore()
    }
  })

  it('ends with the same InvalidDataError, naming the line, after the same rows', async () => {
    let text = 'a,b\n'
    while (text.length < WORKER_MIN_BYTES) text += 'one,two\n'
    const path = file('unclosed.csv', `${text}ok,row\n"never closed,x\nmore\n`)
    const here = await failureOf(path, false)
    const inWorker = await failureOf(path, true)
    expect(inWorker.error).toBeInstanceOf(InvalidDataError)
    const {message, where, hint, details} = inWorker.error as InvalidDataError
    const expected = here.error as InvalidDataError
    expect({message, where, hint, details}).toEqual({message: expected.message, where: expected.where, hint: expected.hint, details: expected.details})
    expect(where).toBe(`${path}:${text.split('\n').length + 1}`)
    expect(inWorker.rows).toBe(here.rows)
  })

  it('keeps every row its thread posted before they were asked for', async () => {
    let text = 'a,b\n'
    while (text.length < WORKER_MIN_BYTES * 2) text += 'one,two\n'
    const path = file('late.csv', text)
    const reader = readCsv(path, await sniffCsv(path), undefined, true)
    // The thread parses ahead as far as it may while, say, the import waits for the store's lock.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    let rows = 0
    for await (const batch of reader) rows += batch.length
    expect(rows).toBe(text.split('\n').length - 1)
  })

  it('stops its thread when the reader gives up after one batch', async () => {
    let text = 'a,b\n'
    while (text.length < WORKER_MIN_BYTES * 2) text += 'one,two\n'
    const path = file('abandoned.csv', text)
    let batches = 0
    for await (const _batch of readCsv(path, await sniffCsv(path), undefined, true)) if (++batches === 1) break
    expect(batches).toBe(1)
  })

  it('does not hold the process open when it is never read', async () => {
    let text = 'a,b\n'
    while (text.length < WORKER_MIN_BYTES * 2) text += 'one,two\n'
    const path = file('unread.csv', text)
    // This module from source, as one file a plain node process can import.
    const module = join(dir, 'csv-source.mjs')
    await build({entryPoints: [join(REPO, 'src/core/io/csv-source.ts')], bundle: true, platform: 'node', format: 'esm', outfile: module, logLevel: 'warning'})
    const script = `import {readCsv} from ${JSON.stringify(module)}
readCsv(${JSON.stringify(path)}, {delimiter: ',', lineEnding: '\\n', bom: false}, undefined, true)
console.log('started')`
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: 20_000})
    expect(result.signal, 'the process exits by itself').toBeNull()
    expect(result.stdout).toBe('started\n')
    expect(result.status).toBe(0)
  })
})
