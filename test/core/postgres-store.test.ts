// PostgreSQL-only behaviour beyond the shared contract: the versioned schema and its migrations,
// what a command meets on a database that is missing, empty, older or unreachable, concurrency,
// and that search runs on indexes.
import pg from 'pg'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {ConflictError, ExitCode, InvalidDataError, LockTimeoutError, StorageError} from '../../src/core/errors.js'
import {PHONE_FIELDS} from '../../src/core/identify.js'
import {phoneCandidates} from '../../src/core/phone.js'
import {parseQuery} from '../../src/core/search/query.js'
import {pgAddress, pgFailure} from '../../src/core/storage/postgres/connection.js'
import {MIGRATIONS} from '../../src/core/storage/postgres/migrations/index.js'
import {findStatement} from '../../src/core/storage/postgres/objects.js'
import {objectRow} from '../../src/core/storage/postgres/rows.js'
import type {Migration} from '../../src/core/storage/postgres/schema.js'
import {PostgresStore} from '../../src/core/storage/postgres/store.js'
import type {Store} from '../../src/core/storage/store.js'
import {fixture} from '../contract/store-contract.js'
import {admin, describePostgres, PG_URL, testSchema, withSchema} from '../helpers/postgres.js'

const now = () => new Date().toISOString()
const NEXT: Migration = {version: MIGRATIONS.at(-1)!.version + 1, name: 'a test column', sql: 'ALTER TABLE ctx_objects ADD COLUMN test_note text'}

let schema: Awaited<ReturnType<typeof testSchema>>
const opened: Store[] = []

async function open(url = schema.url, migrations?: readonly Migration[]): Promise<PostgresStore> {
  const store = new PostgresStore(url, {now, migrations})
  opened.push(store)
  return store
}

/** Tables, columns and indexes of a schema: what two installs must agree on. */
async function catalog(name: string): Promise<string[]> {
  return admin(async (client) => {
    const columns = await client.query(
      `SELECT table_name || '.' || column_name || ' ' || data_type || coalesce(' ' || collation_name, '') AS line
       FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1`,
      [name],
    )
    const indexes = await client.query(`SELECT indexdef AS line FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`, [name])
    const versions = await client.query(`SELECT 'version ' || version AS line FROM "${name}".ctx_migrations ORDER BY version`)
    return [...columns.rows, ...indexes.rows, ...versions.rows].map((row) => String(row.line).replaceAll(name, 'S'))
  })
}

