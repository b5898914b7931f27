// The benchmarks' own PostgreSQL database: created on the server of CTX_BENCH_PG_URL (an admin
// connection, default postgres://root@127.0.0.1:5432/postgres) as ctx_bench_<pid>, dropped after.
// Everything goes through psql, which the baselines use too.
import {spawnSync} from 'node:child_process'

export const ADMIN_URL = process.env.CTX_BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres'

/** Runs SQL commands through psql (each `-c` its own statement, in order, one session); returns stdout. */
export function psql(url, ...commands) {
  const args = [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((command) => ['-c', command])]
  const result = spawnSync('psql', args, {encoding: 'utf8', maxBuffer: 1 << 26})
  if (result.error) throw new Error(`psql: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`psql exited ${result.status}: ${result.stderr.trim()}\n  while running: ${commands.join('; ').slice(0, 500)}`)
  return result.stdout.trim()
}

/** Why PostgreSQL cannot be used here, or null when it answers. */
export function unavailable() {
  try {
    psql(ADMIN_URL, 'SELECT 1')
    return null
  } catch (error) {
    return `no PostgreSQL answers at ${ADMIN_URL} (${error.message.split('\n')[0]}); set CTX_BENCH_PG_URL`
  }
}

/** The URL of database `name` on the admin URL's server. */
export function databaseUrl(name) {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

export function createDatabase(name) {
  psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${name}`, `CREATE DATABASE ${name}`)
  return databaseUrl(name)
}

export function dropDatabase(name) {
  psql(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}

/** A store URL for ctx: the bench database, one schema per data set. */
export function storeUrl(databaseUrl, schema) {
  return `${databaseUrl}?schema=${schema}`
}

/** psql's command line for `sql` (one or more commands, each its own -c) in `schema` of the bench database: what the baselines run. */
export function psqlCommand(url, schema, ...sql) {
  return ['psql', url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `SET search_path TO ${schema}`, ...sql.flatMap((command) => ['-c', command])]
}

/** A string as an SQL literal. */
export function literal(text) {
  return `'${String(text).replaceAll("'", "''")}'`
}
