// The `postgres://` adapter (README "Where the data lives"): the storage contract on PostgreSQL through node-postgres,
// for teams, cron on a server and millions of objects. A transaction is SERIALIZABLE on one pooled
// client, so concurrent ctx processes behave as if they took turns, as they do on the file store.
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type pg from 'pg'
import {from as copyFrom} from 'pg-copy-streams'
import {baseDefinitions, type Definitions} from '../../definitions/model.js'
import {StorageError} from '../../errors.js'
import {type ContextObject, LINK_ORDER, type ObjectType} from '../../model.js'
import type {Filter} from '../../search/query.js'
import {checkFlushable, checkMode} from '../refusals.js'
import {emptyCounts, type FindOptions, type ScanOptions, type Store, type StoreCapabilities, type StoreInfo, type StoreMode, type StoreWriter} from '../store.js'
import {DISTRIBUTED, distributeOnCitus} from './citus.js'
import {createPool, isRetryable, type PgAddress, pgAddress, pgFailure, storeCommand} from './connection.js'
import {readDefinitions, writeDefinitions} from './definitions.js'
import {MIGRATIONS} from './migrations/index.js'
import {PgReader, PgWriter, UNIQUE_VIOLATION} from './objects.js'
import {type InstalledSchema, installedSchema, installedVersion, migrate, type Migration, type Queryable} from './schema.js'
import {refreshStatistics} from './statistics.js'

export interface PostgresStoreOptions {
  now: () => string
  /** How long a statement waits for a lock another transaction holds (default 20 s): then LockTimeoutError. */
  lockTimeoutMs?: number
  /** The schema versions this ctx knows; tests pass their own to exercise upgrades. */
  migrations?: readonly Migration[]
}

const LOCK_TIMEOUT_MS = 20_000

/** How often a transaction that lost a serialization race runs again before giving up (exit 4). */
const MAX_ATTEMPTS = 8

interface Readiness {
  mode: StoreMode | null
  /** Distributed by customer on Citus (citus.ts): the few statements Citus would refuse are written its way. */
  distributed: boolean
}

export class PostgresStore implements Store {
  // 4000 rows a transaction: against 1000, ~6% less import time (fewer commits and lookups), ~10 MB more memory.
  readonly capabilities: StoreCapabilities = {indexedSearch: true, shared: true, importBatchSize: 4000}
  readonly location: string
  private readonly address: PgAddress
  private readonly pool: pg.Pool
  private readonly migrations: readonly Migration[]
  private readiness: Promise<Readiness> | undefined
  /** The schema check warm() started, taken by the first ready(); administration discards it. */
  private prefetched: Promise<InstalledSchema> | undefined
  private knownDefinitions: Promise<Definitions> | undefined
  private definitionsAlong: Definitions | undefined
  private closed = false

  constructor(
    url: string,
    private readonly options: PostgresStoreOptions,
  ) {
    this.address = pgAddress(url)
    this.location = this.address.location
    this.migrations = options.migrations ?? MIGRATIONS
    this.pool = createPool(this.address, options.lockTimeoutMs ?? LOCK_TIMEOUT_MS)
  }

  private get version(): number {
    return this.migrations.at(-1)!.version
  }

  get(id: string) {
    return this.read((reader) => reader.get(id))
  }

  idsWithPrefix(prefix: string, limit: number) {
    return this.read((reader) => reader.idsWithPrefix(prefix, limit))
  }

  getByExternalId(type: ObjectType, externalId: string) {
    return this.read((reader) => reader.getByExternalId(type, externalId))
  }

  getMany(ids: readonly string[]) {
    return this.read((reader) => reader.getMany(ids))
  }

  find(options?: FindOptions) {
    return this.read((reader) => reader.find(options))
  }

  outline(where: Filter) {
    return this.read((reader) => reader.outline(where))
  }

  count(where?: Filter) {
    return this.read((reader) => reader.count(where))
  }

  keyring() {
    return this.read((reader) => reader.keyring())
  }

