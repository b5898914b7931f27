// Planner statistics after bulk writes on PostgreSQL: seed, import, migrate and a schema upgrade
// leave ctx_objects analysed (pg_stat_user_tables.last_analyze, and pg_class.reltuples equal to the
// rows there), while a write too small to change a plan leaves them alone, as autovacuum would.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {migrateStore} from '../../src/core/migrate.js'
import {seedStore} from '../../src/core/seed.js'
import {MIGRATIONS} from '../../src/core/storage/postgres/migrations/index.js'
import type {Migration} from '../../src/core/storage/postgres/schema.js'
import {statisticsStale} from '../../src/core/storage/postgres/statistics.js'
import {PostgresStore} from '../../src/core/storage/postgres/store.js'
import {openStore} from '../../src/core/storage/open.js'
import {admin, describePostgres, testSchema} from '../helpers/postgres.js'
import {importInto, NOW, scratch, type Scratch} from './io/helpers.js'

describe('statisticsStale (autovacuum’s analyze rule)', () => {
  it('counts a never-analysed table as empty: stale past 50 changed rows', () => {
    expect(statisticsStale(50, -1)).toBe(false)
    expect(statisticsStale(51, -1)).toBe(true)
  })

  it('needs 50 rows plus a tenth of the rows analysed last time', () => {
    expect(statisticsStale(100_050, 1_000_000)).toBe(false)
    expect(statisticsStale(100_051, 1_000_000)).toBe(true)
    expect(statisticsStale(Number.POSITIVE_INFINITY, 1_000_000)).toBe(true)
  })
})

interface Statistics {
  /** When ctx_objects was last analysed (manually: ctx runs ANALYZE), or null. */
  analyzedAt: Date | null
  /** The planner's row count for ctx_objects: -1 before any ANALYZE. */
  plannerRows: number
  rows: number
}

await describePostgres('planner statistics after bulk writes on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof testSchema>>
  let dir: Scratch
  const opened: PostgresStore[] = []

  const open = (migrations?: readonly Migration[]) => {
    const store = new PostgresStore(schema.url, {now: () => NOW, migrations})
    opened.push(store)
    return store
  }

  const statistics = (): Promise<Statistics> =>
    admin(async (client) => {
      const {rows} = await client.query(
        `SELECT s.last_analyze, c.reltuples, (SELECT count(*) FROM "${schema.schema}".ctx_objects) AS rows
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = $1 AND s.relname = 'ctx_objects'`,
        [schema.schema],
      )
      return {analyzedAt: rows[0].last_analyze, plannerRows: Number(rows[0].reltuples), rows: Number(rows[0].rows)}
    })

  beforeEach(async () => {
    schema = await testSchema('stats')
    dir = scratch()
  })

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close()
    await schema.drop()
    dir.cleanup()
  })

  it('analyses after a seed: the planner counts every seeded object', async () => {
    const store = open()
    await store.init('lab')
    expect((await statistics()).analyzedAt).toBeNull()
    const summary = await seedStore(store, {customers: 30, requestsPerCustomer: 2, activitiesPerRequest: 2, seed: 'stats', now: NOW})
    const after = await statistics()
    const {customer, request, activity, comment} = summary.counts
    expect(after.rows).toBe(customer + request + activity + comment)
    expect(after.analyzedAt).not.toBeNull()
    expect(after.plannerRows).toBe(after.rows)
  })

  it('merges the terms index’s pending list after a bulk import, so a search reads no list of new entries', async () => {
    // The number of pages the list held, merging it (the same call ctx makes).
    const pendingPages = () =>
      admin(async (client) => {
        const {rows} = await client.query(`SELECT gin_clean_pending_list('"${schema.schema}".ctx_objects_terms'::regclass) AS pages`)
        return Number(rows[0].pages)
      })
    const store = open()
    await store.init('lab')
    const csv = (from: number, count: number) =>
      `externalId,Context_First_Name\n${Array.from({length: count}, (_, index) => `gin-${from + index},Name${from + index}`).join('\n')}\n`
    // A write too small to refresh the statistics leaves its entries pending, as it does without ctx.
    await importInto(store, dir.write('few.csv', csv(0, 10)), {type: 'customer'}, dir)
    expect(await pendingPages()).toBeGreaterThan(0)
    await importInto(store, dir.write('bulk.csv', csv(10, 200)), {type: 'customer'}, dir)
    expect(await pendingPages()).toBe(0)
  })

  it('analyses after a bulk import, and not after a few rows', async () => {
    const store = open()
    await store.init('lab')
    const csv = (from: number, count: number) =>
      ['externalId,Context_First_Name', ...Array.from({length: count}, (_, index) => `crm-${from + index},Ada`)].join('\n')
    const few = await importInto(store, dir.write('few.csv', csv(0, 10)), {type: 'customer'}, dir)
    expect(few.created).toBe(10)
    expect((await statistics()).analyzedAt).toBeNull()

    const bulk = await importInto(store, dir.write('bulk.csv', csv(10, 200)), {type: 'customer'}, dir)
    expect(bulk.created).toBe(200)
    expect(await statistics()).toMatchObject({rows: 210, plannerRows: 210})
    expect((await statistics()).analyzedAt).not.toBeNull()
  })

  it('analyses the target after a migrate', async () => {
    const from = dir.path('from.json')
    const source = await openStore(from, {clock: systemClock})
    await seedStore(source, {customers: 20, requestsPerCustomer: 1, activitiesPerRequest: 1, seed: 'stats', now: NOW})
    await source.close()
    const result = await migrateStore({from, to: schema.url, clock: systemClock})
    const after = await statistics()
    expect(after.rows).toBe(result.copied)
    expect(after.analyzedAt).not.toBeNull()
    expect(after.plannerRows).toBe(after.rows)
  })

  it('analyses after a schema upgrade of a store that holds objects', async () => {
    const older = open(MIGRATIONS)
    await older.init('lab')
    await seedStore(older, {customers: 2, requestsPerCustomer: 1, activitiesPerRequest: 1, seed: 'stats', now: NOW})
    expect((await statistics()).analyzedAt).toBeNull()
    const next: Migration = {version: MIGRATIONS.at(-1)!.version + 1, name: 'a test index', sql: 'CREATE INDEX ctx_test_lower_state ON ctx_objects (lower(state))'}
    expect(await open([...MIGRATIONS, next]).upgrade()).toMatchObject({to: next.version})
    const after = await statistics()
    expect(after.analyzedAt).not.toBeNull()
    expect(after.plannerRows).toBe(after.rows)
  })
})
