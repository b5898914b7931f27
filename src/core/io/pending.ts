// The writes of an import batch, held until they are handed to the store together: one insert of
// many objects per flush (a multi-row statement on a database) instead of one call per row. Reads
// through it see the pending writes first, so a later row can link to or update an earlier one,
// then what `readAhead` fetched for the whole batch in two queries, and only then the store. A
// store that commits an import whole (file, memory:) holds its transaction's writes itself and
// reads from memory: import writes to it directly, without this.
import {ByExternalId} from '../by-external-id.js'
import type {Definitions} from '../definitions/model.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {Filter} from '../search/query.js'
import type {FindOptions, ObjectOutline, Page, StoreReader, StoreWriter} from '../storage/store.js'

/** Held writes are handed to the store this often, whatever the size of the transaction. */
const FLUSH_EVERY = 1000

/** While writes are in flight, the rows staged between two turns of the event loop (letWritesOn). */
const ROWS_PER_TURN = 50

/** What an import reads and writes through: a transaction, or PendingWrites over one. */
export type ImportWriter = StoreReader & Pick<StoreWriter, 'insert' | 'update'>

export class PendingWrites implements ImportWriter {
  private readonly inserts = new Map<string, ContextObject>()
  private readonly updates = new Map<string, ContextObject>()
  private readonly external = new ByExternalId<string>()
  /** Objects read ahead or already flushed, by id; null where the store has none. */
  private readonly known = new Map<string, ContextObject | null>()
  /** Ids of objects read ahead or flushed, by (type, externalId); null where the store has none. */
  private readonly knownExternal = new ByExternalId<string | null>()

  /** The writes handed to the store and not yet done (resolves, never rejects: see `failed`). */
  private writing: Promise<void> | undefined
  private failed: unknown
  private inFlight = false
  /** Rows staged while writes were in flight, counted for letWritesOn. */
  private staged = 0

  constructor(private readonly tx: StoreWriter) {}

