// The storage contract: the one interface every command goes through and every adapter implements
// (memory:, file:, postgres://). Missing records are null, not exceptions; every write happens inside
// `transaction`, which is a lock scope on the file store and a database transaction on Postgres.
import type {Definitions} from '../definitions/model.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {Filter} from '../search/query.js'

export type StoreMode = 'lab' | 'production'

export interface Page<T> {
  items: T[]
  /** Opaque keyset cursor for the following page, null on the last one. */
  next: string | null
}

export interface FindOptions {
  where?: Filter
  /** Page size; adapters cap it at MAX_PAGE. */
  limit?: number
  /** A cursor from a previous page's `next`. */
  cursor?: string | null
  /**
   * Every match in one page, read at once (one statement on a database, so one snapshot), with no
   * `next`; limit is ignored. For the bounded sets a command reads whole: a customer's objects.
   */
  all?: boolean
  /**
   * With `all`: the comments and feedback on the matches come along, whether or not they match
   * `where` (each object once). On PostgreSQL in the same statement, so the server looks them up
   * while the client reads the matches: what deleting a customer deletes.
   */
  comments?: boolean
}

export interface ScanOptions {
  types?: readonly ObjectType[]
  /** Only objects whose lastUpdated is at or after this ISO instant. */
  since?: string
  batchSize?: number
}

export interface StoreInfo {
  location: string
  adapter: 'memory' | 'file' | 'postgres'
  initialized: boolean
  mode: StoreMode | null
  formatVersion: number | null
  created: string | null
  counts: Record<ObjectType, number>
  bytes: number | null
}

/** What an adapter can do natively; core code asks instead of guessing. */
export interface StoreCapabilities {
  /** Search runs on an index (Postgres) rather than a scan (file, memory). */
  indexedSearch: boolean
  /** Other processes may write to the same store concurrently. */
  shared: boolean
  /**
   * Rows an import commits per transaction. Infinity: the whole import is one transaction (memory,
   * file: each commit rewrites the whole file, so batching would make an import quadratic). A
   * database commits every few thousand rows so a long import neither holds one huge transaction
   * nor loses everything when killed; `--upsert` re-runs then skip what was committed.
   */
  importBatchSize: number
}

/**
 * What a store keeps of its encryption keys (src/core/crypto/keyring.ts): the fingerprint of the
 * key-encryption key the data keys are wrapped under, and when. The wrapped data keys themselves are
 * read by id (`wrappedKeys`), so a database reads only the keys of the customers a command touches.
 */
export interface StoredKeyring {
  kek: string
  created: string
  rotated: string | null
}

/** An object's place in a customer's story, without its data: what a journey counts, orders and pages by. */
export interface ObjectOutline {
  id: string
  type: ObjectType
  parentId?: string
  created: string
}

export interface StoreReader {
  get(id: string): Promise<ContextObject | null>
  /**
   * The stored objects among `ids`, in any order; ids not stored are simply absent. One round trip
   * on a database: bulk paths (import) read a batch's objects ahead with it instead of one get each,
   * and a journey reads the objects of its page.
   */
  getMany(ids: readonly string[]): Promise<ContextObject[]>
  getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null>
  /** Up to `limit` stored ids that start with `prefix` (lower-case), ascending: ids typed short, as git takes them. */
  idsWithPrefix(prefix: string, limit: number): Promise<string[]>
  /** Objects matching `where`, newest lastUpdated first (ties by id, descending), keyset-paged. */
  find(options?: FindOptions): Promise<Page<ContextObject>>
  /**
   * The outline of every object matching `where` and of the comments and feedback on them, each
   * object once, in no order: what `find({where, all: true, comments: true})` returns, without the
   * objects' data. A journey counts, orders and pages a customer's 10k activities by it, then reads
   * only its page (bench P7).
   */
  outline(where: Filter): Promise<ObjectOutline[]>
  count(where?: Filter): Promise<number>
  /** The store's field definitions; like every object a store returns, treat it as read-only. */
  definitions(): Promise<Definitions>
}

/** How the encryption layer (src/core/crypto/sealed-store.ts) reads a store's keys. */
export interface KeyReader {
  /** The store's keyring, null before its first encrypted value. */
  keyring(): Promise<StoredKeyring | null>
  /** The wrapped data keys stored among `ids` (every one for 'all'), by id; ids not stored are absent. */
  wrappedKeys(ids: readonly string[] | 'all'): Promise<Record<string, string>>
}

/** What `closeStaleRequests` is asked to do. */
export interface CloseStaleOptions {
  /** ISO instant: a request whose latest update is strictly before it is stale. */
  cutoff: string
  /** ISO instant written as the closed requests' closedAt and lastUpdated; after `cutoff`. */
  closedAt: string
  /** Work out and return what would close, writing nothing. */
  dryRun?: boolean
}

export interface CloseStaleResult {
  /** Ids of the requests closed (or, on a dry run, that would close), sorted ascending. */
  closed: string[]
  /** How many active requests were examined: every request whose state was `active`. */
  scanned: number
}

