// The `file:` adapter: the whole store in one JSON file, read through lowdb. Safe when cron and a
// person run ctx at once: every read-modify-write holds a cross-process lock (proper-lockfile), the
// file is replaced atomically (file-write.ts: mode 0600, fsync, rename), and a file that is not a ctx
// store is reported and never written.
import {isAscii} from 'node:buffer'
import {mkdir, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {Low, type Adapter} from 'lowdb'
import {ConflictError, LockTimeoutError, StorageError} from '../errors.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {Filter} from '../search/query.js'
import {StoreFileBytes, StoreFilePeek} from './file-peek.js'
import {storeDamage} from './shape.js'
import {refuseFlush} from './memory.js'
import {countByType, newState, scanState, stateOfDocument, STORE_FORMAT, STORE_FORMAT_VERSION, StateTransaction, type StoreDocument, type StoreState} from './state.js'
import type {FindOptions, ScanOptions, Store, StoreCapabilities, StoreInfo, StoreMode, StoreWriter} from './store.js'

export interface FileStoreOptions {
  /** How long to wait for another process's lock before giving up with exit 7. */
  lockTimeoutMs?: number
  now: () => string
}

/** Format upgrades, keyed by the version they upgrade from. Version 1 is the first. */
const UPGRADES: Record<number, (state: StoreState) => StoreState> = {}

export class FileStore implements Store {
  readonly capabilities: StoreCapabilities = {indexedSearch: false, shared: true, importBatchSize: Number.POSITIVE_INFINITY}
  readonly location: string
  private readonly file: StoreFile
  private readonly db: Low<StoreState | null>
  private loaded: Promise<StoreState | null> | undefined
  private peeked: Promise<StoreFilePeek | undefined> | undefined
  private lockLost: Error | undefined

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

  find(options?: FindOptions) {
    return this.reader().then((reader) => reader.find(options))
  }

  count(where?: Filter) {
    return this.reader().then((reader) => reader.count(where))
  }

  async definitions() {
    return (await this.peek())?.definitions() ?? (await this.reader()).definitions()
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
      if (state && state.mode !== mode) {
        throw new ConflictError(`${this.location} is already a ${state.mode} store`, {hint: 'A store keeps the mode it was initialised with.'})
      }
      if (!state) await this.save(newState(mode, this.options.now()))
    })
    return this.info()
  }

  async flush(): Promise<void> {
    await this.locked(async () => {
      const state = await this.load(true)
      if (state?.mode !== 'lab') throw refuseFlush(this.location, state?.mode ?? null)
      await this.save(newState('lab', state.created))
    })
  }

  async upgrade(): Promise<{from: number | null; to: number}> {
    return this.locked(async () => {
      let state = await this.load(true, {allowOld: true})
      if (!state) return {from: null, to: STORE_FORMAT_VERSION}
      const from = state.version
      while (state.version < STORE_FORMAT_VERSION) state = UPGRADES[state.version](state)
      if (state.version !== from) await this.save(state)
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
    // Another process took the lock as stale (this one stalled past 10 s): its write wins, ours must not land.
    if (this.lockLost) throw new StorageError(`lost the lock on ${this.path} before writing: ${this.lockLost.message}; nothing was written`)
    this.db.data = state
    await this.db.write()
    this.loaded = Promise.resolve(state)
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(dirname(this.path), {recursive: true, mode: 0o700}).catch((error: NodeJS.ErrnoException) => {
      throw unavailable(this.path, 'create the directory of', error)
    })
    this.lockLost = undefined
    const release = await acquireLock(this.path, this.options.lockTimeoutMs ?? 20_000, (error) => {
      this.lockLost = error
    })
    try {
      return await work()
    } finally {
      await release().catch(() => undefined)
    }
  }
}

/**
 * Takes the cross-process lock, waiting for another holder up to `timeout` ms. Only "locked by
 * someone else" is worth waiting for; any other failure (permissions, a missing disk) is reported
 * at once.
 */
async function acquireLock(path: string, timeout: number, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeout
  let pause = 5
  // Loaded here, not at the top: reading commands (show, search, journey) never lock (DESIGN §6 P1).
  const {default: lockfile} = await import('proper-lockfile')
  for (;;) {
    try {
      return await lockfile.lock(path, {realpath: false, lockfilePath: `${path}.lock`, stale: 10_000, retries: 0, onCompromised})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ELOCKED') throw unavailable(path, 'lock', error as NodeJS.ErrnoException)
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(`${path} is locked by another ctx process and stayed locked for ${timeout / 1000} s`, {
          hint: `If no other ctx is running, the lock ${path}.lock was left by a killed process and expires within 10 s; try again.`,
          where: path,
        })
      }
      await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())))
      pause = Math.min(pause * 1.5, 100)
    }
  }
}

/** lowdb adapter: parses and checks the store file on read, writes it atomically as 0600. */
class StoreFile implements Adapter<StoreState | null> {
  private snapshot: StoreFileBytes | null | undefined

  constructor(private readonly path: string) {}

  /** The file (null: there is none), opened once and kept until parsed or forgotten. */
  bytes(): StoreFileBytes | null {
    if (this.snapshot === undefined) {
      try {
        this.snapshot = StoreFileBytes.open(this.path)
      } catch (error) {
        throw unavailable(this.path, 'read', error as NodeJS.ErrnoException)
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
      throw unavailable(this.path, 'read', error as NodeJS.ErrnoException)
    } finally {
      file.close()
    }
    // latin1 is exact for ASCII and several times faster than UTF-8 decoding.
    return parseStoreFile(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), this.path)
  }

  async write(state: StoreState | null): Promise<void> {
    if (!state) return
    try {
      // Loaded here, not at the top: reading commands never write (DESIGN §6 P1).
      const {writeJsonFileAtomically} = await import('./file-write.js')
      await writeJsonFileAtomically(this.path, state as unknown as Record<string, unknown>, 'objects')
    } catch (error) {
      throw unavailable(this.path, 'write', error as NodeJS.ErrnoException)
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
  }
  const reason = reasons[error.code ?? ''] ?? error.message
  return new StorageError(`cannot ${action} ${path}: ${reason}`, {
    hint: 'Check the path and its permissions, or choose another store with --store.',
    where: path,
    cause: error,
  })
}
