// Customer data at rest on the file store, end to end: PII and ENCRYPTED values never in the store
// file, read back with the key; a missing key, a wrong key and a tampered value exit 7 with nothing
// printed and the store untouched; rotation; upgrade of a clear-text store; a deleted customer
// unreadable in an older copy read with the current keys; every file ctx writes with customer data 0600.
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {openAdapter} from '../../src/core/storage/open.js'
import {fixture} from '../contract/store-contract.js'
import {BIN, expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {expectNoClearValue} from '../helpers/clear-text.js'

const CS_EXPORT = join(import.meta.dirname, '..', 'fixtures', 'context-service', 'export-compact')

let box: Sandbox

beforeEach(() => {
  box = sandbox('ctx-at-rest-')
})

afterEach(() => box.cleanup())

async function createAda(): Promise<string> {
  const ada = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com', '--json'])
  return ada.json.id as string
}

function storeText(): string {
  return readFileSync(box.storePath, 'utf8')
}

function keyFiles(): string[] {
  const dir = join(box.dir, 'config', 'ctx', 'keys')
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []
}

describe('values at rest in the file store', () => {
  it('keeps every PII value written by create, update, import and seed out of the store file, and reads them back with the key', async () => {
    const id = await createAda()
    await expectRun(box, ['customers', 'update', id, '--last-name', 'Byron', '--json'])
    const csv = join(box.dir, 'people.csv')
    writeFileSync(csv, 'Context_First_Name,Context_Last_Name,Context_Home_Email\nGrace,Hopper,grace@navy.mil\n')
    await expectRun(box, ['import', csv, '--type', 'customer', '--json'])
    await expectRun(box, ['seed', '--customers', '3', '--seed', '7', '--json'])
    const text = storeText()
    expectNoClearValue(text, ['Ada', 'Byron', 'ada@example.com', 'Grace', 'Hopper', 'grace@navy.mil'])
    const seeded = await expectRun(box, ['search', 'type:customer', '--json', '--limit', '100'])
    // Every seeded value of a PII field (the base customer fields but the preferred language).
    for (const customer of seeded.json.items) {
      for (const [field, value] of Object.entries(customer.data as Record<string, unknown>)) {
        if (field !== 'Context_Preferred_Language' && typeof value === 'string' && value.length > 3) expectNoClearValue(text, [value])
      }
    }
    const shown = await expectRun(box, ['customers', 'show', id, '--json'])
    expect(shown.json.data).toMatchObject({Context_First_Name: 'Ada', Context_Last_Name: 'Byron', Context_Work_Email: 'ada@example.com'})
    expect((await expectRun(box, ['search', 'grace@navy.mil', '--json'])).json.items).toHaveLength(1)
    expect((await expectRun(box, ['search', 'Context_Last_Name:byron', '--json'])).json.items.map((item: {id: string}) => item.id)).toEqual([id])
  })

  it('makes the key file 0600 in the config directory on the first write, and says so once on stderr', async () => {
    const first = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])
    const [key] = keyFiles()
    expect(keyFiles()).toHaveLength(1)
    expect(statSync(key).mode & 0o777).toBe(0o600)
    expect(first.stderr).toContain(key)
    expect(first.stderr).toMatch(/back it up/i)
    const second = await expectRun(box, ['customers', 'create', '--first-name', 'Bob', '--json'])
    expect(second.stderr).toBe('')
    const status = await expectRun(box, ['keys', 'status', '--json'])
    expect(status.json).toMatchObject({encrypted: true, keyFile: key, keySource: 'default', keyFound: true, keyMatches: true, keyAgeDays: 0})
    expect(storeText()).toContain(status.json.fingerprint)
  })

  it('exits 7 with nothing printed and the store untouched for a missing key, a wrong key and a tampered value', async () => {
    const id = await createAda()
    const [key] = keyFiles()
    const before = storeText()
    const keyText = readFileSync(key, 'utf8')
    const attempts = async () => {
      const exports = [['export', '--format', 'jsonl'], ['export', '--type', 'customer', '--format', 'csv'], ['customers', 'list']]
      for (const args of [['customers', 'show', id, '--json'], ['search', 'ada', '--json'], ['customers', 'update', id, '--first-name', 'Eve', '--json'], ...exports]) {
        const result = await box.run(args)
        expect(result.code, args.join(' ')).toBe(7)
        // Under --json only the error object; otherwise nothing at all, not even a CSV header.
        if (args.includes('--json')) expect(Object.keys(JSON.parse(result.stdout)), args.join(' ')).toEqual(['error'])
        else expect(result.stdout, args.join(' ')).toBe('')
        expect(storeText()).toBe(before)
      }
    }
    // Missing.
    writeFileSync(`${key}.away`, keyText)
    const {rmSync} = await import('node:fs')
    rmSync(key)
    await attempts()
    const missing = await box.run(['customers', 'show', id])
    expect(missing.stderr).toContain(JSON.parse(before).keyring.kek)
    // Wrong: another store's key.
    const other = sandbox('ctx-at-rest-other-')
    try {
      await expectRun(other, ['customers', 'create', '--first-name', 'Zed', '--json'])
      writeFileSync(key, readFileSync(keyFilesOf(other)[0]))
      await attempts()
    } finally {
      await other.cleanup()
    }
    // Tampered: one character of one sealed value changed, with the right key.
    writeFileSync(key, keyText)
    const document = JSON.parse(before)
    const sealed = document.objects[id].data.Context_First_Name
    sealed.sealed = `${sealed.sealed.slice(0, 20)}${sealed.sealed[20] === 'A' ? 'B' : 'A'}${sealed.sealed.slice(21)}`
    const tampered = JSON.stringify(document)
    writeFileSync(box.storePath, tampered)
    const shown = await box.run(['customers', 'show', id, '--json'])
    expect(shown.code).toBe(7)
    expect(shown.stdout).not.toContain('Lovelace')
    expect(storeText()).toBe(tampered)
  })

  it('rotates: the data keys wrapped under a new key, the old key refused afterwards, the values unchanged', async () => {
    const id = await createAda()
    const [key] = keyFiles()
    const oldKey = readFileSync(key)
    const objectsBefore = JSON.parse(storeText()).objects
    const rotated = await expectRun(box, ['keys', 'rotate', '--json'])
    expect(rotated.json.from).not.toBe(rotated.json.to)
    expect(rotated.json.keyFile).toBe(key)
    expect(JSON.parse(storeText()).objects).toEqual(objectsBefore)
    expect((await expectRun(box, ['customers', 'show', id, '--json'])).json.data.Context_First_Name).toBe('Ada')
    const oldCopy = join(box.dir, 'old.key')
    writeFileSync(oldCopy, oldKey)
    const refused = await box.run(['customers', 'show', id, '--json', '--key-file', oldCopy])
    expect(refused.code).toBe(7)
    expect(refused.stdout).not.toContain('Ada')
  })

  it('forgets a deleted customer in an older copy of the store read with the current keys, and keeps the others readable', async () => {
    const ada = await createAda()
    const grace = (await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--last-name', 'Hopper', '--json'])).json.id
    const backup = storeText()
    await expectRun(box, ['customers', 'delete', ada, '--force', '--json'])
    const current = JSON.parse(storeText())
    expect(Object.keys(current.keyring.keys)).not.toContain(`customer:${ada}`)
    // The backup's objects with the store's current keyring: what restoring old data under today's keys gives.
    const restored = JSON.parse(backup)
    restored.keyring = current.keyring
    const restoredPath = join(box.dir, 'restored.json')
    writeFileSync(restoredPath, JSON.stringify(restored))
    const key = keyFiles()[0]
    const forgotten = await box.run(['customers', 'show', ada, '--json', '--store', restoredPath, '--key-file', key])
    expect(forgotten.code).toBe(7)
    expect(forgotten.stdout).not.toContain('Lovelace')
    const kept = await expectRun(box, ['customers', 'show', grace, '--json', '--store', restoredPath, '--key-file', key])
    expect(kept.json.data.Context_Last_Name).toBe('Hopper')
  })

  it('refuses (exit 2) what an encrypted field cannot answer exactly, naming the field', async () => {
    await createAda()
    const range = await box.run(['search', 'Context_Last_Name:"ada king lovelace"', '--json'])
    expect(range.code).toBe(2)
    expect(range.stdout).toContain('Context_Last_Name')
    expect((await expectRun(box, ['search', 'Context_Work_Email:ada@example.com', '--json'])).json.items).toHaveLength(1)
  })
})

