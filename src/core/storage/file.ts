// The `file:` adapter: the whole store in one JSON file, read through lowdb. Safe when cron and a
// person run ctx at once: every read-modify-write holds a cross-process lock (file-lock.ts) on the
// store's real path, the file is replaced atomically (file-write.ts: mode 0600, fsync, rename) only
// while that lock is still held, and a file that is not a ctx store is reported and never written.
import {isAscii} from 'node:buffer'
import {lstat, mkdir, readlink, realpath, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {Low, type Adapter} from 'lowdb'
import {StorageError} from '../errors.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {Filter} from '../search/query.js'
import type {StoreLock} from './file-lock.js'
import type {WriteHooks} from './file-write.js'
import {StoreFileBytes, StoreFilePeek} from './file-peek.js'
import {storeDamage} from './shape.js'
import {upgradeDefinitions, upgradeObject} from './upgrades/context-zip.js'
import {checkFlushable, checkMode} from './refusals.js'
import {countByType, newState, scanState, stateOfDocument, STORE_FORMAT, STORE_FORMAT_VERSION, StateTransaction, type StoreDocument, type StoreState} from './state.js'
import type {FindOptions, ScanOptions, Store, StoreCapabilities, StoreInfo, StoreMode, StoreWriter, UpgradeOptions} from './store.js'

export interface FileStoreOptions {
  /** How long to wait for another process's lock before giving up with exit 7. */
  lockTimeoutMs?: number
  now: () => string
}

/**
 * Format upgrades, keyed by the version they upgrade from. Version 1 is the first. Version 3 adds the
 * keyring; encrypting the values a store already holds needs its key, so the encryption layer does
 * that within the same upgrade (src/core/crypto/sealed-store.ts), in the same one atomic replace.
 */
const UPGRADES: Record<number, (state: StoreState) => StoreState> = {
  // 1 → 2: Context_Zip becomes Context_ZIP, with its values; base classifications as Cisco lists them.
  1(state) {
    const objects = new Map<string, ContextObject>()
    for (const [id, object] of state.objects) objects.set(id, upgradeObject(object) ?? object)
    return {...state, version: 2, definitions: upgradeDefinitions(state.definitions), objects}
  },
  // 2 → 3: the number; the values are sealed by the encryption layer (above).
  2: (state) => ({...state, version: 3}),
}

export class FileStore implements Store {
  readonly capabilities: StoreCapabilities = {indexedSearch: false, shared: true, importBatchSize: Number.POSITIVE_INFINITY}
  readonly location: string
  private readonly file: StoreFile
  private readonly db: Low<StoreState | null>
  private loaded: Promise<StoreState | null> | undefined
  private peeked: Promise<StoreFilePeek | undefined> | undefined
  /** The file the path names, links followed: resolved once, then locked, read and written. */
  private target: Promise<string> | undefined
  private lock: StoreLock | undefined

  constructor(
    private readonly path: string,
    private readonly options: FileStoreOptions,
  ) {
    this.location = path
    this.file = new StoreFile(path)
    this.db = new Low<StoreState | null>(this.file, null)
  }

  async get(id: string) {
    const peeked = (await this.peek())?.object(id)
    return peeked !== undefined ? peeked : (await this.reader()).get(id)
  }

  idsWithPrefix(prefix: string, limit: number) {
    return this.reader().then((reader) => reader.idsWithPrefix(prefix, limit))
  }

  getByExternalId(type: ObjectType, externalId: string) {
    return this.reader().then((reader) => reader.getByExternalId(type, externalId))
  }

  getMany(ids: readonly string[]) {
    return this.reader().then((reader) => reader.getMany(ids))
  }

  find(options?: FindOptions) {
    return this.reader().then((reader) => reader.find(options))
  }

  outline(where: Filter) {
    return this.reader().then((reader) => reader.outline(where))
  }

  count(where?: Filter) {
    return this.reader().then((reader) => reader.count(where))
  }

  async definitions() {
    return (await this.peek())?.definitions() ?? (await this.reader()).definitions()
  }

  /** Like one object, taken from the file's bytes before the whole store is parsed (`customers show`, P1 in docs/performance.md). */
  async keyring() {
    const peeked = (await this.peek())?.keyring()
    if (peeked !== undefined) return peeked && {kek: peeked.kek, created: peeked.created, rotated: peeked.rotated}
    return (await this.reader()).keyring()
  }

  async wrappedKeys(ids: readonly string[] | 'all') {
    const peeked = (await this.peek())?.keyring()
    if (peeked === undefined) return (await this.reader()).wrappedKeys(ids)
    const keys = peeked?.keys ?? {}
    if (ids === 'all') return {...keys}
    const found: Record<string, string> = {}
    for (const id of ids) if (Object.hasOwn(keys, id)) found[id] = keys[id]
    return found
  }

  async transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return this.locked(async () => {
      const state = (await this.load(true)) ?? newState('production', this.options.now())
      const tx = new StateTransaction(state)
      const result = await work(tx)
      if (tx.commit()) await this.save(state)
      return result
    })
  }

  async *scan(options?: ScanOptions): AsyncIterable<ContextObject[]> {
    yield* scanState(await this.load(), options)
  }

  async info(): Promise<StoreInfo> {
    const state = await this.load()
    const bytes = await stat(this.path).then(
      (stats) => stats.size,
      () => null,
    )
    return {
      location: this.location,
      adapter: 'file',
      initialized: state !== null,
      mode: state?.mode ?? null,
      formatVersion: state?.version ?? null,
      created: state?.created ?? null,
      counts: countByType(state),
      bytes,
    }
  }

  async init(mode: StoreMode): Promise<StoreInfo> {
    await this.locked(async () => {
      const state = await this.load(true, {allowOld: true})
      checkMode(this.location, state?.mode, mode)
      if (!state) await this.save(newState(mode, this.options.now()))
    })
    return this.info()
  }

  async flush(): Promise<void> {
    await this.locked(async () => {
      const state = await this.load(true)
      checkFlushable(this.location, state?.mode)
      await this.save(newState('lab', state!.created))
    })
  }

  async upgrade(options: UpgradeOptions = {}): Promise<{from: number | null; to: number}> {
    return this.locked(async () => {
      let state = await this.load(true, {allowOld: true})
      if (!state) return {from: null, to: STORE_FORMAT_VERSION}
      const from = state.version
      while (state.version < STORE_FORMAT_VERSION) state = UPGRADES[state.version](state)
      const tx = new StateTransaction(state)
      if (options.within) await options.within(tx)
      if (tx.commit() || state.version !== from) await this.save(state)
      return {from, to: STORE_FORMAT_VERSION}
    })
  }

  async close(): Promise<void> {
    this.file.forget()
  }

  /**
   * Before the whole store is parsed, a read of one object or of the definitions takes it from the
   * file's bytes (file-peek.ts); the bytes are kept, so a later whole parse sees the same file.
   */
  private peek(): Promise<StoreFilePeek | undefined> {
    if (this.loaded) return Promise.resolve(undefined)
    // Any surprise (the file unreadable, changed in place) leaves it to the whole parse to report.
    this.peeked ??= new Promise<StoreFilePeek | undefined>((resolve) => {
      const file = this.file.bytes()
      resolve(file ? StoreFilePeek.of(file) : undefined)
    }).catch(() => undefined)
    return this.peeked!
  }

  private async reader(): Promise<StateTransaction> {
    return new StateTransaction((await this.load()) ?? newState('production', this.options.now()))
  }

  /** The state as last read; `fresh` re-reads the file (inside the lock, before writing). */
  private load(fresh = false, {allowOld = false} = {}): Promise<StoreState | null> {
    if (fresh || !this.loaded) {
      if (fresh) this.file.forget()
      this.peeked = undefined
      this.loaded = this.db.read().then(() => {
        const state = this.db.data
        if (state && state.version < STORE_FORMAT_VERSION && !allowOld) {
          throw new StorageError(`${this.path} is a ctx store of format version ${state.version}, older than this ctx (${STORE_FORMAT_VERSION})`, {
            hint: `Run \`ctx store upgrade --store ${this.path}\` first.`,
          })
        }
        return state
      })
      this.loaded.catch(() => {
        this.loaded = undefined
      })
    }
    return this.loaded
  }

  private async save(state: StoreState): Promise<void> {
    const lock = this.lock!
    this.db.data = state
    // The new file lands only if the lock is still ours right before the rename (file-lock.ts).
    this.file.hooks = {progress: () => lock.touch(), beforeRename: () => lock.confirm()}
    try {
      await this.db.write()
    } finally {
      this.file.hooks = {}
    }
    this.loaded = Promise.resolve(state)
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    const target = await this.resolveTarget()
    // Loaded here, not at the top: reading commands (show, search, journey) never lock (bench P1).
    const {removeLeftovers, takeLock} = await import('./file-lock.js')
    const bytes = await stat(target).then(
      (stats) => stats.size,
      () => 0,
    )
    let lock: StoreLock
    try {
      // Another host's holder refreshes its lock as it works; staleness grows with the store (1 s per 10 MB).
      lock = await takeLock(target, {timeoutMs: this.options.lockTimeoutMs ?? 20_000, staleMs: 10_000 + bytes / 10_000})
    } catch (error) {
      throw error instanceof StorageError ? error : unavailable(this.path, 'lock', error as NodeJS.ErrnoException)
    }
    this.lock = lock
    this.file.heartbeat = () => lock.touch()
    try {
      removeLeftovers(target)
      return await work()
    } finally {
      this.lock = undefined
      this.file.heartbeat = undefined
      lock.release()
    }
  }

  /**
   * The store's real path, found once: a symlinked store is locked and written where it lives, so
   * writers through the link and through the target share one lock, and the link stays a link (a
   * dangling one gets its target created, never replaced by a file).
   */
  private resolveTarget(): Promise<string> {
    this.target ??= storeTarget(this.path).then(
      (target) => {
        this.file.path = target
        return target
      },
      (error: NodeJS.ErrnoException) => {
        this.target = undefined
        throw error instanceof StorageError ? error : unavailable(this.path, 'open', error)
      },
    )
    return this.target
  }
}

