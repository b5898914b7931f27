// The versioned schema: migrations run in order inside one transaction, under an advisory lock so
// two ctx processes upgrading at once take turns, and each is recorded in ctx_migrations.
import type pg from 'pg'
import type {Definitions} from '../../definitions/model.js'
import type {StoreMode} from '../store.js'
import {DISTRIBUTED} from './citus.js'
import {DEFINITION_ROWS_JSON, type DefinitionRow, definitionsFrom} from './definitions.js'
import {MIGRATIONS} from './migrations/index.js'

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>
  /** `COPY … FROM STDIN` with these chunks of text as the data, each asked for as the server takes the last: on a transaction's client. */
  copyFrom?(sql: string, chunks: Iterable<string>): Promise<void>
}

export interface Migration {
  version: number
  name: string
  /** DDL, run as one statement batch inside the upgrade's transaction. */
  sql: string
  /** Data the version needs, written in the same transaction (e.g. the base definitions). */
  after?(client: Queryable): Promise<void>
}

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version

/** The installed schema version, or null when the search path holds no ctx schema. */
export async function installedVersion(db: Queryable): Promise<number | null> {
  const {rows} = await db.query<{present: boolean}>(`SELECT to_regclass('ctx_migrations') IS NOT NULL AS present`)
  if (!rows[0].present) return null
  const result = await db.query<{version: number | null}>('SELECT max(version) AS version FROM ctx_migrations')
  return result.rows[0].version ?? 0
}

export interface InstalledSchema {
  version: number | null
  mode: StoreMode | null
  /** The definitions, when they could be read along (a schema as this ctx knows it). */
  definitions: Definitions | null
  /** Whether the store is distributed by customer on Citus (see citus.ts). */
  distributed: boolean
}

/**
 * The installed version, the store's mode and its definitions in one round trip, as nearly every
 * command starts by needing them (bench P6). When the tables are not all there as this ctx
 * knows them (no store, or another schema version), the version alone, in two steps.
 */
export async function installedSchema(db: Queryable): Promise<InstalledSchema> {
  try {
    const {rows} = await db.query<{version: number | null; mode: StoreMode | null; definitions: DefinitionRow[]; distributed: boolean}>(
      `SELECT (SELECT max(version) FROM ctx_migrations) AS version, (SELECT mode FROM ctx_store) AS mode, ${DEFINITION_ROWS_JSON} AS definitions, ${DISTRIBUTED} AS distributed`,
    )
    return {version: rows[0].version ?? 0, mode: rows[0].mode, definitions: definitionsFrom(rows[0].definitions), distributed: rows[0].distributed}
  } catch (error) {
    if (!SCHEMA_MISMATCH.has((error as {code?: string}).code ?? '')) throw error
    return {version: await installedVersion(db), mode: null, definitions: null, distributed: false}
  }
}

/** undefined_table, undefined_column. */
const SCHEMA_MISMATCH = new Set(['42P01', '42703'])

/**
 * Runs the migrations newer than the installed version, up to `upTo`, on a client already inside a
 * transaction; creates the URL's schema first when it names one. Returns the versions before and after.
 */
export async function migrate(
  client: Queryable,
  options: {schema: string | null; migrations?: readonly Migration[]; upTo?: number},
): Promise<{from: number | null; to: number}> {
  const migrations = options.migrations ?? MIGRATIONS
  // Keyed by schema, so stores in different schemas of one database upgrade independently.
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('ctx schema ' || coalesce($1, current_schema(), ''), 0))`, [options.schema])
  if (options.schema !== null) {
    // The name reaches the DDL through a setting and format('%I'): quoted by the server, never spliced in.
    await client.query(`SELECT set_config('ctx.schema', $1, true)`, [options.schema])
    await client.query(`DO $$ BEGIN EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', current_setting('ctx.schema')); END $$`)
  }
  const from = await installedVersion(client)
  const upTo = options.upTo ?? migrations.at(-1)!.version
  let version = from ?? 0
  for (const migration of migrations) {
    if (migration.version <= version || migration.version > upTo) continue
    await client.query(migration.sql)
    await migration.after?.(client)
    await client.query('INSERT INTO ctx_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
    version = migration.version
  }
  return {from, to: version}
}
