// migrateStore: a whole store copied between adapters, verified by counts and checksums per type.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {ConflictError, NotFoundError, StorageError, UsageError} from '../../src/core/errors.js'
import {migrateStore} from '../../src/core/migrate.js'
import type {ContextObject} from '../../src/core/model.js'
import {openStore} from '../../src/core/storage/open.js'
import {fixture} from '../contract/store-contract.js'
import {describePostgres, PG_URL, testSchema, withSchema} from '../helpers/postgres.js'
import {readStore, seedStore} from '../helpers/store.js'

let dir: string
let named = 0

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-migrate-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

/** A customer with a request, an activity under it and a comment on that: every link kind. */
function journey(): ContextObject[] {
  const customer = fixture('customer', {externalId: `crm-${named++}`, data: {Context_First_Name: 'Ada', Context_City: 'Zürich "quoted", new\nline'}})
  const request = fixture('request', {customerId: customer.id, data: {Context_Title: 'Refund'}})
  const activity = fixture('activity', {customerId: customer.id, parentId: request.id, tags: ['vip']})
  const comment = fixture('comment', {parentId: activity.id, state: 'closed', data: {Context_Comment: 'done'}})
  return [customer, request, activity, comment]
}

const byId = (objects: ContextObject[]) => [...objects].sort((a, b) => (a.id < b.id ? -1 : 1))

describe('migrateStore', () => {
  it('copies every object and the definitions, initialises the target in the source’s mode, and verifies', async () => {
    const objects = [...journey(), ...journey()]
    const from = join(dir, 'from.json')
    await seedStore(from, objects, 'lab')
    const source = await openStore(from, {clock: systemClock})
    const definitions = await source.definitions()
    definitions.fields.Custom_Score = {id: 'Custom_Score', dataType: 'integer', classification: 'UNENCRYPTED'}
    await source.transaction((tx) => tx.putDefinitions(definitions))
    const to = join(dir, 'to.json')
    const progress: number[] = []
    const result = await migrateStore({from, to, clock: systemClock, batchSize: 3, onProgress: (copied) => progress.push(copied)})
    expect(result).toMatchObject({from, to, copied: 8, verified: true, counts: {customer: {source: 2, target: 2}, comment: {source: 2, target: 2}}})
    expect(result.checksums.activity.source).toMatch(/^[0-9a-f]{64}$/)
    expect(result.checksums.activity.target).toBe(result.checksums.activity.source)
    expect(progress).toEqual([2, 4, 6, 8])
    expect(byId(await readStore(to))).toEqual(byId(objects))
    const target = await openStore(to, {clock: systemClock})
    expect((await target.info()).mode).toBe('lab')
    expect((await target.definitions()).fields.Custom_Score).toEqual(definitions.fields.Custom_Score)
  })

  it('refuses a target that already holds objects, unless --upsert, which replaces same ids and keeps the rest', async () => {
    const [customer, ...rest] = journey()
    const from = join(dir, 'from.json')
    const to = join(dir, 'to.json')
    await seedStore(from, [customer, ...rest])
    const other = fixture('customer')
    await seedStore(to, [{...customer, data: {Context_First_Name: 'Old'}}, other])
    await expect(migrateStore({from, to, clock: systemClock})).rejects.toBeInstanceOf(ConflictError)
    const result = await migrateStore({from, to, clock: systemClock, upsert: true})
    expect(result).toMatchObject({copied: 4, verified: true, counts: {customer: {source: 1, target: 1}}})
    const stored = await readStore(to)
    expect(stored).toHaveLength(5)
    expect(stored.find((object) => object.id === customer.id)).toEqual(customer)
  })

  it('refuses a source that holds no store, and the same store as source and target', async () => {
    await expect(migrateStore({from: join(dir, 'none.json'), to: join(dir, 'to.json'), clock: systemClock})).rejects.toBeInstanceOf(NotFoundError)
    const same = join(dir, 'same.json')
    await expect(migrateStore({from: same, to: `file:${same}`, clock: systemClock})).rejects.toBeInstanceOf(UsageError)
  })
})

await describePostgres('migrateStore with PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof testSchema>>

  beforeEach(async () => {
    schema = await testSchema('migrate')
  })

  afterEach(async () => {
    await schema.drop()
  })

  it('copies file → postgres → file, each verified, and gives back the same objects', async () => {
    const objects = [...journey(), ...journey(), ...journey()]
    const from = join(dir, 'from.json')
    await seedStore(from, objects, 'lab')
    const there = await migrateStore({from, to: schema.url, clock: systemClock, batchSize: 5})
    expect(there).toMatchObject({copied: 12, verified: true})
    const back = join(dir, 'back.json')
    const again = await migrateStore({from: schema.url, to: back, clock: systemClock})
    expect(again).toMatchObject({copied: 12, verified: true})
    expect(again.checksums).toEqual(there.checksums)
    expect(await readStore(back)).toEqual(await readStore(from))
    expect((await (await openStore(back, {clock: systemClock})).info()).mode).toBe('lab')
  })

  it('fails verification (exit 7) when something else changes the target during the copy', async () => {
    const from = join(dir, 'from.json')
    await seedStore(from, [...journey(), ...journey()])
    let batches = 0
    const error = await migrateStore({
      from,
      to: schema.url,
      clock: systemClock,
      batchSize: 1,
      // Inside the second batch's transaction: another client deletes the customer the first one committed.
      onProgress: () => {
        if (++batches === 2) execFileSync('psql', [PG_URL, '-qAtc', `DELETE FROM "${schema.schema}".ctx_objects WHERE type = 'customer'`])
      },
    }).then(
      () => null,
      (error: unknown) => error as StorageError,
    )
    expect(error).toBeInstanceOf(StorageError)
    expect(error?.details).toMatchObject({verified: false, counts: {customer: {source: 2, target: 1}}})
  })

  it('leaves only whole batches in the target when its connection is terminated midway (exit 7)', async () => {
    const objects = Array.from({length: 5}, journey).flat()
    const from = join(dir, 'from.json')
    await seedStore(from, objects)
    const application = `ctx_migrate_kill_${process.pid}_${named++}`
    const to = new URL(withSchema(PG_URL, schema.schema))
    to.searchParams.set('application_name', application)
    let batches = 0
    const error = await migrateStore({
      from,
      to: to.toString(),
      clock: systemClock,
      batchSize: 4,
      // Called inside each batch's transaction, before its commit: the second batch loses its connection there.
      onProgress: () => {
        if (++batches !== 2) return
        const kill = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${application}'`
        execFileSync('psql', [PG_URL, '-qAtc', kill])
      },
    }).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).message).toMatch(/lost the connection/)
    expect(await readStore(schema.url)).toEqual((await readStore(from)).slice(0, 4))
  })
})
