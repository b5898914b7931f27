// The one path between ctx and every adapter (memory:, file:, postgres://) that keeps customer data
// encrypted at rest: values of PII and ENCRYPTED fields are sealed on their way into a store and
// opened on their way out, searches for words in them become searches for their blind-index tokens,
// and a deleted customer's data key goes with the customer. The adapters store what they are given;
// none of them sees a clear value of an encrypted field. node:crypto and the key file are loaded the
// first time a command meets an encrypted value, never before (startup, docs/performance.md).
import type {Definitions} from '../definitions/model.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {Filter} from '../search/query.js'
import {
  commitsWhole,
  type CloseStaleOptions,
  type CloseStaleResult,
  type FindOptions,
  type KeyReader,
  type ObjectOutline,
  type Page,
  type ScanOptions,
  type Store,
  type StoreCapabilities,
  type StoredKeyring,
  type StoreInfo,
  type StoreMode,
  type StoreReader,
  type StoreWriter,
  type UpgradeOptions,
} from '../storage/store.js'
import {KeyError} from './errors.js'
import type {KeyEncryptionKey, KeyFileLocation} from './key-file.js'
import type {Keyring} from './keyring.js'
import type {KeySource} from './keys.js'
import {dataKeyIdOf, encryptedFields, holdsEncryptedValue, holdsSealedValue, keyIdsOf, openObject, sealObject} from './seal.js'
import {blindFilter, checkEncryptedSearch, searchesWords} from './search.js'
import {customerKeyId, INDEX_KEY_ID, STORE_KEY_ID} from './sealed-value.js'

/** Where a store's key-encryption key comes from (key-file.ts). */
export interface KeySettings {
  /** --key-file or CTX_KEY_FILE. */
  keyFile?: string
  /**
   * ctx's config directory, where a key file named after the store is made on its first write.
   * Without one, the key lives in this process only (tests, and stores that never outlive it).
   */
  configDir?: string
  /** Told once when a key file is made: where it is, and that it must be backed up. */
  onCreated?: (key: KeyEncryptionKey, location: KeyFileLocation) => void
  /** How many data keys stay unwrapped between transactions and batches of a scan (KEYS_HELD). */
  keysHeld?: number
}

type Reader = StoreReader & KeyReader

/** Data keys a store keeps unwrapped between transactions (about 3 MB); beyond, they are read again when needed. */
const KEYS_HELD = 10_000

/**
 * Reading through a store or one of its transactions (`reader`): what is sealed is opened, a search
 * for words in encrypted fields looks for their tokens. Ids, definitions and keys pass through.
 */
abstract class OpeningReader implements Reader {
  constructor(protected readonly reader: Reader) {}

  /** The store whose keys open what `reader` returns. */
  protected abstract get sealing(): SealedStore

  async get(id: string): Promise<ContextObject | null> {
    return this.sealing.openOne(await this.reader.get(id), this.reader)
  }

  async getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null> {
    return this.sealing.openOne(await this.reader.getByExternalId(type, externalId), this.reader)
  }

  async getMany(ids: readonly string[]): Promise<ContextObject[]> {
    return this.sealing.openAll(await this.reader.getMany(ids), this.reader)
  }

  idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    return this.reader.idsWithPrefix(prefix, limit)
  }

  async find(options: FindOptions = {}): Promise<Page<ContextObject>> {
    const where = await this.sealing.searchFilter(options.where, this.reader)
    const page = await this.reader.find({...options, where})
    return {items: await this.sealing.openAll(page.items, this.reader), next: page.next}
  }

  /** Outlines hold no values: nothing to open. */
  async outline(where: Filter): Promise<ObjectOutline[]> {
    return this.reader.outline(await this.sealing.searchFilter(where, this.reader))
  }

  async count(where?: Filter): Promise<number> {
    return this.reader.count(await this.sealing.searchFilter(where, this.reader))
  }

  definitions(): Promise<Definitions> {
    return this.reader.definitions()
  }

  keyring(): Promise<StoredKeyring | null> {
    return this.reader.keyring()
  }

  wrappedKeys(ids: readonly string[] | 'all'): Promise<Record<string, string>> {
    return this.reader.wrappedKeys(ids)
  }
}

