// Shared by the import/export unit tests: a fresh memory store, a frozen clock, fixture paths and a
// temporary directory for rejects files and exports.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {PassThrough} from 'node:stream'
import {exportObjects, type ExportOptions} from '../../../src/core/io/export.js'
import {importFile, type ImportOptions} from '../../../src/core/io/import.js'
import type {ContextObject} from '../../../src/core/model.js'
import type {Session} from '../../../src/core/objects.js'
import {openMemoryStore} from '../../../src/core/storage/memory.js'
import type {Store} from '../../../src/core/storage/store.js'

export const NOW = '2026-03-01T09:00:00.000Z'
export const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url))
export const MAPPINGS = fileURLToPath(new URL('../../fixtures/corpus-mappings/', import.meta.url))

export function memoryStore(): Store {
  return openMemoryStore('', () => NOW)
}

export function sessionOf(store: Store, now = NOW): Session {
  return {store, clock: () => new Date(now), actor: 'tester'}
}

export interface Scratch {
  dir: string
  path(name: string): string
  write(name: string, text: string): string
  read(name: string): string
  cleanup(): void
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'ctx-io-'))
  return {
    dir,
    path: (name) => join(dir, name),
    write: (name, text) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    },
    read: (name) => readFileSync(join(dir, name), 'utf8'),
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  }
}

/** Imports with rejects kept in the scratch directory, never beside the fixtures. */
export function importInto(store: Store, file: string, options: Partial<ImportOptions>, dir: Scratch, now = NOW) {
  return importFile(sessionOf(store, now), {file, rejects: dir.path('rejects.out'), ...options})
}

export async function exportText(store: Store, options: ExportOptions): Promise<string> {
  const out = new PassThrough()
  const chunks: string[] = []
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')))
  await exportObjects(store, out, options)
  out.end()
  return chunks.join('')
}

export async function allObjects(store: Store): Promise<ContextObject[]> {
  const out: ContextObject[] = []
  for await (const batch of store.scan()) out.push(...batch)
  return out
}

export async function byExternalId(store: Store): Promise<Record<string, ContextObject>> {
  return Object.fromEntries((await allObjects(store)).map((object) => [object.externalId ?? object.id, object]))
}
