// The store on a Citus coordinator (a coordinator and two workers; .ci/run starts one): what
// `store init` and `store upgrade` make of it, externalId uniqueness across customers and shards,
// and which statements run on one shard. The storage contract and PostgreSQL's end-to-end suites
// run on Citus as a whole too (the "unit on citus" and "e2e on citus" projects, docs/testing.md).
import {afterEach, beforeEach, expect, it} from 'vitest'
import {ConflictError} from '../../src/core/errors.js'
import {allOf, equals} from '../../src/core/search/query.js'
import {storeSchema} from '../../src/core/storage/postgres/migrations/001-store.js'
import {findStatement} from '../../src/core/storage/postgres/objects.js'
import {SCHEMA_VERSION} from '../../src/core/storage/postgres/schema.js'
import {STALE_DISTRIBUTED} from '../../src/core/storage/postgres/sweep.js'
import {PostgresStore} from '../../src/core/storage/postgres/store.js'
import {fixture} from '../contract/store-contract.js'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {admin, CITUS_TEST_URL, describeCitus, testSchema} from '../helpers/postgres.js'

const now = () => new Date().toISOString()

await describeCitus('ctx on a Citus coordinator', () => {
  let box: Sandbox
  let schema: Awaited<ReturnType<typeof testSchema>>
  const opened: PostgresStore[] = []
  const run = (args: string[], code = 0) => expectRun(box, [...args, '--store', schema.url], code)
  const sql = <R extends Record<string, unknown>>(text: string, values?: unknown[]) =>
    admin(async (client) => {
      await client.query(`SET search_path = "${schema.schema}"`)
      return (await client.query<R>(text, values)).rows
    }, CITUS_TEST_URL)
  const open = (migrations?: typeof storeSchema[]) => {
    const store = new PostgresStore(schema.url, {now, migrations})
    opened.push(store)
    return store
  }
  /** How Citus holds each table of the store: h (hashed, with its column) or n (reference). */
  const layout = async () =>
    Object.fromEntries(
      (
        await sql<{name: string; method: string; column: string | null}>(
          `SELECT logicalrelid::regclass::text AS name, partmethod AS method, column_to_column_name(logicalrelid, partkey) AS column
           FROM pg_dist_partition JOIN pg_class ON pg_class.oid = logicalrelid
           WHERE relnamespace = current_schema()::regnamespace AND relname LIKE 'ctx_%'`,
        )
      ).map((row) => [row.name, row.column ? `${row.method} ${row.column}` : row.method]),
    )
  const distributed = {
    ctx_objects: 'h customer_key',
    ctx_claims: 'h claim',
    ctx_definitions: 'n',
    ctx_store: 'n',
    ctx_migrations: 'n',
    // The keys of data at rest (migration 4): the keyring's one row everywhere, the data keys beside their customers.
    ctx_keyring: 'n',
    ctx_keys: 'h customer_key',
  }

  beforeEach(async () => {
    box = sandbox()
    schema = await testSchema('citus', CITUS_TEST_URL)
  })

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close()
    await box.cleanup()
    await schema.drop()
  })

  it('distributes a store `store init` makes: objects by customer, ids and externalIds by claim, the rest reference tables', async () => {
    expect((await run(['store', 'init', '--mode', 'lab', '--json'])).json).toMatchObject({initialized: true, formatVersion: SCHEMA_VERSION})
    expect(await layout()).toEqual(distributed)
    const info = (await run(['store', 'info', '--json'])).json
    expect(info.bytes).toBeGreaterThan(0)
  })

  it('keeps a customer’s data key in the customer’s shard group, and destroys it with the customer', async () => {
    await run(['store', 'init'])
    const ada = (await run(['customers', 'create', '--first-name', 'Ada', '--json'])).json
    const colocation = await sql<{name: string; colocation: number}>(
      `SELECT logicalrelid::regclass::text AS name, colocationid AS colocation FROM pg_dist_partition WHERE logicalrelid IN ('ctx_objects'::regclass, 'ctx_keys'::regclass)`,
    )
    expect(new Set(colocation.map((row) => row.colocation)).size).toBe(1)
    const object = await sql<{customer_key: string}>(`SELECT customer_key FROM ctx_objects WHERE id = $1`, [ada.id])
    const key = await sql<{customer_key: string}>(`SELECT customer_key FROM ctx_keys WHERE id = 'customer:' || $1`, [ada.id])
    expect(key).toHaveLength(1)
    expect(key).toEqual(object)
    expect((await run(['customers', 'show', ada.id, '--json'])).json.data.Context_First_Name).toBe('Ada')
    await run(['customers', 'delete', ada.id, '--force'])
    expect(await sql(`SELECT id FROM ctx_keys WHERE id = 'customer:' || $1`, [ada.id])).toEqual([])
  })

  it('takes a single-node store to the distributed layout with `store upgrade`, keeping its objects and their uniqueness', async () => {
    const old = open([storeSchema])
    await old.init('production')
    const ada = fixture('customer', {externalId: 'crm-1'})
    const request = fixture('request', {customerId: ada.id})
    const call = fixture('activity', {customerId: ada.id, parentId: request.id})
    const note = fixture('comment', {parentId: call.id, state: 'closed'})
    await old.transaction((tx) => tx.insert([ada, request, call, note]))
    expect(await layout()).toEqual({})
    expect((await run(['store', 'upgrade', '--json'])).json).toEqual({from: 1, to: SCHEMA_VERSION})
    expect(await layout()).toEqual(distributed)
    const journey = (await run(['journey', ada.id, '--json'])).json
    expect(JSON.stringify(journey)).toContain(note.id)
    expect((await run(['customers', 'create', '--external-id', 'crm-1', '--json'], 4)).json.error.message).toContain(ada.id)
    expect((await run(['store', 'upgrade', '--json'])).json).toEqual({from: SCHEMA_VERSION, to: SCHEMA_VERSION})
  })

  it('keeps externalId unique per type across customers, whichever shards they are on, and frees it with its object', async () => {
    await run(['store', 'init'])
    const ada = (await run(['customers', 'create', '--external-id', 'crm-1', '--json'])).json
    const bob = (await run(['customers', 'create', '--first-name', 'Bob', '--json'])).json
    await run(['customers', 'create', '--external-id', 'crm-1'], 4)
    await run(['customers', 'update', bob.id, '--external-id', 'crm-1'], 4)
    const store = open()
    const other = fixture('customer')
    const error = await store.transaction((tx) => tx.insert([other, fixture('customer', {externalId: 'crm-1'})])).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(ConflictError)
    expect(await store.get(other.id)).toBeNull()
    // The same externalId on another type is another claim.
    await run(['requests', 'open', '--customer', bob.id, '--title', 'T', '--external-id', 'crm-1'])
    await run(['customers', 'delete', ada.id, '--force'])
    await run(['customers', 'update', bob.id, '--external-id', 'crm-1'])
    expect((await run(['customers', 'show', bob.id, '--json'])).json.externalId).toBe('crm-1')
  })

  it('answers a customer’s journey from one shard, and sweeps every shard at once (EXPLAIN)', async () => {
    await run(['store', 'init'])
    const store = open()
    const customers = Array.from({length: 8}, () => fixture('customer'))
    await store.transaction((tx) => tx.insert(customers))
    const journey = findStatement(
      allOf(equals('customerId', customers[3].id), {kind: 'or', children: [equals('type', 'request'), equals('type', 'activity')]}) ?? undefined,
      null,
      {limit: null, comments: true, distributed: true},
    )
    const plan = (text: string, values: unknown[]) => sql<{'QUERY PLAN': string}>(`EXPLAIN ${text}`, values).then((rows) => rows.map((row) => row['QUERY PLAN']).join('\n'))
    const onOne = await plan(journey.text, journey.values)
    // The requests and activities and the comments under them: one task, on the customer's shard.
    expect(onOne.match(/Task Count: \d+/g)).toEqual(['Task Count: 1'])
    const sweep = await plan(`SELECT r.id FROM ctx_objects r WHERE ${STALE_DISTRIBUTED}`, [now()])
    expect(sweep).toContain('Task Count: 4')
  })
})