export class SealedStore extends OpeningReader implements Store {
  readonly location: string
  readonly capabilities: StoreCapabilities
  private keys: Promise<Keyring | null> | undefined
  private source: Promise<KeySource> | undefined
  /** Data keys made here whose transaction has not committed yet: written again by the next one until it does. */
  private readonly unsaved = new Map<string, string>()
  private keyringUnsaved = false
  /** When the last transaction begun through this store has ended. */
  private ended: Promise<void> = Promise.resolve()

  constructor(
    private readonly inner: Store,
    private readonly settings: KeySettings & {now: () => string},
  ) {
    super(inner)
    this.location = inner.location
    this.capabilities = inner.capabilities
  }

  protected get sealing(): SealedStore {
    return this
  }

  /**
   * Runs `work` once the transactions begun before it through this store have ended. They share the
   * keyring's fresh and unsaved keys, and its forgetting after a commit: two at once on a database
   * (a seed's chunks) took each other's keys to store, or forgot a key still sealing values and
   * made the customer another, leaving values no key opens.
   */
  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    const run = this.ended.then(() => this.transactionNow(work))
    this.ended = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  private async transactionNow<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    const destroyed: string[] = []
    const result = await this.inner.transaction(async (tx) => {
      destroyed.length = 0
      const saved = new Set<string>()
      const writer = new SealingWriter(tx, this, destroyed, saved)
      const value = await work(writer)
      await this.saveKeys(tx, saved)
      return value
    })
    // Committed: the keys written are the store's now, and the destroyed ones are gone from it.
    this.unsaved.clear()
    this.keyringUnsaved = false
    const keyring = await this.keys?.catch(() => null)
    for (const id of destroyed) keyring?.destroy(id)
    keyring?.forgetBeyond(this.settings.keysHeld ?? KEYS_HELD)
    return result
  }

  async *scan(options?: ScanOptions): AsyncIterable<ContextObject[]> {
    for await (const batch of this.inner.scan(options)) {
      const opened = await this.openAll(batch, this.inner)
      // A scan reads every customer's key once: held no longer than a transaction's (bench P4's memory).
      const keyring = await this.keys?.catch(() => null)
      keyring?.forgetBeyond(this.settings.keysHeld ?? KEYS_HELD)
      yield opened
    }
  }

  info(): Promise<StoreInfo> {
    return this.inner.info()
  }

  /** The adapter's ANALYZE after a bulk write (seed, import, migrate), which sealing does not change. */
  async refreshStatistics(written: number): Promise<boolean> {
    return (await this.inner.refreshStatistics?.(written)) ?? false
  }

  init(mode: StoreMode): Promise<StoreInfo> {
    return this.inner.init(mode)
  }

  async flush(): Promise<void> {
    await this.inner.flush()
    this.forgetKeys()
  }

  /**
   * Brings the format up to date and seals every value an older ctx left clear: on the file and
   * memory stores within the upgrade's own write (one atomic replace); on a database after its
   * migrations, a batch per transaction, so a killed upgrade resumes where it stopped when run again.
   */
  async upgrade(options: UpgradeOptions = {}): Promise<{from: number | null; to: number}> {
    this.forgetKeys()
    if (commitsWhole(this)) {
      return this.inner.upgrade({
        within: async (tx) => {
          await options.within?.(tx)
          const saved = new Set<string>()
          const writer = new SealingWriter(tx, this, [], saved)
          await writer.reseal(await writer.clearObjects())
          await this.saveKeys(tx, saved)
          this.unsaved.clear()
          this.keyringUnsaved = false
        },
      })
    }
    const result = await this.inner.upgrade(options)
    await this.sealInBatches()
    return result
  }

  warm(): void {
    this.inner.warm?.()
  }

  close(): Promise<void> {
    return this.inner.close()
  }

  /** The key source, the crypto modules loaded with it (the first time anything encrypted is touched). */
  keySource(): Promise<KeySource> {
    this.source ??= import('./keys.js').then(
      ({KeySource}) =>
        new KeySource({
          store: this.location,
          keyFile: this.settings.keyFile,
          configDir: this.settings.configDir,
          now: this.settings.now,
          onCreated: this.settings.onCreated,
        }),
    )
    return this.source
  }

  /** The store's keyring, opened with its key; null when the store has none and `create` is false. */
  async keyringOf(reader: Reader, create: boolean): Promise<Keyring | null> {
    const record = await reader.keyring()
    if (record && this.keyringUnsaved) {
      // Another process gave the store its keyring first: ours was never stored, and is dropped.
      this.forgetKeys()
    }
    const known = await this.keys?.catch(() => undefined)
    if (known && record && known.fingerprint === record.kek) return known
    if (known && !record && this.keyringUnsaved) return known
    if (!record && !create) return null
    const source = await this.keySource()
    this.keys = record ? source.open({...record, keys: {}}) : source.create()
    const keyring = await this.keys
    if (!record) this.keyringUnsaved = true
    return keyring
  }

  /** The keyring with the wrapped keys of `ids` read in, for the ones not read before. */
  async keysFor(reader: Reader, ids: Iterable<string>, create: boolean): Promise<Keyring> {
    const keyring = await this.keyringWith(reader, ids, create)
    if (!keyring) {
      throw new KeyError(`${this.location} holds encrypted values but no record of their keys`, {
        where: this.location,
        hint: 'The store was damaged or pieced together from two stores; restore it from a backup.',
      })
    }
    return keyring
  }

  /** As keysFor, but null when the store has no keyring and `create` is false. */
  private async keyringWith(reader: Reader, ids: Iterable<string>, create: boolean): Promise<Keyring | null> {
    const keyring = await this.keyringOf(reader, create)
    if (!keyring) return null
    const missing = [...new Set(ids)].filter((id) => !keyring.has(id))
    if (missing.length > 0) keyring.learn(await reader.wrappedKeys(missing))
    return keyring
  }

  /** Keys the keyring made since it last handed them over, kept until a transaction writing them commits; returns them. */
  collectFresh(keyring: Keyring): Map<string, string> {
    const fresh = new Map<string, string>()
    keyring.drainFresh(fresh)
    for (const [id, wrapped] of fresh) this.unsaved.set(id, wrapped)
    return fresh
  }

  async openAll(objects: ContextObject[], reader: Reader): Promise<ContextObject[]> {
    if (!objects.some(holdsSealedValue)) return objects
    const keyring = await this.keysFor(reader, keyIdsOf(objects), false)
    return objects.map((object) => openObject(object, keyring))
  }

  async openOne(object: ContextObject | null, reader: Reader): Promise<ContextObject | null> {
    return object === null ? null : (await this.openAll([object], reader))[0]
  }

  /**
   * The filter as the adapter answers it: refused where an encrypted field cannot answer exactly,
   * and with the blind-index token of each word (or pair of words) beside the word itself.
   */
  async searchFilter(where: Filter, reader: Reader): Promise<Filter>
  async searchFilter(where: Filter | undefined, reader: Reader): Promise<Filter | undefined>
  async searchFilter(where: Filter | undefined, reader: Reader): Promise<Filter | undefined> {
    if (!where) return where
    const definitions = await reader.definitions()
    checkEncryptedSearch(where, definitions)
    if (!searchesWords(where) || encryptedFields(definitions).size === 0) return where
    // A store that has never held an encrypted value has no token to look for.
    const keyring = await this.keyringWith(reader, [INDEX_KEY_ID], false)
    return keyring ? blindFilter(where, definitions, (word) => keyring.token(word)) : where
  }

  /**
   * Writes the keyring when it is new, and the data keys not yet stored but those this attempt at
   * the transaction wrote already (`saved`: an insert on a database writes the keys it made right
   * after its objects).
   */
  private async saveKeys(tx: StoreWriter, saved: ReadonlySet<string>): Promise<void> {
    const keys: Record<string, string> = {}
    for (const [id, wrapped] of this.unsaved) if (!saved.has(id)) keys[id] = wrapped
    if (!this.keyringUnsaved && Object.keys(keys).length === 0) return
    const keyring = await this.keys
    if (!keyring) return
    await tx.putKeys(keyring.record, keys)
  }

  /** Drops the keyring read so far (after a rotation, an upgrade, a flush): the next use reads it again. */
  forgetKeys(): void {
    this.keys = undefined
    this.unsaved.clear()
    this.keyringUnsaved = false
  }

  /** A database's clear values sealed a batch of objects per transaction, each batch re-read inside it. */
  private async sealInBatches(): Promise<void> {
    const definitions = await this.inner.definitions()
    const fields = encryptedFields(definitions)
    if (fields.size === 0) return
    let batch: string[] = []
    const flush = async () => {
      const ids = batch
      batch = []
      await this.transaction(async (tx) => {
        const writer = tx as SealingWriter
        await writer.reseal((await writer.rawMany(ids)).filter((object) => holdsEncryptedValue(object, fields)))
      })
    }
    for await (const objects of this.inner.scan({batchSize: 1000})) {
      for (const object of objects) if (holdsEncryptedValue(object, fields)) batch.push(object.id)
      if (batch.length >= 1000) await flush()
    }
    if (batch.length > 0) await flush()
  }
}

