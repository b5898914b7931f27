// The whole store as one in-memory value, and the reads and transactional writes over it that the
// memory and file adapters share. A transaction writes to an overlay; commit applies it in one go,
// so a failed transaction leaves the state as it was.
import {baseDefinitions, type Definitions} from '../definitions/model.js'
import {ConflictError, NotFoundError} from '../errors.js'
import {ByExternalId} from '../by-external-id.js'
import {checkLastUpdated, externalIdTaken} from './refusals.js'
import {canonical, type ContextObject, isCanonical, LINK_ORDER, type ObjectType} from '../model.js'
import {decodeCursor, encodeCursor, isAfter, newestFirst} from '../search/cursor.js'
import {checkFilter, matcher} from '../search/evaluate.js'
import type {Filter} from '../search/query.js'
import {
  type CloseStaleOptions,
  type CloseStaleResult,
  DEFAULT_PAGE,
  emptyCounts,
  type FindOptions, MAX_PAGE, type ObjectOutline, type Page, type ScanOptions, type StoredKeyring, type StoreMode, type StoreWriter} from './store.js'

export const STORE_FORMAT = 'ctx-store'
/** 3: values of PII and ENCRYPTED fields sealed, and the keyring kept in `keyring` (src/core/crypto). */
export const STORE_FORMAT_VERSION = 3

/** The keyring as the state keeps it: the record and every wrapped data key by id. */
export interface StateKeyring extends StoredKeyring {
  keys: Record<string, string>
}

export interface StoreState {
  format: typeof STORE_FORMAT
  version: number
  mode: StoreMode
  created: string
  definitions: Definitions
  /** Absent until the store's first encrypted value. */
  keyring?: StateKeyring
  /**
   * By id. A Map in memory, where the file has a plain object: V8 looks a new key of a plain object
   * up in its string table, so checking and adding each of 100k new ids cost ~2 µs (bench P3).
   */
  objects: Map<string, ContextObject>
}

/** The store file's JSON: the state with its objects as a plain object, keyed by id. */
export type StoreDocument = Omit<StoreState, 'objects'> & {objects: Record<string, ContextObject>}

/** The state a parsed store file holds; its members keep their order (`objects` last, as written). */
export function stateOfDocument(document: StoreDocument): StoreState {
  const objects = new Map<string, ContextObject>()
  for (const id of Object.keys(document.objects)) objects.set(id, document.objects[id])
  // The keyring's place is held (before the definitions) even when there is none yet, so one added
  // later is written there: file-peek.ts finds the definitions right before the objects.
  const {format, version, mode, created, keyring} = document
  return Object.assign({format, version, mode, created, keyring}, document, {objects}) as StoreState
}

export function newState(mode: StoreMode, created: string): StoreState {
  return {format: STORE_FORMAT, version: STORE_FORMAT_VERSION, mode, created, keyring: undefined, definitions: baseDefinitions(), objects: new Map()}
}

export function countByType(state: StoreState | null): Record<ObjectType, number> {
  const counts = emptyCounts()
  if (state) for (const object of state.objects.values()) counts[object.type]++
  return counts
}

/** Lookup by (type, externalId), built on first use and kept current by commits. */
const externalIndexes = new WeakMap<StoreState, ByExternalId<string>>()

function externalIndex(state: StoreState): ByExternalId<string> {
  let index = externalIndexes.get(state)
  if (!index) {
    index = new ByExternalId()
    for (const object of state.objects.values()) {
      if (object.externalId !== undefined) index.set(object.type, object.externalId, object.id)
    }
    externalIndexes.set(state, index)
  }
  return index
}

/**
 * The object as the state keeps it: itself when it is canonical already (an import makes its new
 * objects so; a copy of each of 100k rows was ~10% of the import, bench P3), else a canonical copy.
 */
function owned(object: ContextObject): ContextObject {
  return isCanonical(object) ? object : canonical(object)
}

