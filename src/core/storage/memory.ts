// The `memory:` adapter: a store that lives as long as the process, for tests and dry runs.
// `memory:NAME` opens the same store again within one process; plain `memory:` is always new.
import type {ContextObject} from '../model.js'
import {checkFlushable, checkMode} from './refusals.js'
import {countByType, newState, scanState, STORE_FORMAT_VERSION, StateTransaction, type StoreState} from './state.js'
import type {FindOptions, ScanOptions, Store, StoreCapabilities, StoreInfo, StoreMode, StoreWriter, UpgradeOptions} from './store.js'
import type {Filter} from '../search/query.js'

const named = new Map<string, MemoryStore>()

export function openMemoryStore(name: string, now: () => string): MemoryStore {
  if (name === '') return new MemoryStore('memory:', now)
  let store = named.get(name)
  if (!store) {
    store = new MemoryStore(`memory:${name}`, now)
    named.set(name, store)
  }
  return store
}

export class MemoryStore implements Store {
  readonly capabilities: StoreCapabilities = {indexedSearch: false, shared: false, importBatchSize: Number.POSITIVE_INFINITY}
  private state: StoreState | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly location: string,
    private readonly now: () => string,
  ) {}

  private reader(): StateTransaction {
    return new StateTransaction(this.state ?? newState('production', this.now()))
  }

  get(id: string) {
    return this.reader().get(id)
  }

  idsWithPrefix(prefix: string, limit: number) {
    return this.reader().idsWithPrefix(prefix, limit)
  }

  getByExternalId(type: ContextObject['type'], externalId: string) {
    return this.reader().getByExternalId(type, externalId)
  }

  getMany(ids: readonly string[]) {
    return this.reader().getMany(ids)
  }

  find(options?: FindOptions) {
    return this.reader().find(options)
  }

  outline(where: Filter) {
    return this.reader().outline(where)
  }

  count(where?: Filter) {
    return this.reader().count(where)
  }

  definitions() {
    return this.reader().definitions()
  }

  keyring() {
    return this.reader().keyring()
  }

  wrappedKeys(ids: readonly string[] | 'all') {
    return this.reader().wrappedKeys(ids)
  }

  /** Transactions run one at a time, like the file store's lock. */
  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const state = this.state ?? newState('production', this.now())
      const tx = new StateTransaction(state)
      const result = await work(tx)
      if (tx.commit()) this.state = state
      return result
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  async *scan(options?: ScanOptions): AsyncIterable<ContextObject[]> {
    yield* scanState(this.state, options)
  }

  async info(): Promise<StoreInfo> {
    return {
      location: this.location,
      adapter: 'memory',
      initialized: this.state !== null,
      mode: this.state?.mode ?? null,
      formatVersion: this.state?.version ?? null,
      created: this.state?.created ?? null,
      counts: countByType(this.state),
      bytes: null,
    }
  }

  async init(mode: StoreMode): Promise<StoreInfo> {
    checkMode(this.location, this.state?.mode, mode)
    this.state ??= newState(mode, this.now())
    return this.info()
  }

  async flush(): Promise<void> {
    checkFlushable(this.location, this.state?.mode)
    this.state = newState('lab', this.state!.created)
  }

  async upgrade(options: UpgradeOptions = {}): Promise<{from: number | null; to: number}> {
    const from = this.state?.version ?? null
    if (this.state && options.within) await this.transaction(options.within)
    return {from, to: STORE_FORMAT_VERSION}
  }

  async close(): Promise<void> {}
}