export interface StoreWriter extends StoreReader, KeyReader {
  /** The stored objects of `type` among these externalIds, in any order; like getMany. */
  getManyByExternalId(type: ObjectType, externalIds: readonly string[]): Promise<ContextObject[]>
  /**
   * Adds new objects; an id or a (type, externalId) already stored is a ConflictError. Like every
   * object it takes, the store may keep them as they are (the memory and file stores do when they
   * are already canonical): treat them as read-only from then on. `prepare`, when given, is what
   * is stored of each object instead of the object itself (the encryption layer seals values with
   * it); it may change an object's data only. A database applies it as it makes each row, while the
   * server inserts the rows before, so the two overlap (bench P2).
   */
  insert(objects: readonly ContextObject[], prepare?: (object: ContextObject) => ContextObject): Promise<void>
  /**
   * Replaces a stored object by id. With `expectedLastUpdated`, refuses (ConflictError) when the
   * stored object's lastUpdated differs: optimistic concurrency, rule 4.
   */
  update(object: ContextObject, expectedLastUpdated?: string): Promise<void>
  /** Removes objects by id and returns how many there were. */
  remove(ids: readonly string[]): Promise<number>
  putDefinitions(definitions: Definitions): Promise<void>
  /** Records the keyring and adds (or replaces) wrapped data keys by id. */
  putKeys(keyring: StoredKeyring, keys: Record<string, string>): Promise<void>
  /** Destroys wrapped data keys (a deleted customer's): the store keeps no copy of them. */
  removeKeys(ids: readonly string[]): Promise<void>
  /**
   * rule 3, the auto-close sweep, as one set-based write (core's `sweepStale` calls it).
   *
   * A request's *latest update* is the greatest `lastUpdated`, compared as instants, among:
   * the request itself; every object whose parentId is the request (its activities, and comments
   * and feedback on it); every comment and feedback whose parentId is one of those activities.
   * Objects that merely name the request's customer do not count.
   *
   * Every request with `state: 'active'` whose latest update is strictly before `cutoff` is
   * replaced by a copy with `state: 'closed'`, `closeReason: 'auto'`, and `closedAt` and
   * `lastUpdated` both set to `options.closedAt`; nothing else changes, no other object is written.
   * Closed requests are never touched, so a second call closes nothing new and keeps the first
   * `closedAt`. Writes earlier in the same transaction count (an activity inserted just before keeps
   * its request open).
   *
   * Overlapping calls from different processes must close each request once: the file store gets
   * that from its lock; Postgres from a conditional UPDATE (`... WHERE state = 'active' AND ...`,
   * which READ COMMITTED re-checks on a row another transaction just closed). One statement will do:
   *
   *   UPDATE objects r SET state = 'closed', close_reason = 'auto', closed_at = $closedAt, last_updated = $closedAt
   *    WHERE r.type = 'request' AND r.state = 'active' AND r.last_updated < $cutoff
   *      AND NOT EXISTS (SELECT 1 FROM objects a WHERE a.parent_id = r.id AND a.last_updated >= $cutoff)
   *      AND NOT EXISTS (SELECT 1 FROM objects a JOIN objects c ON c.parent_id = a.id
   *                       WHERE a.parent_id = r.id AND a.type = 'activity' AND c.last_updated >= $cutoff)
   *   RETURNING r.id
   *
   * with `scanned` from a count of active requests in the same transaction, and a SELECT of the same
   * condition for `dryRun`. A lock wait past the adapter's timeout should throw LockTimeoutError.
   */
  closeStaleRequests(options: CloseStaleOptions): Promise<CloseStaleResult>
}

export interface Store extends StoreReader, KeyReader {
  /** Where the store is, safe to print (no password). */
  readonly location: string
  readonly capabilities: StoreCapabilities
  /**
   * Runs `work` as one read-modify-write: reads inside see a consistent store, and its writes land
   * together when it resolves, or not at all when it throws. Creates the store (production mode) on
   * its first write. On Postgres, `work` runs again when a concurrent transaction made it
   * unserialisable, so it must not have effects outside the store.
   */
  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T>
  /** Every object in link order (customers, requests, activities, comments, feedback), in batches. */
  scan(options?: ScanOptions): AsyncIterable<ContextObject[]>
  info(): Promise<StoreInfo>
  /** Creates the store in `mode`; on an existing store of the same mode it changes nothing. */
  init(mode: StoreMode): Promise<StoreInfo>
  /** Deletes every object and restores the base definitions: lab stores only. */
  flush(): Promise<void>
  /** Brings the store's format up to this ctx's version; idempotent. */
  upgrade(options?: UpgradeOptions): Promise<{from: number | null; to: number}>
  /**
   * Starts what the first read will wait for (a server connection, the schema check) while the
   * command is still loading; failures surface at that first read. Stores with nothing to start
   * leave it out.
   */
  warm?(): void
  /**
   * After a bulk write of `written` objects (seed, import, migrate): brings the query planner's
   * statistics up to date when that many changes could have made them wrong, so the next command
   * runs as it would a minute later. Never fails: the write is done, and statistics only speed
   * reads. True when it refreshed them. Stores without a planner leave it out.
   */
  refreshStatistics?(written: number): Promise<boolean>
  close(): Promise<void>
}

export interface UpgradeOptions {
  /**
   * Work on the store's data that belongs to the upgrade (encrypting what an older ctx left clear):
   * on the file and memory stores, in the same write as the format change, so one atomic replace.
   * A database runs its migrations alone; the caller does such work afterwards, in batches.
   */
  within?: (tx: StoreWriter) => Promise<void>
}

/**
 * Whether the store commits a bulk write (import, seed, migrate, an upgrade's resealing) as one
 * transaction: an importBatchSize of Infinity.
 */
export function commitsWhole(store: {capabilities: StoreCapabilities}): boolean {
  return !Number.isFinite(store.capabilities.importBatchSize)
}

export const DEFAULT_PAGE = 50
export const MAX_PAGE = 1000

export function emptyCounts(): Record<ObjectType, number> {
  return {customer: 0, request: 0, activity: 0, comment: 0, feedback: 0}
}