  /** Fetches what a batch of records will ask for (ids, links, externalIds) in one query per kind. */
  async readAhead(ids: Iterable<string>, externalIds: Iterable<[ObjectType, string]>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.known.has(id))
    for (const id of wanted) this.known.set(id, null)
    for (const object of await this.tx.getMany(wanted)) this.remember(object)
    const byType = new Map<ObjectType, string[]>()
    for (const [type, externalId] of externalIds) {
      if (this.knownExternal.get(type, externalId) !== undefined) continue
      this.knownExternal.set(type, externalId, null)
      let wanted = byType.get(type)
      if (!wanted) byType.set(type, (wanted = []))
      wanted.push(externalId)
    }
    for (const [type, wantedExternal] of byType) {
      for (const object of await this.tx.getManyByExternalId(type, wantedExternal)) this.remember(object)
    }
  }

  async get(id: string): Promise<ContextObject | null> {
    const pending = this.inserts.get(id) ?? this.updates.get(id)
    if (pending) return pending
    const known = this.known.get(id)
    return known === undefined ? this.tx.get(id) : known
  }

  /** Each as `get` finds it; import reads ahead with readAhead instead. */
  async getMany(ids: readonly string[]): Promise<ContextObject[]> {
    const found = await Promise.all([...new Set(ids)].map((id) => this.get(id)))
    return found.filter((object): object is ContextObject => object !== null)
  }

  async idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    // The objects being written are the store's once it has them.
    await this.written()
    const ids = new Set(await this.tx.idsWithPrefix(prefix, limit))
    for (const id of this.inserts.keys()) if (id.startsWith(prefix)) ids.add(id)
    return [...ids].sort().slice(0, limit)
  }

  async getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null> {
    const id = this.external.get(type, externalId)
    const pending = id === undefined ? undefined : (this.inserts.get(id) ?? this.updates.get(id))
    if (pending?.externalId === externalId) return pending
    const knownId = this.knownExternal.get(type, externalId)
    const stored = knownId === undefined ? await this.tx.getByExternalId(type, externalId) : knownId === null ? null : this.known.get(knownId)
    if (!stored) return null
    // A pending update may have given the stored object another externalId.
    const current = this.updates.get(stored.id) ?? stored
    return current.externalId === externalId ? current : null
  }

  /** find, outline and count see only what is stored; import never asks them. */
  find(options?: FindOptions): Promise<Page<ContextObject>> {
    return this.tx.find(options)
  }

  outline(where: Filter): Promise<ObjectOutline[]> {
    return this.tx.outline(where)
  }

  count(where?: Filter): Promise<number> {
    return this.tx.count(where)
  }

  definitions(): Promise<Definitions> {
    return this.tx.definitions()
  }

  async insert(objects: readonly ContextObject[]): Promise<void> {
    for (const object of objects) {
      this.inserts.set(object.id, object)
      this.stage(object)
    }
    await this.flushWhenFull()
  }

  async update(object: ContextObject): Promise<void> {
    if (this.inserts.has(object.id)) this.inserts.set(object.id, object)
    else this.updates.set(object.id, object)
    this.stage(object)
    await this.flushWhenFull()
  }

  /** Hands every pending write to the transaction and waits until the store has them all. */
  async flush(): Promise<void> {
    await this.written()
    this.startWriting()
    await this.written()
  }

  /**
   * Why the writes handed over failed, once they have; the error surfaces at a row's write or read
   * that comes later, and is no problem of that row's (import stops, as it does for a failed write).
   */
  get failure(): unknown {
    return this.failed
  }

  private async flushWhenFull(): Promise<void> {
    if (this.inserts.size + this.updates.size < FLUSH_EVERY) return this.letWritesOn()
    await this.written()
    // An update may rewrite other objects than its own (an activity moved: the comments under it), which
    // a read here would not see coming: only inserts are left to go on while the next rows are checked.
    const updating = this.updates.size > 0
    this.startWriting()
    if (updating) await this.written()
  }

  /**
   * Hands the pending writes to the transaction, updates first (an externalId they free can then be
   * taken by an insert), without waiting for them: the rows after are checked while the store writes
   * these (bench P2). One handover at a time is in flight; a read the store answers goes after it on
   * the transaction's connection, and reads here see the writes as the store will hold them.
   */
  private startWriting(): void {
    const updates = [...this.updates.values()]
    const inserts = [...this.inserts.values()]
    for (const object of [...updates, ...inserts]) this.remember(object)
    this.inserts.clear()
    this.updates.clear()
    this.external.clear()
    if (updates.length === 0 && inserts.length === 0) return
    const writing = (async () => {
      for (const object of updates) await this.tx.update(object)
      if (inserts.length > 0) await this.tx.insert(inserts)
    })()
    this.inFlight = true
    this.writing = writing
      .catch((error: unknown) => {
        this.failed ??= error
      })
      .finally(() => (this.inFlight = false))
  }

  /**
   * While writes are in flight, a turn of the event loop every few rows: rows are checked from
   * memory without waiting on anything, and the store makes the rows it sends (sealing each) only
   * when the connection takes more, which it tells in an event. Without, the server waited for the
   * rows checked here to be done before it was sent more.
   */
  private async letWritesOn(): Promise<void> {
    if (!this.inFlight || ++this.staged % ROWS_PER_TURN !== 0) return
    await new Promise((resolve) => setImmediate(resolve))
  }

  /**
   * Waits for the writes in flight, whatever becomes of them: a transaction that fails for another
   * reason waits for them before it is rolled back, so none of its statements comes after.
   */
  async settled(): Promise<void> {
    await this.writing
  }

  /** Waits for the writes in flight; throws what made them fail. */
  private async written(): Promise<void> {
    await this.writing
    if (this.failed !== undefined) throw this.failed
  }

  private stage(object: ContextObject): void {
    if (object.externalId !== undefined) this.external.set(object.type, object.externalId, object.id)
  }

  /** Records an object as the store now holds it (read ahead, or just flushed). */
  private remember(object: ContextObject): void {
    const before = this.known.get(object.id)
    if (before?.externalId !== undefined && before.externalId !== object.externalId) this.knownExternal.set(before.type, before.externalId, null)
    this.known.set(object.id, object)
    if (object.externalId !== undefined) this.knownExternal.set(object.type, object.externalId, object.id)
  }
}