/** Reads and writes over a state; writes stay in an overlay until `commit`. */
export class StateTransaction implements StoreWriter {
  private readonly changes = new Map<string, ContextObject | null>()
  private readonly addedExternal = new ByExternalId<string | null>()
  private changedDefinitions: Definitions | undefined
  private changedKeyring: StateKeyring | undefined

  constructor(private readonly state: StoreState) {}

  get changed(): boolean {
    return this.changes.size > 0 || this.changedDefinitions !== undefined || this.changedKeyring !== undefined
  }

  async get(id: string): Promise<ContextObject | null> {
    return this.current(id)
  }

  async idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    const ids = new Set<string>()
    for (const id of this.state.objects.keys()) if (id.startsWith(prefix)) ids.add(id)
    for (const [id, object] of this.changes) {
      if (!id.startsWith(prefix)) continue
      if (object) ids.add(id)
      else ids.delete(id)
    }
    return [...ids].sort().slice(0, limit)
  }

  async getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null> {
    const overlaid = this.addedExternal.get(type, externalId)
    if (overlaid !== undefined) return overlaid === null ? null : this.current(overlaid)
    const id = externalIndex(this.state).get(type, externalId)
    if (id === undefined) return null
    const object = this.current(id)
    return object && object.externalId === externalId ? object : null
  }

  async getMany(ids: readonly string[]): Promise<ContextObject[]> {
    const found: ContextObject[] = []
    for (const id of new Set(ids)) {
      const object = this.current(id)
      if (object) found.push(object)
    }
    return found
  }

  async getManyByExternalId(type: ObjectType, externalIds: readonly string[]): Promise<ContextObject[]> {
    const found: ContextObject[] = []
    for (const externalId of new Set(externalIds)) {
      const object = this.getByExternalIdSync(type, externalId)
      if (object) found.push(object)
    }
    return found
  }

  async find(options: FindOptions = {}): Promise<Page<ContextObject>> {
    const limit = options.all ? Infinity : Math.min(Math.max(1, options.limit ?? DEFAULT_PAGE), MAX_PAGE)
    const after = options.cursor ? decodeCursor(options.cursor) : null
    const matches = this.matcherFor(options.where)
    const hits: ContextObject[] = []
    for (const object of this.objects()) {
      if ((after === null || isAfter(object, after)) && matches(object)) hits.push(object)
    }
    if (options.all && options.comments) hits.push(...this.commentsOn(hits))
    hits.sort(newestFirst)
    const items = hits.slice(0, limit)
    return {items, next: hits.length > limit ? encodeCursor(items.at(-1)!) : null}
  }

  async outline(where: Filter): Promise<ObjectOutline[]> {
    const {items} = await this.find({where, all: true, comments: true})
    return items.map((object) => ({id: object.id, type: object.type, ...(object.parentId === undefined ? {} : {parentId: object.parentId}), created: object.created}))
  }

  /** The comments and feedback on `parents` that are not among them. */
  private commentsOn(parents: readonly ContextObject[]): ContextObject[] {
    const parentIds = new Set(parents.map((object) => object.id.toLowerCase()))
    const listed = new Set(parents.map((object) => object.id))
    const found: ContextObject[] = []
    for (const object of this.objects()) {
      if ((object.type !== 'comment' && object.type !== 'feedback') || object.parentId === undefined || listed.has(object.id)) continue
      if (parentIds.has(object.parentId.toLowerCase())) found.push(object)
    }
    return found
  }

  async count(where?: Filter): Promise<number> {
    const matches = this.matcherFor(where)
    let count = 0
    for (const object of this.objects()) if (matches(object)) count++
    return count
  }

  async definitions(): Promise<Definitions> {
    return this.changedDefinitions ?? this.state.definitions
  }

  async keyring(): Promise<StoredKeyring | null> {
    const keyring = this.changedKeyring ?? this.state.keyring
    return keyring ? {kek: keyring.kek, created: keyring.created, rotated: keyring.rotated} : null
  }

  async wrappedKeys(ids: readonly string[] | 'all'): Promise<Record<string, string>> {
    const keys = (this.changedKeyring ?? this.state.keyring)?.keys ?? {}
    if (ids === 'all') return {...keys}
    const found: Record<string, string> = {}
    for (const id of ids) if (Object.hasOwn(keys, id)) found[id] = keys[id]
    return found
  }

  async putKeys(keyring: StoredKeyring, keys: Record<string, string>): Promise<void> {
    const changed = this.keyringOverlay() ?? {kek: keyring.kek, created: keyring.created, rotated: keyring.rotated, keys: {}}
    Object.assign(changed, {kek: keyring.kek, created: keyring.created, rotated: keyring.rotated})
    Object.assign(changed.keys, keys)
    this.changedKeyring = changed
  }

  async removeKeys(ids: readonly string[]): Promise<void> {
    const changed = this.keyringOverlay()
    if (changed) for (const id of ids) delete changed.keys[id]
  }

  /** The keyring this transaction writes: copied from the state's once, then changed in place. */
  private keyringOverlay(): StateKeyring | undefined {
    if (!this.changedKeyring && this.state.keyring) this.changedKeyring = {...this.state.keyring, keys: {...this.state.keyring.keys}}
    return this.changedKeyring
  }

  async insert(objects: readonly ContextObject[], prepare?: (object: ContextObject) => ContextObject): Promise<void> {
    for (const given of objects) {
      const object = prepare ? prepare(given) : given
      if (this.current(object.id)) throw new ConflictError(`${object.type} ${object.id} already exists`, {where: object.id})
      this.claimExternalId(object)
      this.changes.set(object.id, owned(object))
    }
  }

  async update(object: ContextObject, expectedLastUpdated?: string): Promise<void> {
    const stored = this.current(object.id)
    if (!stored) throw new NotFoundError(`${object.type} ${object.id} does not exist`, {where: object.id})
    checkLastUpdated(stored, stored.lastUpdated, expectedLastUpdated)
    if (stored.externalId !== object.externalId) {
      if (stored.externalId !== undefined) this.addedExternal.set(stored.type, stored.externalId, null)
      this.claimExternalId(object)
    }
    this.changes.set(object.id, owned(object))
  }

  async remove(ids: readonly string[]): Promise<number> {
    let removed = 0
    for (const id of ids) {
      const stored = this.current(id)
      if (!stored) continue
      if (stored.externalId !== undefined) this.addedExternal.set(stored.type, stored.externalId, null)
      this.changes.set(id, null)
      removed++
    }
    return removed
  }

  async putDefinitions(definitions: Definitions): Promise<void> {
    this.changedDefinitions = structuredClone(definitions)
  }

  async closeStaleRequests(options: CloseStaleOptions): Promise<CloseStaleResult> {
    const cutoff = Date.parse(options.cutoff)
    const {active, latest} = latestUpdates(this.objects())
    const stale = active.filter((request) => latest.get(request.id)! < cutoff)
    if (!options.dryRun) {
      for (const request of stale) {
        this.changes.set(request.id, canonical({...request, state: 'closed', closedAt: options.closedAt, closeReason: 'auto', lastUpdated: options.closedAt}))
      }
    }
    return {closed: stale.map((request) => request.id).sort(), scanned: active.length}
  }

  /** Applies the overlay to the state; returns whether anything changed. */
  commit(): boolean {
    if (!this.changed) return false
    for (const [id, object] of this.changes) {
      if (object === null) this.state.objects.delete(id)
      else this.state.objects.set(id, object)
    }
    // The overlay's externalIds are exactly what changed in the index (claimed, or freed by an
    // update or a removal), so the objects replaced need not be looked up again (bench P3).
    const index = externalIndexes.get(this.state)
    if (index) {
      this.addedExternal.forEach((type, externalId, id) => {
        if (id === null) index.delete(type, externalId)
        else index.set(type, externalId, id)
      })
    }
    if (this.changedDefinitions) this.state.definitions = this.changedDefinitions
    if (this.changedKeyring) this.state.keyring = this.changedKeyring
    return true
  }

  private claimExternalId(object: ContextObject): void {
    if (object.externalId === undefined) return
    const holder = this.getByExternalIdSync(object.type, object.externalId)
    if (holder && holder.id !== object.id) {
      throw externalIdTaken(object, holder.id)
    }
    this.addedExternal.set(object.type, object.externalId, object.id)
  }

  private getByExternalIdSync(type: ObjectType, externalId: string): ContextObject | null {
    const overlaid = this.addedExternal.get(type, externalId)
    const id = overlaid === undefined ? externalIndex(this.state).get(type, externalId) : overlaid
    if (id === undefined || id === null) return null
    const object = this.current(id)
    return object && object.externalId === externalId ? object : null
  }

  private current(id: string): ContextObject | null {
    const changed = this.changes.get(id)
    if (changed !== undefined) return changed
    return this.state.objects.get(id) ?? null
  }

  private objects(): Iterable<ContextObject> {
    // Reads outside a write (every search) see the state as it is.
    if (this.changes.size === 0) return this.state.objects.values()
    return this.overlaid()
  }

  private *overlaid(): Iterable<ContextObject> {
    // values(), not entries(): no [id, object] pair allocated per object on 100k-object scans.
    for (const object of this.state.objects.values()) if (!this.changes.has(object.id)) yield object
    for (const object of this.changes.values()) if (object) yield object
  }

  private matcherFor(where: Filter | undefined): (object: ContextObject) => boolean {
    const definitions = this.changedDefinitions ?? this.state.definitions
    checkFilter(where, definitions)
    return matcher(where, definitions)
  }
}

