// PostgreSQL for tests: the server of CTX_TEST_PG_URL, a schema of its own for each store a test
// makes (dropped afterwards), and the rule of the README's "Install and test" — skipped with a printed notice when no
// server answers, except under CI=true, where that is a failure.
import pg from 'pg'
import {describe, it} from 'vitest'

export const PG_URL = process.env.CTX_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test'

/**
 * The coordinator of a Citus cluster (a coordinator and two workers; .ci/run starts one), on which
 * the contract, search and PostgreSQL end-to-end suites run again, with the store distributed.
 */
export const CITUS_URL = process.env.CTX_TEST_CITUS_URL ?? 'postgres://root@127.0.0.1:55432/ctx'

/**
 * CITUS_URL as the suites' store URL: 4 shards a distributed table rather than Citus's 32, since
 * every test makes a store of its own; the statements and plans are the same, with fewer shards.
 */
export const CITUS_TEST_URL = withOptions(CITUS_URL, '-c citus.shard_count=4')

let citusAvailability: Promise<boolean> | undefined

/** Whether a Citus coordinator answers at CITUS_URL. Under CI=true one that does not is a failure. */
export function citusAvailable(): Promise<boolean> {
  citusAvailability ??= (async () => {
    const client = new pg.Client({connectionString: CITUS_URL, connectionTimeoutMillis: 5000})
    let reason: string
    try {
      await client.connect()
      const {rows} = await client.query(`SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') AS citus`)
      if (rows[0].citus) return true
      reason = `${redacted(CITUS_URL)} has no citus extension`
    } catch (error) {
      reason = `no Citus coordinator answered at ${redacted(CITUS_URL)} (${(error as Error).message})`
    } finally {
      await client.end().catch(() => undefined)
    }
    if (process.env.CI === 'true') throw new Error(`${reason}; under CI=true the Citus tests must run`)
    console.warn(`NOTICE: skipping the tests on Citus: ${reason}. Start a cluster (see docs/citus.md) or set CTX_TEST_CITUS_URL to run them.`)
    return false
  })()
  return citusAvailability
}

/** Like describePostgres, on the Citus coordinator. */
export async function describeCitus(name: string, body: () => void): Promise<void> {
  if (await citusAvailable()) describe(name, body)
  else describe(name, () => it.skip(`needs a Citus coordinator at ${redacted(CITUS_URL)}: see the notice printed above`, () => undefined))
}

let availability: Promise<boolean> | undefined

/** Whether the test server answers. Under CI=true an unreachable server throws instead. */
export function postgresAvailable(): Promise<boolean> {
  availability ??= (async () => {
    const client = new pg.Client({connectionString: PG_URL, connectionTimeoutMillis: 5000})
    try {
      await client.connect()
      await client.query('SELECT 1')
      return true
    } catch (error) {
      const reason = `PostgreSQL at ${redacted(PG_URL)} did not answer (${(error as Error).message})`
      if (process.env.CI === 'true') throw new Error(`${reason}; under CI=true the PostgreSQL tests must run`)
      console.warn(`NOTICE: skipping the PostgreSQL tests: ${reason}. Set CTX_TEST_PG_URL or start the server to run them.`)
      return false
    } finally {
      await client.end().catch(() => undefined)
    }
  })()
  return availability
}

/**
 * Registers `body` as a describe block when PostgreSQL answers; otherwise a skipped case that says
 * why (the notice itself is printed once by postgresAvailable). Await it at the top of the file.
 */
export async function describePostgres(name: string, body: () => void): Promise<void> {
  if (await postgresAvailable()) describe(name, body)
  else describe(name, () => it.skip(`needs PostgreSQL at ${redacted(PG_URL)}: see the notice printed above`, () => undefined))
}

let made = 0

/** A store URL in a new, empty schema, and a function that drops the schema. */
export async function testSchema(label = 'test', base = PG_URL): Promise<{url: string; schema: string; drop(): Promise<void>}> {
  const schema = `ctx_${label}_${process.pid}_${made++}_${Math.random().toString(36).slice(2, 8)}`
  return {
    url: withSchema(base, schema),
    schema,
    drop: () => dropSchema(schema, base),
  }
}

/**
 * A schema of its own for one sandbox when the e2e suites run on PostgreSQL (CTX_TEST_STORE=postgres):
 * its URL, and a function that drops it. helpers/cli.ts installs ctx's schema there as `ctx store upgrade` would.
 */
export function sandboxSchema(): {url: string; drop(): Promise<void>} {
  const schema = `ctx_e2e_${process.pid}_${made++}_${Math.random().toString(36).slice(2, 8)}`
  return {
    url: withSchema(PG_URL, schema),
    drop: () => dropSchema(schema),
  }
}

/**
 * Drops a test's schema. On Citus two schemas dropped at once by two test processes can deadlock
 * (each drop takes locks on every node); the server ends one of them, which is dropped again.
 */
async function dropSchema(schema: string, url = PG_URL): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`), url)
      return
    } catch (error) {
      if ((error as {code?: string}).code !== '40P01' || attempt === 3) throw error
    }
  }
}

/** The same server and database, with `?schema=` set. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set('schema', schema)
  return parsed.toString()
}

/** The URL with these server options added to its own (`?options=`). */
export function withOptions(url: string, options: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set('options', [parsed.searchParams.get('options'), options].filter(Boolean).join(' '))
  return parsed.toString()
}

/** Runs statements on the test database as its administrator (tests only: names are the tests' own). */
export async function admin<T>(work: (client: pg.Client) => Promise<T>, url = PG_URL): Promise<T> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

function redacted(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')
}

/**
 * The store in `schema` taken back to the search terms of schema versions 1–4: each word of a
 * clear value also as `FIELD:word` (read back from its field's word sequence in `phrases`), as those
 * versions wrote it, and version 5 no longer recorded as run. Upgrading it again runs migration 5.
 */
export async function asSchemaVersion4(schema: string, url = PG_URL): Promise<void> {
  await admin(async (client) => {
    await client.query(`SET search_path TO "${schema}"`)
    await client.query(`UPDATE ctx_objects o SET terms = o.terms || ARRAY(
      SELECT DISTINCT split_part(p.words, ':', 1) || ':' || w.word
      FROM unnest(o.phrases) AS p(words), unnest(string_to_array(btrim(substr(p.words, strpos(p.words, ':') + 2)), ' ')) AS w(word))
      WHERE cardinality(o.phrases) > 0`)
    await client.query('DELETE FROM ctx_migrations WHERE version >= 5')
  }, url)
}