await describePostgres('the postgres:// store', () => {
  beforeEach(async () => {
    schema = await testSchema('store')
  })

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close()
    await schema.drop()
  })

  it('refuses reads and writes on a database without a ctx schema, naming `ctx store init` (exit 7)', async () => {
    const store = await open()
    for (const attempt of [store.get('x'), store.find({}), store.transaction((tx) => tx.insert([fixture('customer')]))]) {
      const error = await attempt.then(() => null, (error: unknown) => error)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).hint).toContain(`ctx store init --store '${schema.url}'`)
    }
    expect(await store.info()).toMatchObject({adapter: 'postgres', initialized: false, formatVersion: null, mode: null})
  })

  it('initialises a store in a new schema, and initialising again changes nothing', async () => {
    const store = await open()
    const info = await store.init('lab')
    expect(info).toMatchObject({initialized: true, mode: 'lab', formatVersion: MIGRATIONS.at(-1)!.version, counts: {customer: 0}})
    expect(info.bytes).toBeGreaterThan(0)
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    expect((await store.init('lab')).counts.customer).toBe(1)
    await expect(store.init('production')).rejects.toBeInstanceOf(ConflictError)
  })

  it('upgrades from empty to the same schema as a fresh install, from every earlier version, idempotently', async () => {
    const fresh = await open()
    await fresh.init('production')
    const expected = await catalog(schema.schema)
    for (let from = 0; from < MIGRATIONS.length; from++) {
      const other = await testSchema('upgrade')
      try {
        const partial = await open(other.url, MIGRATIONS.slice(0, from))
        if (from > 0) await partial.upgrade()
        const store = await open(other.url)
        expect(await store.upgrade()).toEqual({from: from === 0 ? null : MIGRATIONS[from - 1].version, to: MIGRATIONS.at(-1)!.version})
        expect(await store.upgrade()).toEqual({from: MIGRATIONS.at(-1)!.version, to: MIGRATIONS.at(-1)!.version})
        expect(await catalog(other.schema)).toEqual(expected)
      } finally {
        await other.drop()
      }
    }
  })

  it('refuses an older schema until `ctx store upgrade` runs, then keeps the data', async () => {
    const old = await open()
    await old.init('production')
    const customer = fixture('customer', {data: {Context_First_Name: 'Kept'}})
    await old.transaction((tx) => tx.insert([customer]))
    const newer = await open(schema.url, [...MIGRATIONS, NEXT])
    const error = await newer.get(customer.id).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).hint).toContain('ctx store upgrade')
    expect(await newer.upgrade()).toEqual({from: NEXT.version - 1, to: NEXT.version})
    expect(await newer.get(customer.id)).toEqual(customer)
    // …and the older ctx now refuses the newer schema rather than writing to it.
    const stale = await open()
    await expect(stale.get(customer.id)).rejects.toThrow(/newer ctx/)
  })

  it('rolls a failing migration back entirely: no half-upgraded schema', async () => {
    const store = await open()
    await store.init('production')
    const broken: Migration = {version: NEXT.version, name: 'broken', sql: 'CREATE TABLE ctx_extra (a int); SELECT no_such_function()'}
    await expect((await open(schema.url, [...MIGRATIONS, broken])).upgrade()).rejects.toThrow(/no_such_function/)
    expect((await store.info()).formatVersion).toBe(NEXT.version - 1)
    const tables = await admin((client) => client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema.schema, 'ctx_extra']))
    expect(tables.rows).toHaveLength(0)
  })

  it('lets concurrent upgrades take turns under the advisory lock', async () => {
    const stores = await Promise.all([open(), open(), open()])
    const results = await Promise.all(stores.map((store) => store.upgrade()))
    expect(results.filter((result) => result.from === null)).toHaveLength(1)
    const versions = await admin((client) => client.query(`SELECT version FROM "${schema.schema}".ctx_migrations`))
    expect(versions.rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version))
  })

  it('lets two transactions carrying the same keyring with new data keys run at once, neither retried (chunks of a seed in flight)', async () => {
    const store = await open()
    await store.init('lab')
    const keyring = {kek: 'kek:test', created: now(), rotated: null}
    await store.transaction((tx) => tx.putKeys(keyring, {store: 'wrapped-store'}))
    let attempts = 0
    let arrived = 0
    let bothIn: () => void
    const together = new Promise<void>((resolve) => (bothIn = resolve))
    const chunk = (id: string) =>
      store.transaction(async (tx) => {
        attempts++
        await tx.putKeys(keyring, {[`customer:${id}`]: `wrapped-${id}`})
        // Both have written before either commits.
        if (++arrived === 2) bothIn()
        await together
      })
    await Promise.all([chunk('a'), chunk('b')])
    expect(attempts).toBe(2)
    expect(Object.keys(await store.wrappedKeys('all')).sort()).toEqual(['customer:a', 'customer:b', 'store'])
    expect(await store.keyring()).toEqual(keyring)
  })

  it('keeps every one of many concurrent creates from separate connections', async () => {
    const stores = await Promise.all(Array.from({length: 6}, () => open()))
    await stores[0].init('production')
    const customers = Array.from({length: 30}, (_, index) => fixture('customer', {externalId: `c-${index}`}))
    await Promise.all(customers.map((customer, index) => stores[index % stores.length].transaction((tx) => tx.insert([customer]))))
    expect((await stores[0].info()).counts.customer).toBe(30)
  })

  it('serialises read-modify-write transactions: concurrent increments all count', async () => {
    const stores = await Promise.all(Array.from({length: 4}, () => open()))
    await stores[0].init('production')
    const counter = fixture('customer', {data: {Context_ZIP: '0'}})
    await stores[0].transaction((tx) => tx.insert([counter]))
    await Promise.all(
      Array.from({length: 12}, (_, index) =>
        stores[index % stores.length].transaction(async (tx) => {
          const stored = (await tx.get(counter.id))!
          await tx.update({...stored, data: {Context_ZIP: String(Number(stored.data.Context_ZIP) + 1)}})
        }),
      ),
    )
    expect((await stores[0].get(counter.id))?.data.Context_ZIP).toBe('12')
  })

  it('refuses the second of two updates that read the same lastUpdated (optimistic concurrency)', async () => {
    const [a, b] = await Promise.all([open(), open()])
    await a.init('production')
    const customer = fixture('customer')
    await a.transaction((tx) => tx.insert([customer]))
    const edit = (store: Store, city: string) =>
      store.transaction((tx) => tx.update({...customer, data: {Context_City: city}, lastUpdated: now()}, customer.lastUpdated))
    const results = await Promise.allSettled([edit(a, 'Lyon'), edit(b, 'Nice')])
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
  })

  it('gives up with LockTimeoutError when another transaction holds a row past the lock timeout', async () => {
    const store = await open()
    await store.init('production')
    const request = fixture('request', {created: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z'})
    await store.transaction((tx) => tx.insert([request]))
    const impatient = new PostgresStore(schema.url, {now, lockTimeoutMs: 200})
    opened.push(impatient)
    const error = await admin(async (client) => {
      await client.query('BEGIN')
      await client.query(`SELECT 1 FROM "${schema.schema}".ctx_objects WHERE id = $1 FOR UPDATE`, [request.id])
      try {
        return await impatient.transaction((tx) => tx.closeStaleRequests({cutoff: '2026-02-01T00:00:00.000Z', closedAt: now()})).catch((error: unknown) => error)
      } finally {
        await client.query('ROLLBACK')
      }
    })
    expect(error).toBeInstanceOf(LockTimeoutError)
    expect((await store.get(request.id))?.state).toBe('active')
  })

  it('folds customer keys as search folds links (schema version 3), on a store made before it too', async () => {
    const old = await open(schema.url, MIGRATIONS.filter((migration) => migration.version < 3))
    await old.init('production')
    const customer = fixture('customer', {id: 'Cust-ABC'})
    const request = fixture('request', {customerId: 'Cust-ABC'})
    await old.transaction((tx) => tx.insert([customer, request]))
    const store = await open()
    await store.upgrade()
    const late = fixture('request', {customerId: 'Cust-ABC'})
    await store.transaction((tx) => tx.insert([late]))
    const keys = await admin(async (client) => (await client.query(`SELECT DISTINCT customer_key FROM "${schema.schema}".ctx_objects`)).rows)
    expect(keys).toEqual([{customer_key: 'cust-abc'}])
    const found = await store.find({where: parseQuery('customerId:CUST-abc type:request')!})
    expect(found.items.map((item) => item.id).sort()).toEqual([request.id, late.id].sort())
  })

  it('keeps a customer’s objects under its key, and moves an activity’s comments with it', async () => {
    const store = await open()
    await store.init('production')
    const [one, two] = [fixture('customer'), fixture('customer')]
    const activity = fixture('activity', {customerId: one.id})
    const comment = fixture('comment', {parentId: activity.id, state: 'closed'})
    await store.transaction((tx) => tx.insert([one, two, activity]))
    await store.transaction((tx) => tx.insert([comment]))
    const keys = () =>
      admin(async (client) => {
        const {rows} = await client.query(`SELECT id, customer_key FROM "${schema.schema}".ctx_objects`)
        return Object.fromEntries(rows.map((row) => [row.id, row.customer_key]))
      })
    expect(await keys()).toMatchObject({[activity.id]: one.id, [comment.id]: one.id})
    await store.transaction((tx) => tx.update({...activity, customerId: two.id}))
    expect(await keys()).toMatchObject({[activity.id]: two.id, [comment.id]: two.id})
  })

  it('adds nothing from an insert that collides, even for the objects before the collision', async () => {
    const store = await open()
    await store.init('production')
    const taken = fixture('customer', {externalId: 'taken'})
    await store.transaction((tx) => tx.insert([taken]))
    const fresh = fixture('customer')
    const error = await store
      .transaction(async (tx) => {
        await tx.insert([fresh, fixture('customer', {externalId: 'taken'})]).catch((error: unknown) => error)
        return tx.get(fresh.id)
      })
      .catch((error: unknown) => error)
    expect(error).toBeNull()
    expect((await store.info()).counts.customer).toBe(1)
  })

  it('inserts a batch of many by COPY exactly as given: tabs, newlines, backslashes, quotes, control characters and non-BMP text, found by search', async () => {
    const store = await open()
    await store.init('lab')
    // No NUL: no store of ctx keeps one (unstorableTextPath in src/core/model.ts, refused before COPY).
    const nasty = ['tab\there', 'line\nbreak\r\nand\rCR', 'back\\slash \\N \\t', 'quote " and {brace}, comma', 'control \u0001\u001f char', 'emoji 😀 Zoë 李']
    const objects = Array.from({length: 120}, (_, index) =>
      fixture('customer', {
        externalId: `copy-${index}-${nasty[index % nasty.length]}`,
        // Backslashes with and without quotes beside them in the same array.
        tags: index % 2 ? [`tag "${index}"`, 'back\\slash'] : ['back\\slash'],
        data: {Context_First_Name: nasty[index % nasty.length], Context_Last_Name: `Copied${index}`, Context_Notes: `"${index}"\\`},
      }),
    )
    await store.transaction((tx) => tx.insert(objects))
    expect(await Promise.all(objects.map((object) => store.get(object.id)))).toEqual(objects)
    expect((await store.info()).counts.customer).toBe(120)
    const found = await store.find({where: parseQuery('Context_First_Name:back Context_Last_Name:copied2') ?? undefined})
    expect(found.items.map((object) => object.data.Context_Last_Name)).toEqual(['Copied2'])
    expect((await store.find({where: parseQuery('externalId:"copy-0-tab\there"') ?? undefined})).items).toHaveLength(1)
    expect((await store.find({where: parseQuery('tags:"back\\\\slash"') ?? undefined, limit: 200})).items).toHaveLength(120)
    // Every column as the row the INSERT path would have written.
    const columns = await admin((client) =>
      client.query(`SELECT id, customer_id, external_id, created_at, terms, phrases, numbers, dates FROM "${schema.schema}".ctx_objects ORDER BY id`),
    )
    const expected = objects
      .map((object) => objectRow(object, object.id))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(({id, customer_id, external_id, created_at, terms, phrases, numbers, dates}) => ({id, customer_id, external_id, created_at: new Date(created_at), terms, phrases, numbers, dates}))
    expect(columns.rows).toEqual(expected)
  })

  it('adds nothing from a batch of many that collides, names what it collided with, and the transaction goes on', async () => {
    const store = await open()
    await store.init('production')
    await store.transaction((tx) => tx.insert([fixture('customer', {externalId: 'taken'})]))
    const batch = Array.from({length: 120}, (_, index) => fixture('customer', {externalId: index === 99 ? 'taken' : `many-${index}`}))
    const outcome = await store.transaction(async (tx) => {
      const error = await tx.insert(batch).then(() => null, (error: unknown) => error)
      return {error, first: await tx.get(batch[0].id)}
    })
    expect(outcome.error).toBeInstanceOf(ConflictError)
    expect((outcome.error as ConflictError).message).toContain('taken')
    expect(outcome.first).toBeNull()
    expect((await store.info()).counts.customer).toBe(1)
  })

  it('refuses a lone surrogate (exit 5) on the COPY path and the INSERT path alike, storing nothing', async () => {
    const store = await open()
    await store.init('lab')
    for (const count of [60, 1]) {
      const batch = Array.from({length: count}, (_, index) => fixture('customer', index === count - 1 ? {externalId: 'x\ud800y'} : {tags: [`fine ${index}`]}))
      const error = await store.transaction((tx) => tx.insert(batch)).catch((error: unknown) => error)
      expect(error, `${count} objects`).toBeInstanceOf(InvalidDataError)
      expect((error as InvalidDataError).message).toContain('lone surrogate')
    }
    expect((await store.info()).counts.customer).toBe(0)
  })

  it('reports why a COPY failed even when the work carried on after it (exit 5, not the aborted transaction)', async () => {
    const store = await open()
    await store.init('lab')
    // The server refuses row 30 as it refuses text it cannot hold (22021), where ctx's own checks let
    // it through: a trigger of the test's.
    await admin((client) =>
      client.query(`
        CREATE FUNCTION "${schema.schema}".refuse_row_30() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.external_id = 'refused-30' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22021'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_row_30 BEFORE INSERT ON "${schema.schema}".ctx_objects FOR EACH ROW EXECUTE FUNCTION "${schema.schema}".refuse_row_30();`),
    )
    const batch = Array.from({length: 60}, (_, index) => fixture('customer', {externalId: index === 30 ? 'refused-30' : `ok-${index}`}))
    const error = await store
      .transaction(async (tx) => {
        await tx.insert(batch).catch(() => undefined)
        return tx.get(batch[0].id)
      })
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).message).toContain('cannot store this text')
    expect((await store.info()).counts.customer).toBe(0)
  })

  it('runs search, journeys and paging on indexes', async () => {
    const store = await open()
    await store.init('production')
    const surnames = ['Smith', 'Jones', 'Brown', 'Taylor', 'Wilson', 'Davies', 'Evans', 'Thomas']
    const customers = Array.from({length: 2000}, (_, index) =>
      fixture('customer', {data: {Context_Last_Name: surnames[index % surnames.length], Context_Work_Email: `user${index}@example.com`}}),
    )
    // Customers a tenth of the objects, as in a seeded store.
    const requests = Array.from({length: 18_000}, (_, index) => fixture('request', {customerId: customers[index % customers.length].id, data: {Context_Title: `request ${index}`}}))
    await store.transaction((tx) => tx.insert([...customers, ...requests]))
    await admin((client) => client.query(`ANALYZE "${schema.schema}".ctx_objects`))
    const definitions = await store.definitions()
    const plan = async (query: string, cursor?: string) => {
      const statement = findStatement(parseQuery(query) ?? undefined, definitions, {limit: 51, cursor})
      return admin(async (client) => {
        await client.query(`SET search_path = "${schema.schema}"`)
        await client.query('SET enable_seqscan = off')
        const {rows} = await client.query(`EXPLAIN ${statement.text}`, statement.values)
        return rows.map((row) => row['QUERY PLAN']).join('\n')
      })
    }
    expect(await plan('Context_Work_Email:user7@example.com')).toContain('ctx_objects_terms')
    expect(await plan('type:customer user7@example.com')).toContain('ctx_objects_terms')
    expect(await plan('"lovelace ada"')).toContain('ctx_objects_terms')
    // A word ANDed with the type: the rows the terms index finds, their type checked on them, never
    // the link-order index's entry of every customer beside it (P6).
    for (const query of ['type:customer Context_Work_Email:user7@example.com', 'type:customer Smith', `type:customer externalId:${customers[7].externalId}`]) {
      const found = await plan(query)
      expect(found, query).toContain('ctx_objects_terms')
      expect(found, query).not.toContain('ctx_objects_link_order')
    }
    // A word of old objects (the customers, older than every request): their rows through the terms
    // index, then ordered, never a walk of the newest-first index through every newer object.
    for (const query of ['Smith', 'Context_Last_Name:Jones', 'type:customer Smith', `id:${customers[3].id} OR id:${customers[4].id}`]) {
      const found = await plan(query)
      expect(found, query).toContain('ctx_objects_terms')
      expect(found, query).not.toContain('ctx_objects_newest')
    }
    expect(await plan(`customerId:${fixture('customer').id}`)).toContain('ctx_objects_by_customer')
    expect(await plan(`parentId:${fixture('request').id}`)).toContain('ctx_objects_by_parent')
    // The comments of many parents: one probe of the parent index per id, never a scan of every
    // comment through the link-order index (type), whatever the planner estimates.
    const parents = Array.from({length: 50}, () => `parentId:${fixture('activity').id}`).join(' OR ')
    const comments = await plan(`(type:comment OR type:feedback) (${parents})`)
    expect(comments).toMatch(/Nested Loop[\s\S]*ctx_objects_by_parent/)
    expect(comments).not.toContain('ctx_objects_link_order')
    expect(await plan('', 'WyJ2MSIsIjIwMjYtMDEtMDFUMDA6MDA6MDAuMDAwWiIsImEiXQ')).toContain('ctx_objects_newest')
    // A journey's one read: the comments on the customer's rows by one probe of the parent index
    // per row, again never the type index.
    const journey = findStatement(parseQuery(`customerId:${fixture('customer').id} (type:request OR type:activity)`)!, definitions, {limit: null, comments: true})
    const journeyPlan = await admin(async (client) => {
      await client.query(`SET search_path = "${schema.schema}"`)
      const {rows} = await client.query(`EXPLAIN ${journey.text}`, journey.values)
      return rows.map((row) => row['QUERY PLAN']).join('\n')
    })
    const probe = journeyPlan.slice(journeyPlan.indexOf('Subquery Scan on c'))
    expect(probe).toMatch(/^Subquery Scan on c[\s\S]*ctx_objects_by_parent/)
    expect(probe).not.toContain('ctx_objects_link_order')
    expect(journey.text).not.toContain('ORDER BY')
    // A customer looked up by phone (rule 6, journey, the desk): the probes of every spelling are one
    // overlap on the terms index (identify.ts checks the type afterwards).
    const byPhone = findStatement(phoneCandidates(PHONE_FIELDS, '+44 (0)20 7946 0000')!, definitions, {limit: null})
    const phonePlan = await admin(async (client) => {
      await client.query(`SET search_path = "${schema.schema}"`)
      await client.query('SET enable_seqscan = off')
      const {rows} = await client.query(`EXPLAIN ${byPhone.text}`, byPhone.values)
      return rows.map((row) => row['QUERY PLAN']).join('\n')
    })
    expect(phonePlan).toContain('ctx_objects_terms')
    expect(phonePlan).not.toMatch(/Seq Scan/)
  })

  it('connects without JIT and in the URL\'s schema, unless the URL\'s own options say otherwise', async () => {
    const settings = async (url: string) => {
      const client = new pg.Client({connectionString: pgAddress(url).connectionString})
      await client.connect()
      try {
        const {rows} = await client.query<{jit: string; path: string}>(`SELECT current_setting('jit') AS jit, current_setting('search_path') AS path`)
        return rows[0]
      } finally {
        await client.end()
      }
    }
    expect(await settings(schema.url)).toEqual({jit: 'off', path: schema.schema})
    expect((await settings(`${schema.url}&options=${encodeURIComponent('-c jit=on')}`)).jit).toBe('on')
    expect((await settings(PG_URL)).jit).toBe('off')
  })

  it('pages one customer of many old activities through the customer index, not the newest-first one', async () => {
    const store = await open()
    await store.init('production')
    const heavy = fixture('customer')
    const old = (index: number) => new Date(Date.UTC(2020, 0, 1) + index * 60_000).toISOString()
    const activities = Array.from({length: 3000}, (_, index) =>
      fixture('activity', {customerId: heavy.id, created: old(index), lastUpdated: old(index)}),
    )
    const others = Array.from({length: 3000}, () => fixture('customer'))
    await store.transaction((tx) => tx.insert([heavy, ...activities, ...others]))
    await admin((client) => client.query(`ANALYZE "${schema.schema}".ctx_objects`))
    const definitions = await store.definitions()
    const statement = findStatement(parseQuery(`type:activity customerId:${heavy.id}`) ?? undefined, definitions, {limit: 1001})
    const shown = await admin(async (client) => {
      await client.query(`SET search_path = "${schema.schema}"`)
      const {rows} = await client.query(`EXPLAIN ${statement.text}`, statement.values)
      return rows.map((row) => row['QUERY PLAN']).join('\n')
    })
    expect(shown).toContain('ctx_objects_by_customer')
    expect(shown).not.toContain('ctx_objects_newest')
    const page = await store.find({where: parseQuery(`type:activity customerId:${heavy.id}`) ?? undefined, limit: 1000})
    expect(page.items.map((item) => item.id)).toEqual(activities.slice(-1000).reverse().map((activity) => activity.id))
  })

  it('warms up before the first read: its schema check serves that read, and store init or upgrade discards it', async () => {
    // Warmed on an empty schema, initialised, then read: the warm-up's "no ctx schema" must not stick.
    const fresh = await open()
    fresh.warm()
    await fresh.init('lab')
    await fresh.transaction((tx) => tx.insert([fixture('customer', {data: {Context_Last_Name: 'Warm'}})]))
    expect((await fresh.find({})).items.map((object) => object.data.Context_Last_Name)).toEqual(['Warm'])
    // Warmed on an installed store: the read answers from it as from a cold start.
    const warmed = await open()
    warmed.warm()
    expect(await warmed.count()).toBe(1)
    expect((await warmed.definitions()).fields.Context_Last_Name).toBeDefined()
  })
})