describe('a store written before encryption', () => {
  async function clearStore(count: number): Promise<string[]> {
    const adapter = await openAdapter(box.storePath, {clock: systemClock})
    const customers = Array.from({length: count}, (_, index) => fixture('customer', {data: {Context_First_Name: `Clear${index}`, Context_Last_Name: 'Plaintext'}}))
    await adapter.transaction((tx) => tx.insert(customers))
    await adapter.close()
    writeFileSync(box.storePath, storeText().replace(/"version":\d+/, '"version":1'))
    return customers.map((customer) => customer.id)
  }

  it('is refused until upgraded (exit 7), then encrypted in one replace with nothing lost', async () => {
    const ids = await clearStore(5)
    const refused = await box.run(['customers', 'show', ids[0], '--json'])
    expect(refused.code).toBe(7)
    const upgraded = await expectRun(box, ['store', 'upgrade', '--json'])
    expect(upgraded.json).toMatchObject({from: 1, to: 3})
    expectNoClearValue(storeText(), ['Clear0', 'Plaintext'])
    for (const [index, id] of ids.entries()) {
      expect((await expectRun(box, ['customers', 'show', id, '--json'])).json.data).toEqual({Context_First_Name: `Clear${index}`, Context_Last_Name: 'Plaintext'})
    }
    expect((await expectRun(box, ['search', 'plaintext', '--json', '--limit', '100'])).json.items).toHaveLength(5)
  })

  it('is either as it was or wholly encrypted when the upgrade is killed, and a second upgrade finishes it', async () => {
    const ids = await clearStore(4000)
    const before = storeText()
    const child = spawn(process.execPath, [BIN, 'store', 'upgrade', '--json'], {env: {...box.env, CTX_STORE: box.storePath}, stdio: 'ignore'})
    // Listened to at once: an upgrade that ends within the wait would close unheard, and the test hang.
    const closed = new Promise((resolve) => child.once('close', resolve))
    await new Promise((resolve) => setTimeout(resolve, 400))
    child.kill('SIGKILL')
    await closed
    const after = storeText()
    if (after !== before) expectNoClearValue(after, ['Plaintext'])
    await expectRun(box, ['store', 'upgrade', '--json'])
    expectNoClearValue(storeText(), ['Plaintext'])
    expect((await expectRun(box, ['customers', 'show', ids[3999], '--json'])).json.data.Context_First_Name).toBe('Clear3999')
    expect((await expectRun(box, ['store', 'info', '--json'])).json.counts.customer).toBe(4000)
  })
})

