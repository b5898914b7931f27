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
   * Every transaction rewrites the whole store (the file store): bulk work should write in one
   * transaction rather than in batches, which would cost a rewrite each.
   */
  rewritesWholeStore: boolean
}

export interface StoreReader {
  get(id: string): Promise<ContextObject | null>
  getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null>
  /** Objects matching `where`, newest lastUpdated first (ties by id, descending), keyset-paged. */
  find(options?: FindOptions): Promise<Page<ContextObject>>
  count(where?: Filter): Promise<number>
  definitions(): Promise<Definitions>
}

export interface StoreWriter extends StoreReader {
  /** Adds new objects; an id or a (type, externalId) already stored is a ConflictError. */
  insert(objects: readonly ContextObject[]): Promise<void>
  /**
   * Replaces a stored object by id. With `expectedLastUpdated`, refuses (ConflictError) when the
   * stored object's lastUpdated differs: optimistic concurrency, DESIGN rule 4.
   */
  update(object: ContextObject, expectedLastUpdated?: string): Promise<void>
  /** Removes objects by id and returns how many there were. */
  remove(ids: readonly string[]): Promise<number>
  putDefinitions(definitions: Definitions): Promise<void>
}

export interface Store extends StoreReader {
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
  upgrade(): Promise<{from: number | null; to: number}>
  close(): Promise<void>
}

export const DEFAULT_PAGE = 50
export const MAX_PAGE = 1000

export function emptyCounts(): Record<ObjectType, number> {
  return {customer: 0, request: 0, activity: 0, comment: 0, feedback: 0}
}