/** A transaction's writes through the store: sealed on the way in, opened on the way out. */
class SealingWriter extends OpeningReader implements StoreWriter {
  constructor(
    private readonly tx: StoreWriter,
    private readonly store: SealedStore,
    /** Data keys this transaction destroys: forgotten by the keyring once it commits. */
    private readonly destroyed: string[],
    /** Data keys this attempt at the transaction wrote already (SealedStore.saveKeys). */
    private readonly saved: Set<string>,
  ) {
    super(tx)
  }

  protected get sealing(): SealedStore {
    return this.store
  }

  async getManyByExternalId(type: ObjectType, externalIds: readonly string[]): Promise<ContextObject[]> {
    return this.store.openAll(await this.tx.getManyByExternalId(type, externalIds), this.tx)
  }

  /**
   * The objects go to the store with a sealing of its own to apply to each as it takes it: a
   * database seals each object as it makes its row, while the server inserts the rows before.
   */
  async insert(objects: readonly ContextObject[], prepare?: (object: ContextObject) => ContextObject): Promise<void> {
    const given = prepare ? objects.map(prepare) : objects
    const sealer = await this.sealer(given)
    if (!sealer) return this.tx.insert(given)
    let made: Map<string, string>
    try {
      await this.tx.insert(given, sealer.seal)
    } finally {
      // Keys made as the rows were, held until a transaction writing them commits (a failed one's too).
      made = this.store.collectFresh(sealer.keyring)
    }
    if (made.size === 0 || commitsWhole(this.store)) return
    // On a database, the keys go right after their objects (while an import checks its next rows)
    // rather than all at the transaction's end.
    await this.tx.putKeys(sealer.keyring.record, Object.fromEntries(made))
    for (const id of made.keys()) this.saved.add(id)
  }