/**
 * The active requests and the latest update of every request (epoch ms), in one pass: each
 * object's lastUpdated is credited to the request it is or is under. Comments on activities are
 * credited after the pass, once every activity's request is known, so object order does not matter.
 * A timestamp that does not parse counts as "now and forever": ctx never closes on data it cannot read.
 */
function latestUpdates(objects: Iterable<ContextObject>): {active: ContextObject[]; latest: Map<string, number>} {
  const active: ContextObject[] = []
  const latest = new Map<string, number>()
  const requestOfActivity = new Map<string, string>()
  const onOtherParents = new Map<string, number>()
  const credit = (into: Map<string, number>, id: string, at: number) => {
    const before = into.get(id)
    if (before === undefined || at > before) into.set(id, at)
  }
  for (const object of objects) {
    const parsed = Date.parse(object.lastUpdated)
    const at = Number.isNaN(parsed) ? Number.POSITIVE_INFINITY : parsed
    if (object.type === 'request') {
      credit(latest, object.id, at)
      if (object.state === 'active') active.push(object)
    } else if (object.parentId === undefined) {
      continue
    } else if (object.type === 'activity') {
      credit(latest, object.parentId, at)
      requestOfActivity.set(object.id, object.parentId)
    } else {
      credit(onOtherParents, object.parentId, at)
    }
  }
  for (const [parentId, at] of onOtherParents) credit(latest, requestOfActivity.get(parentId) ?? parentId, at)
  return {active, latest}
}

/** Every object of a state in link order, then by created and id: the order of exports. */
export function* scanState(state: StoreState | null, options: ScanOptions = {}): Iterable<ContextObject[]> {
  if (!state) return
  const batchSize = options.batchSize ?? 1000
  const types = options.types ?? LINK_ORDER
  const byType = new Map<ObjectType, ContextObject[]>(types.map((type) => [type, []]))
  for (const object of state.objects.values()) {
    if (options.since !== undefined && object.lastUpdated < options.since) continue
    byType.get(object.type)?.push(object)
  }
  for (const type of LINK_ORDER) {
    const objects = byType.get(type)
    if (!objects) continue
    objects.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    for (let start = 0; start < objects.length; start += batchSize) yield objects.slice(start, start + batchSize)
  }
}