describe('files ctx writes with customer data', () => {
  it('creates exports, rejects files, the recent list and key files 0600', async () => {
    await createAda()
    const out = join(box.dir, 'out.csv')
    await expectRun(box, ['export', '--type', 'customer', '-o', out, '--json'])
    const csv = join(box.dir, 'bad.csv')
    writeFileSync(csv, 'id,Context_First_Name\nnot-a-uuid,Grace\n')
    const rejects = join(box.dir, 'bad.rejects.csv')
    writeFileSync(rejects, 'old\n', {mode: 0o644})
    expect((await box.run(['import', csv, '--type', 'customer', '--rejects', rejects, '--json'])).json.rejected).toBe(1)
    const recent = join(box.dir, 'config', 'ctx', 'recent.json')
    for (const file of [out, rejects, recent, ...keyFiles(), box.storePath]) expect(statSync(file).mode & 0o777, file).toBe(0o600)
    expect(readFileSync(out, 'utf8')).toContain('Lovelace')
  })

  it('creates inferred and exported definitions files and Context Service export files 0600, also over older files', async () => {
    await createAda()
    const inferred = join(box.dir, 'inferred.json')
    const exported = join(box.dir, 'exported.json')
    for (const file of [inferred, exported]) writeFileSync(file, '{}\n', {mode: 0o644})
    await expectRun(box, ['fields', 'infer', CS_EXPORT, '-o', inferred])
    expect(JSON.parse(readFileSync(inferred, 'utf8')).fields.length).toBeGreaterThan(0)
    await expectRun(box, ['fields', 'apply', '-f', inferred])
    await expectRun(box, ['fields', 'export', '-o', exported])
    expect(JSON.parse(readFileSync(exported, 'utf8')).fields.length).toBeGreaterThan(0)
    const dir = join(box.dir, 'cs-out')
    await expectRun(box, ['export', '--format', 'cs-json', '-o', dir, '--json'])
    const files = readdirSync(dir).map((name) => join(dir, name))
    expect(files.length).toBeGreaterThan(0)
    for (const file of [inferred, exported, ...files]) expect(statSync(file).mode & 0o777, file).toBe(0o600)
    expect(readFileSync(join(dir, 'customer.json'), 'utf8')).toContain('Lovelace')
  })
})

function keyFilesOf(other: Sandbox): string[] {
  const dir = join(other.dir, 'config', 'ctx', 'keys')
  return readdirSync(dir).map((name) => join(dir, name))
}
