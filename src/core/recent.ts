// The customers this operator touched last (`customers recent`), kept per store in the CLI's config
// directory; and the small per-store lists like it (the desk's open customers, desk.ts). Convenience
// lists: a lost update between two processes costs nothing. Read and written synchronously: a few
// hundred bytes, where each asynchronous step (read, mkdir, realpath, stat, open, write, close,
// chown, chmod, rename) is a round trip through libuv's thread pool — ~5 ms of a `customers show`
// (bench P1, docs/performance.md). Replaced the way the store file is (file-write.ts): loading
// write-file-atomic for it, with worker_threads for its thread id, cost a start ~5 ms more.
import {mkdirSync, readFileSync, realpathSync} from 'node:fs'
import {dirname} from 'node:path'
import {replaceFileSync} from './storage/file-write.js'

export const RECENT_LIMIT = 10

export interface RecentEntry {
  id: string
  at: string
  action: 'created' | 'viewed' | 'updated'
}

/** A file of lists, one per store location. */
interface ListsFile<T> {
  version: 1
  stores: Record<string, T[]>
}

function readLists<T>(path: string): ListsFile<T> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ListsFile<T>
    if (parsed?.version === 1 && typeof parsed.stores === 'object' && parsed.stores !== null) return parsed
  } catch {
    // A missing or damaged list is an empty one: it only remembers, it never holds data.
  }
  return {version: 1, stores: {}}
}

export async function listRecent(path: string, location: string): Promise<RecentEntry[]> {
  return readStoreList<RecentEntry>(path, location)
}

export async function touchRecent(path: string, location: string, entry: RecentEntry): Promise<void> {
  await changeStoreList<RecentEntry>(path, location, (entries) => [entry, ...entries.filter((other) => other.id !== entry.id)].slice(0, RECENT_LIMIT))
}

export async function forgetRecent(path: string, location: string, ids: readonly string[]): Promise<void> {
  await changeStoreList<RecentEntry>(path, location, (entries) => entries.filter((entry) => !ids.includes(entry.id)))
}

/** The list kept in `path` for the store at `location` (empty when there is none). */
export async function readStoreList<T>(path: string, location: string): Promise<T[]> {
  return storeListOf(readLists<T>(path).stores, location)
}

/** The list of one store; a location is a user's string, so only an own array counts (never `constructor`). */
function storeListOf<T>(stores: Record<string, T[]>, location: string): T[] {
  return Object.hasOwn(stores, location) && Array.isArray(stores[location]) ? stores[location] : []
}

/** Rewrites the list of one store in `path` (0600, atomic); best effort, never failing the caller. */
export async function changeStoreList<T>(path: string, location: string, change: (entries: T[]) => T[]): Promise<void> {
  try {
    const file = readLists<T>(path)
    file.stores[location] = change(storeListOf(file.stores, location))
    mkdirSync(dirname(path), {recursive: true, mode: 0o700})
    // Atomic, so never torn, but not synced: losing the last entry to a power cut costs nothing.
    replaceFileSync(realPath(path), `${JSON.stringify(file, null, 2)}\n`)
  } catch {
    // Remembering is best effort: a read-only config directory must not fail the command.
  }
}

/** Where a link at `path` leads (its target is replaced, not the link); `path` itself when there is no file yet. */
function realPath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