await describePostgres('postgres:// failures', () => {
  const SECRET = 's3cr3t-Pa55'

  const failure = async (url: string) => {
    const store = new PostgresStore(url, {now})
    try {
      return await store.info().then(() => null, (error: unknown) => error as StorageError)
    } finally {
      await store.close()
    }
  }

  const shown = (error: StorageError | null) => JSON.stringify({...error?.toJSON(), stack: error?.stack})

  it('reports a warm-up that could not connect at the first read, as a cold start would (exit 7)', async () => {
    const store = await open('postgres://root@127.0.0.1:1/test')
    store.warm()
    const error = await store.get('x').then(() => null, (error: unknown) => error)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).message).toContain('connection refused')
  })

  it('reports a port where nothing listens as unreachable (exit 7), without the password', async () => {
    const error = await failure(`postgres://root:${SECRET}@127.0.0.1:1/test`)
    expect(error).toBeInstanceOf(StorageError)
    expect(error!.message).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1/)
    expect(shown(error)).not.toContain(SECRET)
  })

  it('reports a login the server refuses (exit 7), without the password', async () => {
    const error = await failure(`postgres://no_such_ctx_role:${SECRET}@127.0.0.1:${new URL(PG_URL).port || 5432}/test`)
    expect(error).toBeInstanceOf(StorageError)
    expect(error!.message).toMatch(/refused the login/)
    expect(shown(error)).not.toContain(SECRET)
  })

  it('explains a wrong password (28P01) without repeating it', () => {
    // The test server trusts local logins, so a real wrong password cannot be provoked here.
    const address = pgAddress(`postgres://ada:${SECRET}@db.example.com/ctx`)
    const error = pgFailure(Object.assign(new Error('password authentication failed for user "ada"'), {code: '28P01'}), address) as StorageError
    expect(error).toBeInstanceOf(StorageError)
    expect(error.message).toContain('refused the password of user "ada"')
    expect(shown(error)).not.toContain(SECRET)
    expect(address.location).toBe('postgres://ada:***@db.example.com/ctx')
  })

  it('takes a row a Citus worker refused in a COPY, relayed without its code (XX000), as invalid data (exit 5), not a bug', () => {
    // As Citus 13 reports it (ReportCopyError); test/e2e/postgres.test.ts provokes one on a cluster.
    const relayed = Object.assign(new Error('refused by the worker'), {code: 'XX000', routine: 'ReportCopyError'})
    const error = pgFailure(relayed, pgAddress('postgres://ada@db.example.com/ctx')) as InvalidDataError
    expect(error).toBeInstanceOf(InvalidDataError)
    expect(error.exitCode).toBe(ExitCode.invalid)
    expect(error.message).toBe('a node of the Citus cluster refused a row: refused by the worker')
    // Any other internal error is still ctx's to report as a bug.
    const internal = Object.assign(new Error('something broke'), {code: 'XX000', routine: 'elog_start'})
    expect(pgFailure(internal, pgAddress('postgres://ada@db.example.com/ctx'))).toBe(internal)
  })

  it('reports a database that does not exist and how to create it (exit 7)', async () => {
    const url = new URL(PG_URL)
    url.pathname = '/no_such_ctx_database'
    const error = await failure(url.toString())
    expect(error).toBeInstanceOf(StorageError)
    expect(error!.message).toContain('"no_such_ctx_database" does not exist')
    expect(error!.hint).toContain('createdb no_such_ctx_database')
  })

  it('commits nothing of a transaction whose connection is terminated midway (exit 7)', async () => {
    schema = await testSchema('kill')
    const application = `ctx_kill_${process.pid}_${Date.now()}`
    const url = new URL(withSchema(PG_URL, schema.schema))
    url.searchParams.set('application_name', application)
    const store = new PostgresStore(url.toString(), {now})
    try {
      await store.init('production')
      const error = await store
        .transaction(async (tx) => {
          await tx.insert(Array.from({length: 50}, () => fixture('customer')))
          await admin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [application]))
          await tx.insert(Array.from({length: 50}, () => fixture('customer')))
        })
        .catch((error: unknown) => error)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).message).toMatch(/lost the connection/)
      expect((await store.info()).counts.customer).toBe(0)
    } finally {
      await store.close()
      await schema.drop()
    }
  })
})

