// The PostgreSQL benchmarks (P2a, P2b, P4–P8), in a database of their own: ctx_bench_<pid>, dropped
// after. Schemas: `imported` (P2a's import target, then the full store P2b imports into and P4's
// source), `seeded` (ctx seed: P5's requests, and the haystack of P6 and P7, with P7's customer of
// many activities imported into it), `fresh` (P8: seeded anew before each of ctx's rounds).
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {runChecked} from './harness.js'
import {CUSTOMER_COLUMNS, customersCsv, journeyJsonl} from './data.js'
import {createDatabase, dropDatabase, literal, psql, psqlCommand, storeUrl, unavailable} from './postgres.js'

const DATABASE = `ctx_bench_${process.pid}`
const DAY = 86_400_000

/** The full sizes of the targets, or about a tenth of them with --quick. */
function sizes(quick) {
  return quick
    ? {importRows: 100_000, seededCustomers: 20_000, journeyActivities: 1000, journeyRequests: 10, freshCustomers: 10_000}
    : {importRows: 1_000_000, seededCustomers: 200_000, journeyActivities: 10_000, journeyRequests: 100, freshCustomers: 100_000}
}

const state = {url: null}

export const postgresBenchmarks = {
  async unavailable(context) {
    const reason = unavailable()
    if (reason) return reason
    state.url = createDatabase(DATABASE)
    try {
      runChecked([process.execPath, context.bin, 'store', 'init', '--mode', 'lab', '--store', storeUrl(state.url, 'probe'), '--json'], {env: context.env})
    } catch (error) {
      dropDatabase(DATABASE)
      state.url = null
      return `the postgres:// adapter does not work in this build (${error.message.split('\n').find((line) => line.startsWith('Error')) ?? error.message.slice(0, 200)})`
    }
    return null
  },

  async teardown() {
    if (state.url) dropDatabase(DATABASE)
    state.url = null
  },

  benchmarks(context) {
    const size = sizes(context.quick)
    const node = process.execPath
    const ctx = (...args) => [node, context.bin, ...args]
    const check = (command) => runChecked(command, {env: context.env})
    const imported = () => storeUrl(state.url, 'imported')
    const seeded = () => storeUrl(state.url, 'seeded')
    const count = (schema, type) => Number(psql(state.url, `SET search_path TO ${schema}`, `SELECT count(*) FROM ctx_objects WHERE type = ${literal(type)}`))
    const schemaExists = (schema) => psql(state.url, `SELECT count(*) FROM pg_namespace WHERE nspname = ${literal(schema)}`) === '1'
    const million = (n) => (n >= 1_000_000 ? `${Number((n / 1_000_000).toFixed(2))}M` : `${Number((n / 1000).toFixed(1))}k`)
    const fresh = () => storeUrl(state.url, 'fresh')
    let csv
    let secondCsv

    /** The condition on ctx_objects of P2b's second set of customers (rows importRows and up of the CSVs). */
    const second = `type = 'customer' AND external_id ~ '^bench-[0-9]+$' AND substring(external_id from 7)::bigint >= ${size.importRows}`
    /** The same customers' data keys, in ctx_keys (each customer's own, `customer:ID`). */
    const secondKeys = `id IN (SELECT 'customer:' || id FROM ctx_objects WHERE ${second})`

    /** Takes P2b's second set of customers, and their data keys, out of `imported` again. */
    const withoutSecond = () =>
      psql(state.url, 'SET search_path TO imported', `DELETE FROM ctx_keys WHERE ${secondKeys}`, `DELETE FROM ctx_objects WHERE ${second}`, 'VACUUM ANALYZE ctx_objects', 'VACUUM ANALYZE ctx_keys')

    /** `fresh`, just seeded by ctx (P8): what a user has right after `ctx seed`. */
    const freshSeed = () => {
      psql(state.url, 'DROP SCHEMA IF EXISTS fresh CASCADE')
      check(ctx('store', 'init', '--mode', 'lab', '--store', fresh(), '--json'))
      check(ctx('seed', '--customers', String(size.freshCustomers), '--seed', 'fresh', '--now', context.now, '--store', fresh(), '--json'))
    }

    /** A fresh, empty lab store in `imported`. */
    const emptyImported = () => {
      psql(state.url, 'DROP SCHEMA IF EXISTS imported CASCADE')
      check(ctx('store', 'init', '--mode', 'lab', '--store', imported(), '--json'))
    }

    /**
     * A note on P2a: the server's floor for ctx's layout in an empty store — ctx's own rows and data
     * keys for the customers in `imported`, copied into a new store's tables with all their indexes —
     * against which P2a's bare-table baseline leaves out what ctx must write (sealed values, tokens).
     */
    const emptyStoreFloor = () => {
      const rows = join(context.scratch, 'p2a-rows.copy')
      const keys = join(context.scratch, 'p2a-keys.copy')
      psql(state.url, 'SET search_path TO imported', `\\copy (SELECT * FROM ctx_objects WHERE type = 'customer') TO ${literal(rows)}`, `\\copy ctx_keys TO ${literal(keys)}`)
      psql(state.url, 'DROP SCHEMA IF EXISTS floor CASCADE')
      check(ctx('store', 'init', '--mode', 'lab', '--store', storeUrl(state.url, 'floor'), '--json'))
      const started = performance.now()
      check(psqlCommand(state.url, 'floor', 'TRUNCATE ctx_keys', `\\copy ctx_objects FROM ${literal(rows)}`, `\\copy ctx_keys FROM ${literal(keys)}`))
      const seconds = (performance.now() - started) / 1000
      psql(state.url, 'DROP SCHEMA floor CASCADE')
      rmSync(rows, {force: true})
      rmSync(keys, {force: true})
      context.note(`P2a's floor: ctx's own rows and data keys for ${million(count('imported', 'customer'))} customers copied into an empty store with its indexes in ${seconds.toFixed(1)} s`)
    }

    /** `imported` holding the customers CSV (P4 without P2 before it). */
    const fullImported = async () => {
      csv ??= await customersCsv(context.dataDir, size.importRows)
      if (schemaExists('imported')) withoutSecond()
      if (schemaExists('imported') && count('imported', 'customer') === size.importRows) return
      emptyImported()
      check(ctx('import', csv, '--type', 'customer', '--store', imported(), '--json'))
    }

    /** `seeded`: ctx seed (timed once, as a note), the P7 customer, and a copy of the active requests to undo each sweep. */
    const seededStore = async () => {
      if (schemaExists('seeded')) return
      check(ctx('store', 'init', '--mode', 'lab', '--store', seeded(), '--json'))
      const started = performance.now()
      const summary = JSON.parse(
        check(ctx('seed', '--customers', String(size.seededCustomers), '--requests-per-customer', '5', '--activities-per-request', '1', '--seed', 'bench', '--now', context.now, '--store', seeded(), '--json')),
      )
      const objects = Object.values(summary.counts).reduce((a, b) => a + b, 0)
      const seconds = (performance.now() - started) / 1000
      context.note(`ctx seed: ${objects.toLocaleString('en-US')} objects (${summary.counts.request.toLocaleString('en-US')} requests, ${summary.staleRequests.toLocaleString('en-US')} stale) into PostgreSQL in ${seconds.toFixed(1)} s, ${Math.round(objects / seconds).toLocaleString('en-US')} objects/s`)
      const journey = await journeyJsonl(join(context.scratch, 'journey.jsonl'), {activities: size.journeyActivities, requests: size.journeyRequests, now: context.now})
      check(ctx('import', journey.file, '--store', seeded(), '--json'))
      state.journeyCustomer = journey.customerId
      state.seededObjects = objects + journey.objects
      state.staleRequests = summary.staleRequests
      psql(
        state.url,
        'SET search_path TO seeded',
        `CREATE TABLE bench_active_requests AS SELECT id, state, last_updated, updated_at, body FROM ctx_objects WHERE type = 'request' AND state = 'active'`,
        'VACUUM ANALYZE ctx_objects',
      )
    }

    /** Puts back the requests a sweep closed, so every round sweeps the same store. */
    const undoSweep = () =>
      psql(
        state.url,
        'SET search_path TO seeded',
        `UPDATE ctx_objects o SET state = b.state, last_updated = b.last_updated, updated_at = b.updated_at, body = b.body
           FROM bench_active_requests b WHERE o.id = b.id AND o.state IS DISTINCT FROM b.state`,
        'VACUUM ANALYZE ctx_objects',
      )

    const cutoff = new Date(Date.parse(context.now) - 5 * DAY).toISOString()
    // The sweep a DBA would write by hand on ctx's table and indexes: rule 3 (a request is stale when
    // neither it, nor anything under it, nor a comment on its activities changed since the cutoff),
    // children found through the lower(parent_id) index, the body's state changed with it.
    const stale = `r.type = 'request' AND r.state = 'active' AND r.updated_at < ${literal(cutoff)}
        AND NOT EXISTS (SELECT 1 FROM ctx_objects a WHERE lower(a.parent_id) = lower(r.id) AND a.parent_id = r.id
                         AND a.type <> 'request' AND a.updated_at >= ${literal(cutoff)})
        AND NOT EXISTS (SELECT 1 FROM ctx_objects a JOIN ctx_objects c ON lower(c.parent_id) = lower(a.id) AND c.parent_id = a.id
                         WHERE lower(a.parent_id) = lower(r.id) AND a.parent_id = r.id AND a.type = 'activity'
                           AND c.type NOT IN ('request', 'activity') AND c.updated_at >= ${literal(cutoff)})`
    const handSweep = `UPDATE ctx_objects r
        SET state = 'closed', last_updated = ${literal(context.now)}, updated_at = ${literal(context.now)},
            body = (r.body::jsonb || jsonb_build_object('state', 'closed', 'lastUpdated', ${literal(context.now)}, 'closedAt', ${literal(context.now)}, 'closeReason', 'auto'))::json
      WHERE ${stale}`

    return [
      {
        id: 'P2a',
        what: `import ${million(size.importRows)} customers from CSV into an empty PostgreSQL store`,
        target: {ratio: 15, maxRssMiB: 256},
        rounds: 3,
        async prepare() {
          csv ??= await customersCsv(context.dataDir, size.importRows)
          this.ours.command = ctx('import', csv, '--type', 'customer', '--store', imported(), '--json')
          const columns = CUSTOMER_COLUMNS.map((column) => `"${column}" text`).join(', ')
          this.baseline.before = () => psql(state.url, 'DROP TABLE IF EXISTS public.bare_customers', `CREATE TABLE public.bare_customers (${columns})`)
          this.baseline.command = psqlCommand(state.url, 'public', `\\copy bare_customers FROM ${literal(csv)} WITH (FORMAT csv, HEADER true)`)
        },
        ours: {before: emptyImported},
        baseline: {},
      },
      {
        // The server's floor for ctx's layout: ctx's own rows for the same customers, copied into its
        // table with every index, against ctx reading, checking and writing them.
        id: 'P2b',
        what: `import ${million(size.importRows)} customers into a PostgreSQL store holding ${million(size.importRows)}`,
        target: {ratio: 1.3},
        rounds: 3,
        async prepare() {
          await fullImported()
          emptyStoreFloor()
          secondCsv ??= await customersCsv(context.dataDir, size.importRows, {from: size.importRows})
          this.ours.command = ctx('import', secondCsv, '--type', 'customer', '--store', imported(), '--json')
          const rows = join(context.scratch, 'p2b-rows.copy')
          const keys = join(context.scratch, 'p2b-keys.copy')
          check(this.ours.command)
          psql(
            state.url,
            'SET search_path TO imported',
            `\\copy (SELECT * FROM ctx_objects WHERE ${second}) TO ${literal(rows)}`,
            `\\copy (SELECT * FROM ctx_keys WHERE ${secondKeys}) TO ${literal(keys)}`,
          )
          // ctx writes each customer's data key beside it (encrypted PII): the floor writes both.
          this.baseline.command = psqlCommand(state.url, 'imported', `\\copy ctx_objects FROM ${literal(rows)}`, `\\copy ctx_keys FROM ${literal(keys)}`)
        },
        ours: {before: withoutSecond},
        baseline: {before: withoutSecond},
      },
      {
        id: 'P4',
        what: `export ${million(size.importRows)} customers from PostgreSQL to CSV`,
        target: {ratio: 1.5, maxRssMiB: 256},
        rounds: 3,
        async prepare() {
          await fullImported()
          const out = join(context.scratch, 'export.csv')
          this.ours.command = ctx('export', '--type', 'customer', '-o', out, '--store', imported(), '--json')
          // The baseline selects the columns ctx writes, in the same order (link order: created, id,
          // which an index gives), reading each row's JSON once (body is json: each -> would parse it).
          psql(state.url, 'VACUUM ANALYZE imported.ctx_objects')
          const header = check(ctx('export', '--type', 'customer', '--format', 'csv', '--store', imported())).split('\n', 1)[0]
          const COLUMNS = {id: 'o.id', externalId: 'o.external_id', customerId: 'o.customer_id', parentId: 'o.parent_id', state: 'o.state', mediaType: 'o.media_type', created: 'o.created', lastUpdated: 'o.last_updated'}
          const expressions = header.split(',').map((column) =>
            COLUMNS[column] ?? (['tags', 'fieldsets', 'closedAt', 'closeReason'].includes(column) ? `b->>${literal(column)}` : `b->'data'->>${literal(column)}`),
          )
          const select = `SELECT ${expressions.join(', ')} FROM ctx_objects o, LATERAL (SELECT o.body::jsonb AS b) j WHERE o.type = 'customer' ORDER BY o.created, o.id`
          this.baseline.command = psqlCommand(state.url, 'imported', `\\copy (${select}) TO ${literal(join(context.scratch, 'export-bare.csv'))} WITH (FORMAT csv, HEADER true)`)
          this.ours.before = () => rmSync(out, {force: true})
        },
        ours: {},
        baseline: {},
      },
      {
        id: 'P5',
        what: `sweep ${million(size.seededCustomers * 5)} requests (10% stale) in PostgreSQL`,
        target: {ratio: 2},
        rounds: 3,
        async prepare() {
          await seededStore()
          this.ours.command = ctx('sweep', '--store', seeded(), '--json')
          this.baseline.command = psqlCommand(state.url, 'seeded', handSweep)
          // Both must do the same work: ctx closes exactly the requests the hand-written statement would.
          undoSweep()
          const expected = Number(psql(state.url, 'SET search_path TO seeded', `SELECT count(*) FROM ctx_objects r WHERE ${stale}`))
          const result = JSON.parse(check(this.ours.command))
          if (result.closed.length !== expected) throw new Error(`ctx sweep closed ${result.closed.length} requests, the hand-written UPDATE would close ${expected}`)
          context.note(`P5 closes ${expected.toLocaleString('en-US')} of ${result.scanned.toLocaleString('en-US')} active requests`)
        },
        ours: {before: undoSweep},
        baseline: {before: undoSweep},
      },
      {
        id: 'P6',
        what: 'search one customer by email among the seeded store',
        target: {ratio: 1.3},
        rounds: 11,
        async prepare() {
          await seededStore()
          undoSweep()
          this.what = `search one customer by email among ${million(Math.round(state.seededObjects / 1000) * 1000)} objects`
          // Through ctx, which holds the key: in the table the email is sealed (PII).
          const externalId = `seed-customer-${Math.floor(size.seededCustomers / 2)}`
          const [customer] = JSON.parse(check(ctx('search', `type:customer AND externalId:${externalId}`, '--store', seeded(), '--json'))).items
          const email = customer?.data.Context_Work_Email
          if (!email) throw new Error(`the seeded store has no customer ${externalId} with a work email`)
          this.ours.command = ctx('customers', 'search', `Context_Work_Email:${email}`, '--store', seeded())
          const found = JSON.parse(check([...this.ours.command, '--json'])).items.length
          if (found !== 1) throw new Error(`searching ${email} found ${found} customers, not 1`)
        },
        ours: {},
        baseline: {command: ctx('--version')},
      },
      {
        id: 'P7',
        what: `journey of a customer with ${million(size.journeyActivities)} activities in PostgreSQL`,
        target: {ratio: 1.5},
        rounds: 11,
        async prepare() {
          await seededStore()
          undoSweep()
          this.what = `journey of a customer with ${million(size.journeyActivities)} activities among ${million(Math.round(state.seededObjects / 1000) * 1000)} objects`
          this.ours.command = ctx('journey', state.journeyCustomer, '--store', seeded())
          this.baseline.command = ctx('customers', 'show', state.journeyCustomer, '--store', seeded())
        },
        ours: {},
        baseline: {},
      },
      {
        // Right after a bulk write the planner has no statistics unless ctx gives it some: ctx's
        // rounds each sweep a store seeded a moment before; the baseline's, the same store after a
        // manual ANALYZE.
        id: 'P8',
        what: `sweep --dry-run right after seeding ${million(size.freshCustomers)} customers in PostgreSQL`,
        target: {ratio: 2},
        rounds: 3,
        async prepare() {
          this.ours.command = ctx('sweep', '--dry-run', '--store', fresh(), '--json')
          this.baseline.command = [...this.ours.command]
        },
        ours: {before: freshSeed},
        baseline: {
          before: () => {
            if (!schemaExists('fresh')) freshSeed()
            psql(state.url, 'SET search_path TO fresh', 'ANALYZE ctx_objects')
          },
        },
      },
    ]
  },
}
