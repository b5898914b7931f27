// The customers this operator touched last (DESIGN §2 `customers recent`), kept per store in the
// CLI's config directory. A convenience list: a lost update between two processes costs nothing.
import {mkdir, readFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import writeFileAtomic from 'write-file-atomic'

export const RECENT_LIMIT = 10

export interface RecentEntry {
  id: string
  at: string
  action: 'created' | 'viewed' | 'updated'
}

interface RecentFile {
  version: 1
  stores: Record<string, RecentEntry[]>
}

async function readRecent(path: string): Promise<RecentFile> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as RecentFile
    if (parsed?.version === 1 && typeof parsed.stores === 'object' && parsed.stores !== null) return parsed
  } catch {
    // A missing or damaged list is an empty one: it only remembers, it never holds data.
  }
  return {version: 1, stores: {}}
}

export async function listRecent(path: string, location: string): Promise<RecentEntry[]> {
  const {stores} = await readRecent(path)
  return Object.hasOwn(stores, location) && Array.isArray(stores[location]) ? stores[location] : []
}

export async function touchRecent(path: string, location: string, entry: RecentEntry): Promise<void> {
  await changeRecent(path, location, (entries) => [entry, ...entries.filter((other) => other.id !== entry.id)].slice(0, RECENT_LIMIT))
}

export async function forgetRecent(path: string, location: string, ids: readonly string[]): Promise<void> {
  await changeRecent(path, location, (entries) => entries.filter((entry) => !ids.includes(entry.id)))
}

async function changeRecent(path: string, location: string, change: (entries: RecentEntry[]) => RecentEntry[]): Promise<void> {
  try {
    const file = await readRecent(path)
    file.stores[location] = change(Object.hasOwn(file.stores, location) && Array.isArray(file.stores[location]) ? file.stores[location] : [])
    await mkdir(dirname(path), {recursive: true, mode: 0o700})
    // Atomic, so never torn, but not synced: losing the last entry to a power cut costs nothing.
    await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, {mode: 0o600, fsync: false})
  } catch {
    // Remembering is best effort: a read-only config directory must not fail the command.
  }
}