/** Where `path` leads: links followed, even to a file that does not exist yet; its directory created only for a plain path. */
async function storeTarget(path: string): Promise<string> {
  let current = path
  for (let hops = 0; hops < 40; hops++) {
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    if (stats === null) {
      // A path that names no link: its directory is made as before. A dangling link's target
      // directory is not (it may be a disk not mounted): the lock reports it missing.
      if (current === path) await mkdir(dirname(path), {recursive: true, mode: 0o700})
      const directory = await realpath(dirname(current)).catch(() => dirname(current))
      return join(directory, basename(current))
    }
    if (!stats.isSymbolicLink()) {
      const target = await realpath(current)
      if (!stats.isFile()) throw notRegular(path, stats)
      return target
    }
    current = resolve(dirname(current), await readlink(current))
  }
  throw Object.assign(new Error('too many levels of symbolic links'), {code: 'ELOOP'})
}

function notRegular(path: string, stats: {isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean}): StorageError {
  const what = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : stats.isSocket() ? 'a socket' : 'a device or other special file'
  return new StorageError(`${path} is not a regular file: it is ${what}`, {
    hint: 'A file store is a regular .json file; point --store at one.',
    where: path,
  })
}

/** lowdb adapter: parses and checks the store file on read, writes it atomically as 0600. */
class StoreFile implements Adapter<StoreState | null> {
  private snapshot: StoreFileBytes | null | undefined
  /** While the lock is held: touches it between the long steps of a read. */
  heartbeat: (() => void) | undefined
  hooks: WriteHooks = {}

