// `ctx store upgrade` of a store made by ctx 1 (file format 1, PostgreSQL schema 1), whose base
// definitions called the ZIP field Context_Zip: the field, its values and its search terms move to
// Context_ZIP, the base classifications become Cisco's, and nothing else changes.
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import type {Definitions} from '../../src/core/definitions/model.js'
import {StorageError} from '../../src/core/errors.js'
import type {ContextObject} from '../../src/core/model.js'
import {parseQuery} from '../../src/core/search/query.js'
import {writeDefinitions} from '../../src/core/storage/postgres/definitions.js'
import type {Queryable} from '../../src/core/storage/postgres/schema.js'
import {MIGRATIONS} from '../../src/core/storage/postgres/migrations/index.js'
import {PostgresStore} from '../../src/core/storage/postgres/store.js'
import {openStore} from '../../src/core/storage/open.js'
import {STORE_FORMAT_VERSION} from '../../src/core/storage/state.js'
import type {Store} from '../../src/core/storage/store.js'
import {admin, asSchemaVersion4, describePostgres, testSchema} from '../helpers/postgres.js'

const FIXTURE = new URL('../fixtures/stores/v1-context-zip.json', import.meta.url)
const OLD = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {definitions: Definitions; objects: Record<string, ContextObject>}
const [JOHN, ANN, REQUEST] = Object.values(OLD.objects)

async function expectUpgraded(store: Store): Promise<void> {
  const definitions = await store.definitions()
  expect(definitions.fields.Context_Zip).toBeUndefined()
  expect(definitions.fields.Context_ZIP).toMatchObject({id: 'Context_ZIP', dataType: 'string', classification: 'PII'})
  expect(definitions.fieldsets['cisco.base.customer'].fields).toContain('Context_ZIP')
  expect(definitions.fieldsets['cisco.base.customer'].fields).not.toContain('Context_Zip')
  for (const id of ['Context_Title', 'Context_Description', 'Context_Notes']) expect(definitions.fields[id].classification).toBe('ENCRYPTED')
  // The store's own definitions are kept as they were.
  expect(definitions.fields.Acme_Tier).toEqual(OLD.definitions.fields.Acme_Tier)
  expect(definitions.fieldsets['acme.extra']).toEqual(OLD.definitions.fieldsets['acme.extra'])

  const {Context_Zip: johnZip, ...johnRest} = JOHN.data
  expect(await store.get(JOHN.id)).toEqual({...JOHN, data: {...johnRest, Context_ZIP: johnZip}})
  const {Context_Zip: annZip, ...annRest} = ANN.data
  expect(await store.get(ANN.id)).toEqual({...ANN, data: {...annRest, Context_ZIP: annZip}})
  expect(await store.get(REQUEST.id)).toEqual(REQUEST)

  const found = async (query: string) => (await store.find({where: parseQuery(query) ?? undefined})).items.map((item) => item.id).sort()
  expect(await found('Context_ZIP:90210')).toEqual([JOHN.id])
  expect(await found('Context_ZIP:lyon')).toEqual([ANN.id])
  expect(await found('"69001 lyon"')).toEqual([ANN.id])
  expect(await found('90210')).toEqual([JOHN.id])
}

describe('file store format 1 → 2, and on to the latest', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctx-upgrade-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('refuses the old store until upgraded, then has every Context_Zip value under Context_ZIP, sealed at rest', async () => {
    const path = join(dir, 'store.json')
    copyFileSync(FIXTURE, path)
    // One key for every opening: the upgrade seals the PII values (format 3), and the reads open them.
    const keys = {configDir: join(dir, 'config')}
    const store = await openStore(path, {clock: systemClock, keys})
    await expect(store.count()).rejects.toBeInstanceOf(StorageError)
    expect(await store.upgrade()).toEqual({from: 1, to: STORE_FORMAT_VERSION})
    const text = readFileSync(path, 'utf8')
    expect(JSON.parse(text)).toMatchObject({format: 'ctx-store', version: STORE_FORMAT_VERSION})
    for (const value of [JOHN.data.Context_Zip, ANN.data.Context_Zip]) expect(text).not.toContain(String(value))
    await expectUpgraded(await openStore(path, {clock: systemClock, keys}))
    expect(await store.upgrade()).toEqual({from: STORE_FORMAT_VERSION, to: STORE_FORMAT_VERSION})
  })
})

await describePostgres('PostgreSQL schema 1 → 2, and on to the latest', () => {
  let schema: Awaited<ReturnType<typeof testSchema>>
  const opened: PostgresStore[] = []
  const open = (migrations?: typeof MIGRATIONS) => {
    const store = new PostgresStore(schema.url, {now: () => new Date().toISOString(), migrations})
    opened.push(store)
    return store
  }
  beforeEach(async () => {
    schema = await testSchema('zip')
  })
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close()
    await schema.drop()
  })

  it('moves the definitions, values and search terms of a version 1 store to Context_ZIP', async () => {
    const old = open(MIGRATIONS.slice(0, 1))
    await old.init('production')
    await admin(async (client) => {
      await client.query(`SET search_path TO "${schema.schema}"`)
      await writeDefinitions(client as unknown as Queryable, OLD.definitions)
    })
    await old.transaction((tx) => tx.insert(Object.values(OLD.objects)))
    expect((await old.find({where: parseQuery('Context_Zip:90210') ?? undefined})).items).toHaveLength(1)

    const store = open(MIGRATIONS.slice(0, 2))
    await expect(store.count()).rejects.toBeInstanceOf(StorageError)
    expect(await store.upgrade()).toEqual({from: 1, to: 2})
    await expectUpgraded(store)
    const rows = await admin((client) => client.query(`SELECT terms, phrases FROM "${schema.schema}".ctx_objects WHERE id = $1`, [ANN.id]))
    expect(rows.rows[0].terms.some((term: string) => term.startsWith('Context_Zip:'))).toBe(false)
    expect(rows.rows[0].phrases).toContain('Context_ZIP: 69001 lyon ')
  })

  it('takes a version 1 store to the latest: Context_ZIP, its values sealed, each clear word once in the terms', async () => {
    const old = open(MIGRATIONS.slice(0, 1))
    await old.init('production')
    await admin(async (client) => {
      await client.query(`SET search_path TO "${schema.schema}"`)
      await writeDefinitions(client as unknown as Queryable, OLD.definitions)
    })
    await old.transaction((tx) => tx.insert(Object.values(OLD.objects)))
    // The terms as version 1 wrote them: each clear word as FIELD:word and *:word.
    await asSchemaVersion4(schema.schema)
    const dir = mkdtempSync(join(tmpdir(), 'ctx-upgrade-'))
    try {
      const keys = {configDir: join(dir, 'config')}
      const store = await openStore(schema.url, {clock: systemClock, keys})
      expect(await store.upgrade()).toEqual({from: 1, to: MIGRATIONS.at(-1)!.version})
      await expectUpgraded(await openStore(schema.url, {clock: systemClock, keys}))
      const {rows} = await admin((client) => client.query<{terms: string[]}>(`SELECT terms FROM "${schema.schema}".ctx_objects`))
      const terms = rows.flatMap((row) => row.terms)
      expect(terms).toContain('*:gold')
      // Field-qualified terms are left only for sealed values' tokens.
      expect(terms.filter((term) => /^[A-Za-z]/.test(term) && !term.includes(':#'))).toEqual([])
      await store.close()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
