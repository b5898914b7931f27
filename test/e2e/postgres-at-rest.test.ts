// Customer data at rest on PostgreSQL (and on Citus, where vitest.config.ts runs it again): no PII or
// ENCRYPTED value in `pg_dump` of the store's schema or its tables' rows (the search terms the GIN
// index is built on, the keys table); a missing key, a wrong key and a tampered value each exit 7
// with nothing printed and the store untouched; an upgrade of a clear-text store killed midway and
// run again with nothing lost; and a migration between stores with different keys.
import {execFileSync, spawn} from 'node:child_process'
import {readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import type {ContextObject} from '../../src/core/model.js'
import {openStore} from '../../src/core/storage/open.js'
import {storeSchema} from '../../src/core/storage/postgres/migrations/001-store.js'
import {PostgresStore} from '../../src/core/storage/postgres/store.js'
import {seedSearchFixtures} from '../contract/search-contract.js'
import {fixture} from '../contract/store-contract.js'
import {BIN, expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {admin, describePostgres, PG_URL, testSchema} from '../helpers/postgres.js'
import {expectNoClearValue} from '../helpers/clear-text.js'

/** PII values of the search fixtures (names, emails, phones, notes, comments' display names), as they would appear in clear. */
const PII = ['Lovelace', 'ada@example.com', 'Smithson', 'jane@smithson.org', 'Núñez', 'Zürich', 'called about the refund', 'Agent Smith', '5551234567', '442079460000']

/**
 * `pg_dump` of the store's schema, and every row of its tables as the server hands them out: on a
 * Citus coordinator the dump holds only the tables' empty shells, the rows being in the shards.
 */
async function dump(schema: string): Promise<string> {
  // pg_dump takes no server options in its URL (the tests' Citus URL sets the shard count there).
  const url = new URL(PG_URL)
  url.search = ''
  const text = execFileSync('pg_dump', ['--schema', schema, url.toString()], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
  return `${text}\n${await rows(schema)}`
}

/** Exit 7, and on stdout nothing but, under --json, the error itself: no value of the customer's. */
async function expectRefused(result: {code: number | null; stdout: string}, what: string): Promise<void> {
  expect(result.code, what).toBe(7)
  if (result.stdout === '') return
  expect(JSON.parse(result.stdout).error.exitCode, what).toBe(7)
  expectNoClearValue(result.stdout, ['Ada', 'Lovelace', 'ada@example.com'])
}

/** Every row of every table of the store's schema, as text, in a fixed order: what "untouched" compares. */
async function rows(schema: string): Promise<string> {
  return admin(async (client) => {
    const tables = await client.query<{name: string}>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [schema])
    const texts: string[] = []
    for (const {name} of tables.rows) {
      const {rows} = await client.query<{row: string}>(`SELECT t::text AS row FROM "${schema}"."${name}" t ORDER BY 1`)
      texts.push(`-- ${name}`, ...rows.map((row) => row.row))
    }
    return texts.join('\n')
  })
}

await describePostgres('customer data at rest on PostgreSQL', () => {
  let box: Sandbox
  let schema: Awaited<ReturnType<typeof testSchema>>
  const keys = () => ({configDir: join(box.dir, 'config', 'ctx')})

  beforeEach(async () => {
    box = sandbox('ctx-pg-at-rest-')
    schema = await testSchema('atrest')
  })

  afterEach(async () => {
    await schema.drop()
    await box.cleanup()
  })

  it('holds no PII value in its rows, its search terms or its keys table, and answers searches through tokens', async () => {
    const store = await openStore(schema.url, {clock: systemClock, keys: keys()})
    await store.upgrade()
    await seedSearchFixtures(store)
    const text = await dump(schema.schema)
    expectNoClearValue(text, PII)
    // The terms the GIN index holds: for PII fields only tokens (#...), never a clear word.
    expect(text).not.toMatch(/Context_Last_Name:[a-z]/i)
    expect(text).toMatch(/Context_Last_Name:#/)
    expect((await store.find({where: {kind: 'words', key: null, words: ['lovelace']}})).items.map((object) => object.data.Context_Last_Name)).toEqual(['Lovelace'])
    await store.close()
  })

  it('exits 7 with nothing printed and the store untouched for a missing key, a wrong key and a tampered value', async () => {
    const run = (args: string[]) => box.run(args, {env: {CTX_STORE: schema.url}})
    await expectRun(box, ['store', 'init', '--json', '--store', schema.url])
    const ada = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com', '--json', '--store', schema.url])
    const id = ada.json.id as string
    const keysDir = join(box.dir, 'config', 'ctx', 'keys')
    const [key] = readdirSync(keysDir).map((name) => join(keysDir, name))
    const keyText = readFileSync(key)
    const kek = await admin(async (client) => (await client.query<{kek: string}>(`SELECT kek FROM "${schema.schema}".ctx_keyring`)).rows[0].kek)
    const before = await rows(schema.schema)
    const attempts = async (what: string) => {
      for (const args of [['customers', 'show', id, '--json'], ['search', 'ada', '--json'], ['customers', 'update', id, '--first-name', 'Eve', '--json'], ['export', '--format', 'jsonl']]) {
        await expectRefused(await run(args), `${what}: ${args.join(' ')}`)
        expect(await rows(schema.schema), `${what}: ${args.join(' ')}`).toBe(before)
      }
    }
    // Missing: the store's key file moved away.
    renameSync(key, `${key}.away`)
    await attempts('missing')
    const missing = await run(['customers', 'show', id])
    expect(missing.stderr).toContain(kek)
    // Wrong: another store's key where the store's own should be.
    const otherKey = join(box.dir, 'other.key')
    await expectRun(box, ['customers', 'create', '--first-name', 'Zed', '--json', '--store', join(box.dir, 'other.json'), '--key-file', otherKey])
    writeFileSync(key, readFileSync(otherKey))
    await attempts('wrong')
    // Tampered: one character of one sealed value changed in the row, with the right key.
    writeFileSync(key, keyText)
    const sealed = JSON.parse(await admin(async (client) => (await client.query<{body: string}>(`SELECT body::text AS body FROM "${schema.schema}".ctx_objects WHERE id = $1`, [id])).rows[0].body)).data.Context_First_Name.sealed as string
    const changed = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`
    await admin((client) => client.query(`UPDATE "${schema.schema}".ctx_objects SET body = replace(body::text, $2, $3)::json WHERE id = $1`, [id, sealed, changed]))
    const tampered = await rows(schema.schema)
    expect(tampered).not.toBe(before)
    for (const args of [['customers', 'show', id, '--json'], ['customers', 'update', id, '--first-name', 'Eve', '--json'], ['export', '--format', 'jsonl']]) {
      await expectRefused(await run(args), `tampered: ${args.join(' ')}`)
      expect(await rows(schema.schema), `tampered: ${args.join(' ')}`).toBe(tampered)
    }
  })

  it('encrypts a clear-text store on upgrade, in batches: killed midway and run again, nothing is lost', async () => {
    const clear = new PostgresStore(schema.url, {now: () => new Date().toISOString(), migrations: [storeSchema]})
    await clear.init('production')
    const customers: ContextObject[] = Array.from({length: 1500}, (_, index) => fixture('customer', {data: {Context_First_Name: `Clear${index}`, Context_Last_Name: 'Plaintext'}}))
    await clear.transaction((tx) => tx.insert(customers))
    await clear.close()
    expect(await dump(schema.schema)).toContain('Plaintext')

    const env = {...box.env, CTX_STORE: schema.url}
    const child = spawn(process.execPath, [BIN, 'store', 'upgrade', '--json'], {env, stdio: 'ignore'})
    // Listened to at once: an upgrade that ends within the wait would close unheard, and the test hang.
    const closed = new Promise((resolve) => child.once('close', resolve))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    child.kill('SIGKILL')
    await closed
    await expectRun(box, ['store', 'upgrade', '--json', '--store', schema.url])

    expectNoClearValue(await dump(schema.schema), ['Plaintext', 'Clear1499'])
    const store = await openStore(schema.url, {clock: systemClock, keys: keys()})
    const read = new Map<string, ContextObject>()
    for await (const batch of store.scan()) for (const object of batch) read.set(object.id, object)
    expect(read.size).toBe(customers.length)
    for (const customer of customers) expect(read.get(customer.id)).toEqual(customer)
    expect(await store.count({kind: 'words', key: 'Context_Last_Name', words: ['plaintext']})).toBe(1500)
    await store.close()
  })

  it('migrates between stores with different keys: opened with the source key, sealed with the target key', async () => {
    const from = join(box.dir, 'from.json')
    const ada = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json', '--store', from, '--key-file', join(box.dir, 'a.key')])
    await expectRun(box, ['migrate', '--from', from, '--to', schema.url, '--from-key-file', join(box.dir, 'a.key'), '--to-key-file', join(box.dir, 'b.key'), '--json'])
    expectNoClearValue(await dump(schema.schema), ['Lovelace'])
    const shown = await expectRun(box, ['customers', 'show', ada.json.id, '--json', '--store', schema.url, '--key-file', join(box.dir, 'b.key')])
    expect(shown.json).toEqual(ada.json)
    const wrong = await box.run(['customers', 'show', ada.json.id, '--json', '--store', schema.url, '--key-file', join(box.dir, 'a.key')])
    expect(wrong.code).toBe(7)
    expect(wrong.stdout).not.toContain('Lovelace')
  })
})