  /** I/O goes to `path`: the path as given until the store resolves its real path (FileStore.resolveTarget). */
  path: string

  /** `name`: the path the user gave, for messages. */
  constructor(private readonly name: string) {
    this.path = name
  }

  /** The file (null: there is none), opened once and kept until parsed or forgotten. */
  bytes(): StoreFileBytes | null {
    if (this.snapshot === undefined) {
      try {
        this.snapshot = StoreFileBytes.open(this.path)
      } catch (error) {
        throw unavailable(this.name, 'read', error as NodeJS.ErrnoException)
      }
    }
    return this.snapshot
  }

  /** The next read goes to the disk (a read inside the lock, before writing). */
  forget(): void {
    this.snapshot?.close()
    this.snapshot = undefined
  }

  async read(): Promise<StoreState | null> {
    const file = this.bytes()
    this.snapshot = undefined
    if (file === null) return null
    let bytes: Buffer
    try {
      bytes = file.all()
    } catch (error) {
      throw unavailable(this.name, 'read', error as NodeJS.ErrnoException)
    } finally {
      file.close()
    }
    this.heartbeat?.()
    // latin1 is exact for ASCII and several times faster than UTF-8 decoding.
    const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
    this.heartbeat?.()
    const state = parseStoreFile(text, this.name)
    this.heartbeat?.()
    return state
  }