  wrappedKeys(ids: readonly string[] | 'all') {
    return this.read((reader) => reader.wrappedKeys(ids))
  }

  /** Read once per store until a transaction or administration, which may change them. */
  definitions() {
    this.knownDefinitions ??= this.guard(async () => {
      await this.ready()
      // The schema check reads them along; a transaction since then has forgotten them.
      const along = this.definitionsAlong
      this.definitionsAlong = undefined
      return along ?? readDefinitions(this.pool)
    }).catch((error: unknown) => {
      this.knownDefinitions = undefined
      throw error
    })
    return this.knownDefinitions
  }

  /**
   * Runs `work` in a SERIALIZABLE transaction. When PostgreSQL reports that a concurrent
   * transaction made it unserialisable, everything is rolled back and `work` runs again.
   */
  async transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    const readiness = await this.guard(() => this.ready())
    this.forgetDefinitions()
    for (let attempt = 1; ; attempt++) {
      const connection = await this.checkout()
      const writer = new PgWriter(connection.db, readiness.mode === null ? {mode: 'production', at: this.options.now()} : null, readiness.distributed)
      try {
        await connection.db.query('BEGIN ISOLATION LEVEL SERIALIZABLE')
        if (readiness.distributed) {
          // The lock timeout holds on the workers too: Citus passes on a transaction's SET LOCAL when asked.
          await connection.db.query(`SET LOCAL citus.propagate_set_commands = 'local'`)
          await connection.db.query(`SET LOCAL lock_timeout = ${Math.trunc(this.options.lockTimeoutMs ?? LOCK_TIMEOUT_MS)}`)
        }
        const result = await work(writer)
        await connection.db.query('COMMIT')
        this.forgetDefinitions()
        if (writer.created) readiness.mode = 'production'
        return result
      } catch (error) {
        await connection.rollback()
        // The first database error explains the failure even when `work` wrapped or replaced it.
        const cause = connection.failure ?? error
        if (isRetryable(cause) && attempt < MAX_ATTEMPTS) {
          await pause(attempt)
          continue
        }
        throw pgFailure(cause, this.address)
      } finally {
        connection.release()
      }
    }
  }

  /** Streams each type in link order, then by created and id, through a server-side cursor in one snapshot. */
  async *scan(options: ScanOptions = {}): AsyncIterable<ContextObject[]> {
    await this.guard(() => this.ready())
    const batchSize = Math.max(1, Math.min(Math.trunc(options.batchSize ?? 1000), 100_000))
    const connection = await this.checkout()
    let finished = false
    try {
      await connection.db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      for (const type of LINK_ORDER) {
        if (options.types && !options.types.includes(type)) continue
        const since = options.since === undefined ? '' : ' AND last_updated >= $2'
        await connection.db.query(
          `DECLARE ctx_scan NO SCROLL CURSOR FOR SELECT body FROM ctx_objects WHERE type = $1${since} ORDER BY created, id`,
          options.since === undefined ? [type] : [type, options.since],
        )
        for (;;) {
          const {rows} = await connection.db.query<{body: ContextObject}>(`FETCH ${batchSize} FROM ctx_scan`)
          if (rows.length > 0) yield rows.map((row) => row.body)
          if (rows.length < batchSize) break
        }
        await connection.db.query('CLOSE ctx_scan')
      }
      await connection.db.query('COMMIT')
      finished = true
    } catch (error) {
      throw pgFailure(connection.failure ?? error, this.address)
    } finally {
      if (!finished) await connection.rollback()
      connection.release()
    }
  }

  async info(): Promise<StoreInfo> {
    return this.guard(async () => {
      const version = await installedVersion(this.pool)
      const info: StoreInfo = {
        location: this.location,
        adapter: 'postgres',
        initialized: false,
        mode: null,
        formatVersion: version,
        created: null,
        counts: emptyCounts(),
        bytes: null,
      }
      if (version === null) return info
      const meta = await this.pool.query<{mode: StoreMode; created: string}>('SELECT mode, created FROM ctx_store')
      if (meta.rows[0]) Object.assign(info, {initialized: true, mode: meta.rows[0].mode, created: meta.rows[0].created})
      const counts = await this.pool.query<{type: ObjectType; count: string}>('SELECT type, count(*) AS count FROM ctx_objects GROUP BY type')
      for (const row of counts.rows) info.counts[row.type] = Number(row.count)
      const distributed = (await this.pool.query<{distributed: boolean}>(`SELECT ${DISTRIBUTED} AS distributed`)).rows[0].distributed
      // On Citus the coordinator's tables are empty shells: their shards' sizes, on every node.
      const size = await this.pool.query<{bytes: string}>(
        `SELECT sum(${distributed ? 'citus_total_relation_size' : 'pg_total_relation_size'}(to_regclass(name))) AS bytes FROM unnest($1::text[]) AS t(name)`,
        [['ctx_objects', 'ctx_definitions', 'ctx_store', 'ctx_migrations', 'ctx_keyring', 'ctx_keys', ...(distributed ? ['ctx_claims'] : [])]],
      )
      info.bytes = Number(size.rows[0].bytes)
      return info
    })
  }

  /** Installs or upgrades the schema, then records the mode; a store keeps the mode it was created with. */
  async init(mode: StoreMode): Promise<StoreInfo> {
    await this.administer(async (client) => {
      await this.migrate(client)
      const {rows} = await client.query<{mode: StoreMode}>('SELECT mode FROM ctx_store FOR UPDATE')
      checkMode(this.location, rows[0]?.mode, mode)
      if (!rows[0]) await client.query('INSERT INTO ctx_store (mode, created) VALUES ($1, $2)', [mode, this.options.now()])
    })
    return this.info()
  }

  async flush(): Promise<void> {
    await this.guard(() => this.ready())
    await this.administer(async (client) => {
      const {rows} = await client.query<{mode: StoreMode}>('SELECT mode FROM ctx_store FOR UPDATE')
      checkFlushable(this.location, rows[0]?.mode)
      const {distributed} = (await client.query<{distributed: boolean}>(`SELECT ${DISTRIBUTED} AS distributed`)).rows[0]
      await client.query(distributed ? 'TRUNCATE ctx_objects, ctx_keys, ctx_keyring, ctx_claims' : 'TRUNCATE ctx_objects, ctx_keys, ctx_keyring')
      await writeDefinitions(client, baseDefinitions())
    })
  }

  /** Runs the migrations this ctx has and the database lacks; from an empty database, installs the schema. */
  async upgrade(): Promise<{from: number | null; to: number}> {
    const result = await this.administer((client) => this.migrate(client))
    // A migration may rewrite rows or add an index on an expression, which has no statistics yet.
    if (result.from !== null && result.to > result.from) await this.refreshStatistics(Number.POSITIVE_INFINITY)
    return result
  }

  /** ANALYZE when the write made the statistics stale by autovacuum's rule (see statistics.ts). */
  async refreshStatistics(written: number): Promise<boolean> {
    if (this.closed) return false
    return refreshStatistics(this.pool, written).catch(() => false)
  }

  /**
   * The migrations, then, on a Citus coordinator, the distributed layout for a store of version 3
   * or later that does not have it yet (one that came from a single server at that version).
   */
  private async migrate(client: Queryable): Promise<{from: number | null; to: number}> {
    const versions = await migrate(client, {schema: this.address.schema, migrations: this.migrations})
    if (versions.to >= 3) await distributeOnCitus(client)
    return versions
  }

  /**
   * Connects and sends the schema check now: a new server backend takes ~15 ms to start and the
   * first query ~10 ms more, which then pass while oclif loads the command (bench P6).
   */
  warm(): void {
    if (this.closed || this.readiness || this.prefetched) return
    this.prefetched = installedSchema(this.pool)
    // Seen, or not, by the first ready(), which reports it the way it reports its own.
    this.prefetched.catch(() => undefined)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }

  private read<T>(work: (reader: PgReader) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const {distributed} = await this.ready()
      return work(new PgReader(this.pool, () => this.definitions(), distributed))
    })
  }

  /** After a write, which may have changed them. */
  private forgetDefinitions(): void {
    this.knownDefinitions = undefined
    this.definitionsAlong = undefined
  }

  /** Store administration in one READ COMMITTED transaction; forgets what it knew about the schema. */
  private administer<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    this.readiness = undefined
    this.prefetched = undefined
    this.forgetDefinitions()
    return this.guard(async () => {
      const connection = await this.checkout()
      try {
        await connection.db.query('BEGIN')
        const result = await work(connection.db)
        await connection.db.query('COMMIT')
        return result
      } catch (error) {
        await connection.rollback()
        throw connection.failure ?? error
      } finally {
        connection.release()
      }
    })
  }

  /** A client of its own, watched while in use: a server that goes away mid-transaction is an error here, not a crash. */
  private async checkout(): Promise<Connection> {
    const client = await this.guard(() => this.pool.connect())
    let failure: unknown
    let healthy = true
    const record = (error: unknown) => {
      failure ??= error
      healthy = false
    }
    client.on('error', record)
    return {
      db: {
        query: (text, values) =>
          client.query(text, values).catch((error: unknown) => {
            failure ??= error
            throw error
          }) as never,
        // A unique violation is not the failure: the writer recovers from it (PgWriter.copied).
        // One chunk made ahead of the one being sent, not Readable's sixteen: a chunk is made as the
        // server takes the last, so making it overlaps the server's work and little text waits.
        copyFrom: (sql, chunks) =>
          pipeline(Readable.from(chunks, {highWaterMark: 1}), client.query(copyFrom(sql))).catch((error: unknown) => {
            if ((error as {code?: string}).code !== UNIQUE_VIOLATION) failure ??= error
            throw error
          }),
      },
      get failure() {
        return failure
      },
      async rollback() {
        if (healthy) healthy = await client.query('ROLLBACK').then(() => true, () => false)
      },
      release() {
        client.off('error', record)
        client.release(healthy ? undefined : true)
      },
    }
  }

  /** Checks once per store that the schema is there and current: exit 7 with the command to run otherwise. */
  private ready(): Promise<Readiness> {
    this.readiness ??= this.checkSchema().catch((error: unknown) => {
      this.readiness = undefined
      throw error
    })
    return this.readiness
  }

  private async checkSchema(): Promise<Readiness> {
    const prefetched = this.prefetched
    this.prefetched = undefined
    const {version, mode, definitions, distributed} = await (prefetched ?? installedSchema(this.pool))
    if (version === null) {
      throw new StorageError(`${this.location} holds no ctx store: the database has no ctx schema`, {
        hint: `Create the store first: ${storeCommand(this.address, 'store init')}; add --mode lab for a throwaway store.`,
        where: this.location,
      })
    }
    if (version < this.version) {
      throw new StorageError(`${this.location} has ctx schema version ${version}, older than this ctx (${this.version})`, {
        hint: `Run ${storeCommand(this.address, 'store upgrade')} first.`,
        where: this.location,
      })
    }
    if (version > this.version) {
      throw new StorageError(`${this.location} was upgraded by a newer ctx (schema version ${version}; this ctx knows up to ${this.version})`, {
        hint: 'Upgrade ctx to use this store.',
        where: this.location,
      })
    }
    this.definitionsAlong = definitions ?? undefined
    return {mode, distributed}
  }

  /** Runs `work`, turning connection and server failures into errors with exit codes. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError(`${this.location} was already closed`)
    try {
      return await work()
    } catch (error) {
      throw pgFailure(error, this.address)
    }
  }
}

interface Connection {
  db: Queryable
  /** The first error this client met (a query's, or the connection's own). */
  readonly failure: unknown
  rollback(): Promise<void>
  /** Back to the pool, or closed when its connection is broken. */
  release(): void
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt))
}
