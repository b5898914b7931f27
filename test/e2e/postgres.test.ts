// PostgreSQL through the built CLI: store administration, what a user sees when the database is
// missing, empty or unreachable (exit 7, never a password), the sweep and imports where the file
// store's suites look at its file, and `ctx migrate` both ways.
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {SCHEMA_VERSION} from '../../src/core/storage/postgres/schema.js'
import {fixture} from '../contract/store-contract.js'
import {BIN, expectRun, SANDBOX_CONFIG_DIRS, type Sandbox, sandbox} from '../helpers/cli.js'
import {admin, describePostgres, PG_URL, testSchema} from '../helpers/postgres.js'
import {readStore, seedStore} from '../helpers/store.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import')
const CS_EXPORT = join(import.meta.dirname, '..', 'fixtures', 'context-service', 'export-compact')

await describePostgres('ctx on postgres://', () => {
  let box: Sandbox
  let schema: Awaited<ReturnType<typeof testSchema>>
  const run = (args: string[], code = 0) => expectRun(box, [...args, '--store', schema.url], code)

  beforeEach(async () => {
    box = sandbox()
    schema = await testSchema('cli')
    // Read and seeded in-process with the key the CLI makes for it in the sandbox.
    SANDBOX_CONFIG_DIRS.set(schema.url, join(box.dir, 'config', 'ctx'))
  })

  afterEach(async () => {
    await box.cleanup()
    await schema.drop()
  })

  it('says to run `ctx store init` on a database without a ctx schema (exit 7), then works once it has run', async () => {
    const refused = await run(['customers', 'create', '--first-name', 'Ada', '--json'], 7)
    expect(refused.json.error).toMatchObject({code: 'STORAGE_UNAVAILABLE', exitCode: 7})
    expect(refused.json.error.hint).toContain('ctx store init --store')
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({adapter: 'postgres', initialized: false, formatVersion: null})
    const init = await run(['store', 'init', '--mode', 'lab', '--json'])
    expect(init.json).toMatchObject({adapter: 'postgres', initialized: true, mode: 'lab', formatVersion: SCHEMA_VERSION})
    const ada = (await run(['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json'])).json
    expect((await run(['customers', 'search', 'lovelace', '--json'])).json.items).toEqual([ada])
    const info = (await run(['store', 'info', '--json'])).json
    expect(info).toMatchObject({counts: {customer: 1}, mode: 'lab'})
    expect(info.bytes).toBeGreaterThan(0)
  })

  it('upgrades an empty database idempotently; its first write then makes a production store that refuses flush', async () => {
    expect((await run(['store', 'upgrade', '--json'])).json).toEqual({from: null, to: SCHEMA_VERSION})
    expect((await run(['store', 'upgrade', '--json'])).json).toEqual({from: SCHEMA_VERSION, to: SCHEMA_VERSION})
    await run(['customers', 'create', '--first-name', 'Ada'])
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({initialized: true, mode: 'production'})
    await run(['store', 'flush', '--force'], 4)
    expect(await readStore(schema.url)).toHaveLength(1)
  })

  it('leaves the planner statistics fresh after `ctx seed` (ANALYZE of what it wrote)', async () => {
    await run(['store', 'init', '--mode', 'lab'])
    const seeded = (await run(['seed', '--customers', '10', '--json'])).json
    const written = Object.values(seeded.counts as Record<string, number>).reduce((sum, count) => sum + count, 0)
    const stats = await admin(async (client) => {
      const table = `"${schema.schema}".ctx_objects`
      const analyzed = await client.query(`SELECT s.last_analyze, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = $1 AND s.relname = 'ctx_objects'`, [schema.schema])
      // On a Citus coordinator the rows, and so the statistics the workers plan with, are in the shards.
      const citus = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)
      if (citus.rowCount === 0) return {lastAnalyze: analyzed.rows[0].last_analyze, rows: Number(analyzed.rows[0].reltuples)}
      const shards = await client.query(`SELECT result FROM run_command_on_shards($1, $$SELECT reltuples FROM pg_class WHERE oid = '%s'::regclass$$)`, [table])
      return {lastAnalyze: analyzed.rows[0].last_analyze, rows: shards.rows.reduce((sum, row) => sum + Number(row.result), 0)}
    })
    expect(stats.lastAnalyze).not.toBeNull()
    expect(stats.rows).toBe(written)
  })

  it('flushes a lab store only with --force', async () => {
    await run(['store', 'init', '--mode', 'lab'])
    await run(['customers', 'create', '--first-name', 'Ada'])
    await run(['store', 'flush'], 2)
    await run(['store', 'flush', '--force'])
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({mode: 'lab', counts: {customer: 0}})
  })

  it('reports an unreachable server and a missing database with exit 7, never printing the password', async () => {
    const unreachable = await expectRun(box, ['store', 'info', '--store', 'postgres://ctx:Secret-Pw@127.0.0.1:1/ctx', '--json'], 7)
    expect(unreachable.stderr).toContain('cannot reach PostgreSQL at 127.0.0.1:1')
    const missing = new URL(PG_URL)
    missing.password = 'Secret-Pw'
    missing.pathname = '/no_such_ctx_database'
    const absent = await expectRun(box, ['customers', 'search', 'x', '--store', missing.toString(), '--json'], 7)
    expect(absent.stderr).toContain('"no_such_ctx_database" does not exist')
    for (const result of [unreachable, absent]) expect(result.stdout + result.stderr).not.toContain('Secret-Pw')
  })

  it('sweeps with overlapping runs closing each stale request once, and exits 4 when a lock is held past the timeout', async () => {
    const now = '2026-03-20T12:00:00.000Z'
    const customer = fixture('customer')
    const old = {created: '2026-03-01T00:00:00.000Z', lastUpdated: '2026-03-01T00:00:00.000Z'}
    const stale = Array.from({length: 20}, () => fixture('request', {customerId: customer.id, ...old}))
    const fresh = fixture('request', {customerId: customer.id, created: old.created, lastUpdated: '2026-03-19T00:00:00.000Z'})
    await run(['store', 'init'])
    await seedStore(schema.url, [customer, ...stale, fresh])
    const held = stale[0]
    const timedOut = await admin(async (client) => {
      await client.query('BEGIN')
      // By its key as well, so that on Citus the lock is taken on the customer's one shard.
      await client.query(`SELECT 1 FROM "${schema.schema}".ctx_objects WHERE customer_key = $2 AND id = $1 FOR UPDATE`, [held.id, customer.id])
      try {
        return await expectRun(box, ['sweep', '--store', schema.url, '--json'], 4, {now, env: {CTX_LOCK_TIMEOUT_MS: '300'}})
      } finally {
        await client.query('ROLLBACK')
      }
    })
    expect(timedOut.json.error.code).toBe('CONFLICT')
    expect((await readStore(schema.url)).filter((object) => object.state === 'closed')).toEqual([])
    const sweeps = await Promise.all([1, 2, 3].map(() => expectRun(box, ['sweep', '--store', schema.url, '--json'], 0, {now})))
    const closed = sweeps.flatMap((result) => result.json.closed as string[])
    expect(closed.sort()).toEqual(stale.map((request) => request.id).sort())
    const requests = (await readStore(schema.url)).filter((object) => object.type === 'request')
    expect(requests.filter((request) => request.state === 'closed' && request.closeReason === 'auto')).toHaveLength(20)
    expect(requests.find((request) => request.id === fresh.id)?.state).toBe('active')
  })

  it('imports a CSV and exports it again; a malformed file changes nothing (exit 5)', async () => {
    await run(['store', 'init'])
    const imported = await run(['import', join(FIXTURES, 'utf8-names.csv'), '--type', 'customer', '--json'])
    expect(imported.json).toMatchObject({read: 3, created: 3, rejected: 0})
    const before = await readStore(schema.url)
    await run(['import', join(FIXTURES, 'unclosed-quote.csv'), '--type', 'customer'], 5)
    expect(await readStore(schema.url)).toEqual(before)
    const out = join(box.dir, 'all.jsonl')
    await run(['export', '-o', out])
    expect(readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line))).toEqual(before)
  })

  it('keeps whole batches of an import killed mid-way, and finishes it on a re-run with --upsert', async () => {
    await run(['store', 'init'])
    const rows = 20_000
    const file = join(box.dir, 'big.csv')
    writeFileSync(file, ['externalId,Context_First_Name', ...Array.from({length: rows}, (_, index) => `k-${index},Name ${index}`)].join('\n') + '\n')
    const child = spawn(process.execPath, [BIN, 'import', file, '--type', 'customer', '--upsert', '--store', schema.url], {env: box.env, stdio: 'ignore'})
    const exited = new Promise((resolve) => child.on('exit', resolve))
    const landed = () => admin(async (client) => Number((await client.query(`SELECT count(*) AS n FROM "${schema.schema}".ctx_objects`)).rows[0].n))
    while ((await landed()) === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGKILL')
    await exited
    const kept = await landed()
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(rows)
    expect(kept % 1000).toBe(0)
    const again = await run(['import', file, '--type', 'customer', '--upsert', '--json'])
    expect(again.json.read).toBe(rows)
    expect(again.json.created + again.json.unchanged).toBe(rows)
    const stored = await readStore(schema.url)
    expect(new Set(stored.map((object) => object.externalId)).size).toBe(rows)
    expect(stored).toHaveLength(rows)
  })

  it('stops at a write the server refuses while the next rows are checked: earlier batches stay, no row is refused for it (exit 5)', async () => {
    await run(['store', 'init'])
    const rows = 6000
    const file = join(box.dir, 'people.jsonl')
    const line = (index: number, externalId: string) => JSON.stringify({type: 'customer', externalId, data: {Context_First_Name: `Name ${index}`}})
    // Row 4500 is in the second batch's first 1000, written while the rows after them are checked;
    // the server refuses it (a trigger of the test's, as it would refuse text it cannot hold), where
    // ctx's own checks let it through.
    writeFileSync(file, Array.from({length: rows}, (_, index) => line(index, `k-${index}`)).join('\n') + '\n')
    const table = `"${schema.schema}".ctx_objects`
    await admin(async (client) => {
      await client.query(`
        CREATE FUNCTION "${schema.schema}".refuse_k4500() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.external_id = 'k-4500' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22021'; END IF;
          RETURN NEW;
        END $$`)
      // Citus takes a trigger on a distributed table only when told (on PostgreSQL, an unused setting).
      await client.query('SET citus.enable_unsafe_triggers TO on')
      await client.query(`CREATE TRIGGER refuse_k4500 BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION "${schema.schema}".refuse_k4500()`)
    })
    const failed = await run(['import', file, '--json'], 5)
    expect(failed.json.error).toMatchObject({code: 'INVALID_DATA', exitCode: 5})
    expect(failed.json.error.message).toContain('refused by the test')
    const kept = await readStore(schema.url)
    expect(kept.map((object) => object.externalId).sort()).toEqual(Array.from({length: 4000}, (_, index) => `k-${index}`).sort())
    expect(existsSync(join(box.dir, 'people.rejects.jsonl'))).toBe(false)
    await admin(async (client) => {
      await client.query('SET citus.enable_unsafe_triggers TO on')
      await client.query(`DROP TRIGGER refuse_k4500 ON ${table}`)
    })
    const again = await run(['import', file, '--upsert', '--json'])
    expect(again.json).toMatchObject({read: rows, created: 2000, unchanged: 4000, rejected: 0})
    expect(await readStore(schema.url)).toHaveLength(rows)
  })

  it('imports a Context Service export directory once its definitions are applied, and writes it back out the same', async () => {
    await run(['store', 'init'])
    const defs = join(box.dir, 'defs.json')
    await run(['fields', 'infer', CS_EXPORT, '-o', defs])
    await run(['fields', 'apply', '-f', defs])
    const imported = await run(['import', CS_EXPORT, '--rejects', join(box.dir, 'rejects.json'), '--json'])
    expect(imported.json).toMatchObject({format: 'cs-json', read: 7, created: 7, rejected: 0})
    expect(imported.json.files.map((file: {created: number}) => file.created)).toEqual([2, 1, 2, 1, 1])
    expect((await run(['search', 'Context_ZIP:90210', '--json'])).json.items).toHaveLength(1)
    const out = join(box.dir, 'out')
    await run(['export', '--format', 'cs-json', '-o', out])
    const other = join(box.dir, 'other.json')
    await expectRun(box, ['fields', 'apply', '-f', defs, '--store', other])
    await expectRun(box, ['import', out, '--store', other])
    expect((await expectRun(box, ['export', '--store', other])).stdout).toBe((await run(['export'])).stdout)
  })

  it('keeps whole batches of a Context Service directory import killed mid-way, and finishes it with --upsert', async () => {
    await run(['store', 'init'])
    const count = 6000
    const dir = join(box.dir, 'big-export')
    mkdirSync(dir)
    const id = (prefix: string, index: number) => `${prefix}${String(index).padStart(7, '0')}-0000-4000-8000-000000000000`
    const objects = (make: (index: number) => object) => JSON.stringify(Array.from({length: count}, (_, index) => make(index)))
    writeFileSync(join(dir, 'customer.json'), objects((index) => ({id: id('c', index), fieldsets: ['cisco.base.customer'], dataElements: [{Context_First_Name: `N${index}`, type: 'string'}]})))
    writeFileSync(join(dir, 'pod.json'), objects((index) => ({id: id('b', index), customerId: id('c', index), mediaType: 'voice', fieldsets: ['cisco.base.pod'], dataElements: []})))
    const child = spawn(process.execPath, [BIN, 'import', dir, '--upsert', '--store', schema.url], {env: box.env, stdio: 'ignore'})
    const exited = new Promise((resolve) => child.on('exit', resolve))
    const landed = () => admin(async (client) => Number((await client.query(`SELECT count(*) AS n FROM "${schema.schema}".ctx_objects`)).rows[0].n))
    while ((await landed()) === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGKILL')
    await exited
    const kept = await landed()
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(2 * count)
    const again = await run(['import', dir, '--upsert', '--json'])
    expect(again.json).toMatchObject({read: 2 * count, rejected: 0})
    expect(again.json.created + again.json.unchanged).toBe(2 * count)
    const stored = await readStore(schema.url)
    expect(stored).toHaveLength(2 * count)
    expect(stored.filter((object) => object.type === 'activity').every((pod) => pod.customerId === id('c', Number(pod.id.slice(1, 8))))).toBe(true)
  })

  it('migrates file → postgres → file with verified counts and checksums, and refuses a non-empty target', async () => {
    const customer = fixture('customer', {data: {Context_First_Name: 'Ada'}})
    const request = fixture('request', {customerId: customer.id})
    const activity = fixture('activity', {customerId: customer.id, parentId: request.id})
    await seedStore(box.storePath, [customer, request, activity], 'lab')
    const there = await expectRun(box, ['migrate', '--from', box.storePath, '--to', schema.url, '--json'])
    expect(there.json).toMatchObject({copied: 3, verified: true, counts: {customer: {source: 1, target: 1}, activity: {source: 1, target: 1}}})
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({mode: 'lab', counts: {customer: 1, request: 1, activity: 1}})
    await expectRun(box, ['migrate', '--from', box.storePath, '--to', schema.url], 4)
    const back = `${box.dir}/back.json`
    const again = await expectRun(box, ['migrate', '--from', schema.url, '--to', back])
    expect(again.stdout).toContain('verified: counts and checksums match')
    expect(await readStore(back)).toEqual(await readStore(box.storePath))
  })
})