  async update(object: ContextObject, expectedLastUpdated?: string): Promise<void> {
    const [sealed] = await this.seal([object])
    const before = await this.tx.get(object.id)
    await this.tx.update(sealed, expectedLastUpdated)
    if (before) await this.resealChildren(before, sealed)
  }

  async remove(ids: readonly string[]): Promise<number> {
    const customers = (await this.tx.getMany(ids)).filter((object) => object.type === 'customer').map((object) => customerKeyId(object.id))
    const removed = await this.tx.remove(ids)
    if (customers.length > 0 && (await this.tx.keyring())) {
      // Forgetting a person: their data key goes with them, so their values in an older copy of the
      // store cannot be read with this store's keys any more (README, "Customer data at rest").
      await this.tx.removeKeys(customers)
      this.destroyed.push(...customers)
    }
    return removed
  }

  putDefinitions(definitions: Definitions): Promise<void> {
    return this.tx.putDefinitions(definitions)
  }

  putKeys(keyring: StoredKeyring, keys: Record<string, string>): Promise<void> {
    return this.tx.putKeys(keyring, keys)
  }

  removeKeys(ids: readonly string[]): Promise<void> {
    return this.tx.removeKeys(ids)
  }

  closeStaleRequests(options: CloseStaleOptions): Promise<CloseStaleResult> {
    return this.tx.closeStaleRequests(options)
  }

  /** Objects as stored, unopened (the upgrade's batches). */
  rawMany(ids: readonly string[]): Promise<ContextObject[]> {
    return this.tx.getMany(ids)
  }

