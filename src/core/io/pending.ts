// The writes of an import batch, held until they are handed to the store together: one insert of
// many objects per flush (a multi-row statement on a database) instead of one call per row. Reads
// through it see the pending writes first, so a later row can link to or update an earlier one.
import type {Definitions} from '../definitions/model.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {Filter} from '../search/query.js'
import type {FindOptions, Page, StoreReader, StoreWriter} from '../storage/store.js'

export class PendingWrites implements StoreReader {
  private readonly inserts = new Map<string, ContextObject>()
  private readonly updates = new Map<string, ContextObject>()
  private readonly external = new Map<string, string>()

  constructor(private readonly tx: StoreWriter) {}

  get size(): number {
    return this.inserts.size + this.updates.size
  }

  async get(id: string): Promise<ContextObject | null> {
    return this.inserts.get(id) ?? this.updates.get(id) ?? this.tx.get(id)
  }

  async getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null> {
    const id = this.external.get(key(type, externalId))
    const pending = id === undefined ? undefined : (this.inserts.get(id) ?? this.updates.get(id))
    if (pending?.externalId === externalId) return pending
    const stored = await this.tx.getByExternalId(type, externalId)
    if (!stored) return null
    // A pending update may have given the stored object another externalId.
    const current = this.updates.get(stored.id) ?? stored
    return current.externalId === externalId ? current : null
  }

  /** find and count see only what is stored; import never asks them. */
  find(options?: FindOptions): Promise<Page<ContextObject>> {
    return this.tx.find(options)
  }

  count(where?: Filter): Promise<number> {
    return this.tx.count(where)
  }

  definitions(): Promise<Definitions> {
    return this.tx.definitions()
  }

  insert(object: ContextObject): void {
    this.inserts.set(object.id, object)
    this.remember(object)
  }

  update(object: ContextObject): void {
    if (this.inserts.has(object.id)) this.inserts.set(object.id, object)
    else this.updates.set(object.id, object)
    this.remember(object)
  }

  /** Hands the pending writes to the transaction: updates first, so an externalId they free can be taken by an insert. */
  async flush(): Promise<void> {
    for (const object of this.updates.values()) await this.tx.update(object)
    if (this.inserts.size > 0) await this.tx.insert([...this.inserts.values()])
    this.inserts.clear()
    this.updates.clear()
    this.external.clear()
  }

  private remember(object: ContextObject): void {
    if (object.externalId !== undefined) this.external.set(key(object.type, object.externalId), object.id)
  }
}

function key(type: ObjectType, externalId: string): string {
  return `${type}\u0000${externalId}`
}