  async write(state: StoreState | null): Promise<void> {
    if (!state) return
    try {
      // Loaded here, not at the top: reading commands never write (bench P1).
      const {writeJsonFileAtomically} = await import('./file-write.js')
      await writeJsonFileAtomically(this.path, state as unknown as Record<string, unknown>, 'objects', this.hooks)
    } catch (error) {
      throw error instanceof StorageError ? error : unavailable(this.name, 'write', error as NodeJS.ErrnoException)
    }
  }
}

/** Parses a store file, refusing (exit 7, file untouched) anything that is not a ctx store this ctx can read. */
export function parseStoreFile(text: string, path: string): StoreState {
  const untouched = 'The file was left untouched; restore it from a backup, or point --store at another file.'
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new StorageError(`${path} is not a ctx store: it is not valid JSON (${(error as Error).message})`, {hint: untouched, where: path})
  }
  const state = parsed as Partial<StoreDocument> | null
  if (!state || typeof state !== 'object' || state.format !== STORE_FORMAT || typeof state.version !== 'number') {
    throw new StorageError(`${path} is not a ctx store: it has no "format": "${STORE_FORMAT}" stamp`, {hint: untouched, where: path})
  }
  if (state.version > STORE_FORMAT_VERSION) {
    throw new StorageError(`${path} was written by a newer ctx (format version ${state.version}; this ctx reads up to ${STORE_FORMAT_VERSION})`, {
      hint: 'Upgrade ctx to read this store.',
      where: path,
    })
  }
  if (typeof state.objects !== 'object' || state.objects === null || typeof state.definitions !== 'object' || state.definitions === null) {
    throw new StorageError(`${path} is a damaged ctx store: "objects" or "definitions" is missing`, {hint: untouched, where: path})
  }
  const damage = storeDamage(state as Record<string, unknown>)
  if (damage) throw new StorageError(`${path} is a damaged ctx store: ${damage}`, {hint: untouched, where: path})
  return stateOfDocument(state as StoreDocument)
}

function unavailable(path: string, action: string, error: NodeJS.ErrnoException): StorageError {
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    ENOTDIR: 'a part of the path is not a directory',
    EISDIR: 'it is a directory',
    ENOENT: 'its directory does not exist',
    ENXIO: 'it is not a regular file',
    ELOOP: 'too many levels of symbolic links',
  }
  const reason = reasons[error.code ?? ''] ?? error.message
  return new StorageError(`cannot ${action} ${path}: ${reason}`, {
    hint: 'Check the path and its permissions, or choose another store with --store.',
    where: path,
    cause: error,
  })
}