  /** Every stored object holding a clear value of an encrypted field: what an upgrade seals. */
  async clearObjects(): Promise<ContextObject[]> {
    const fields = encryptedFields(await this.tx.definitions())
    if (fields.size === 0) return []
    return (await this.tx.find({all: true})).items.filter((object) => holdsEncryptedValue(object, fields))
  }

  /** Writes stored objects back sealed, changing nothing else (their lastUpdated included). */
  async reseal(stored: readonly ContextObject[]): Promise<void> {
    const sealed = await this.seal(await this.store.openAll([...stored], this.tx))
    for (const [index, object] of sealed.entries()) if (object !== stored[index]) await this.tx.update(object)
  }

  /** The objects with their encrypted values sealed under their customer's data key (made on first use). */
  private async seal(objects: readonly ContextObject[]): Promise<ContextObject[]> {
    const sealer = await this.sealer(objects)
    if (!sealer) return [...objects]
    const sealed = objects.map(sealer.seal)
    this.store.collectFresh(sealer.keyring)
    return sealed
  }

  /**
   * How to seal each of `objects` (null when none holds a value to seal), with the keys they need
   * read in; a key made as an object is sealed waits in the keyring for collectFresh.
   */
  private async sealer(objects: readonly ContextObject[]): Promise<{seal: (object: ContextObject) => ContextObject; keyring: Keyring} | null> {
    const fields = encryptedFields(await this.tx.definitions())
    if (fields.size === 0 || !objects.some((object) => holdsEncryptedValue(object, fields))) return null
    // Only an object linked to no customer takes its key from a parent (an import's customers never do).
    const parentKey = objects.some(keyFromParent) ? await this.parentKeys(objects) : undefined
    const keyring = await this.store.keysFor(this.tx, [...objects.map((object) => dataKeyIdOf(object, parentKey)), INDEX_KEY_ID], true)
    const seal = (object: ContextObject) => (holdsEncryptedValue(object, fields) ? sealObject(object, fields, keyring, dataKeyIdOf(object, parentKey)) : object)
    return {seal, keyring}
  }

  /**
   * The data key of each parent an object without a customer of its own names (a comment on an
   * activity), looked up in the batch first, then in the store, up to three levels.
   */
  private async parentKeys(objects: readonly ContextObject[]): Promise<(parentId: string) => string | undefined> {
    const known = new Map(objects.map((object) => [object.id, object]))
    let wanted = objects.filter(keyFromParent).map((object) => object.parentId!)
    for (let depth = 0; depth < 3 && wanted.length > 0; depth++) {
      const missing = [...new Set(wanted)].filter((id) => !known.has(id))
      if (missing.length === 0) break
      const found = await this.tx.getMany(missing)
      for (const object of found) known.set(object.id, object)
      wanted = found.filter(keyFromParent).map((object) => object.parentId!)
    }
    const keyOf = (id: string, depth: number): string | undefined => {
      const parent = known.get(id)
      if (!parent) return undefined
      return dataKeyIdOf(parent, (next) => (depth < 3 ? keyOf(next, depth + 1) : STORE_KEY_ID))
    }
    return (parentId) => keyOf(parentId, 0)
  }

  /**
   * An object whose data key changed (an activity moved to another customer): the comments under it,
   * which take their key from it, are sealed again under the new one, or deleting the old customer
   * would make them unreadable.
   */
  private async resealChildren(before: ContextObject, after: ContextObject): Promise<void> {
    const oldKeys = keyIdsOf([before])
    const newKeys = keyIdsOf([after])
    if (oldKeys.size === 0 || [...oldKeys].every((id) => newKeys.has(id))) return
    const children = await this.tx.find({where: {kind: 'equals', key: 'parentId', value: before.id.toLowerCase()}, all: true})
    for (const child of children.items) {
      if (child.customerId !== undefined || ![...keyIdsOf([child])].some((id) => oldKeys.has(id))) continue
      const [opened] = await this.store.openAll([child], this.tx)
      const [sealed] = await this.seal([opened])
      await this.tx.update(sealed)
    }
  }
}

/** Whether an object's data key is its parent's: linked to no customer directly, but to a parent (a comment on an activity). */
function keyFromParent(object: ContextObject): boolean {
  return object.type !== 'customer' && object.customerId === undefined && object.parentId !== undefined
}
