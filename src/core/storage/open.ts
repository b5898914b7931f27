// Chooses the adapter by the store URL (README "Where the data lives"): memory:, file:PATH or a path ending .json, and
// postgres:// — each adapter loaded only when used, so a command pays for nothing it does not open.
import {resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {nowIso, type Clock} from '../clock.js'
import {UsageError} from '../errors.js'
import type {KeySettings} from '../crypto/sealed-store.js'
import type {Store} from './store.js'

export interface OpenOptions {
  clock: Clock
  lockTimeoutMs?: number
  /** Where the store's key-encryption key is (src/core/crypto/sealed-store.ts); without, it lives in this process only. */
  keys?: KeySettings
}

export type StoreKind = 'memory' | 'file' | 'postgres'

export interface StoreAddress {
  kind: StoreKind
  /** The memory store's name, the file's absolute path, or the connection string. */
  target: string
}

export function parseStoreUrl(url: string): StoreAddress {
  const text = url.trim()
  if (text === '') throw new UsageError('the store URL is empty', {hint: 'Give --store a .json path, file:PATH, memory: or postgres://...'})
  if (text.startsWith('memory:')) return {kind: 'memory', target: text.slice('memory:'.length)}
  if (/^postgres(ql)?:\/\//i.test(text)) return {kind: 'postgres', target: text}
  if (text.startsWith('file://')) return {kind: 'file', target: fileURLToPath(text)}
  if (text.startsWith('file:')) return {kind: 'file', target: resolve(text.slice('file:'.length))}
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UsageError(`unknown store URL scheme in "${redactUrl(text)}"`, {hint: 'Use a .json path, file:PATH, memory: or postgres://...'})
  }
  if (text.toLowerCase().endsWith('.json')) return {kind: 'file', target: resolve(text)}
  throw new UsageError(`"${redactUrl(text)}" is not a store URL`, {
    hint: 'A file store is a path ending in .json (or file:PATH); also memory: and postgres://...',
  })
}

/**
 * The store at `url`, behind the layer that keeps PII and ENCRYPTED values encrypted in it: every
 * adapter stores sealed values only.
 */
export async function openStore(url: string, options: OpenOptions): Promise<Store> {
  const now = () => nowIso(options.clock)
  const [adapter, {SealedStore}] = await Promise.all([openAdapter(url, options), import('../crypto/sealed-store.js')])
  return new SealedStore(adapter, {...options.keys, now})
}

/** The adapter alone, storing what it is given: for the encryption layer and the adapters' own tests. */
export async function openAdapter(url: string, options: OpenOptions): Promise<Store> {
  const address = parseStoreUrl(url)
  const now = () => nowIso(options.clock)
  switch (address.kind) {
    case 'memory': {
      const {openMemoryStore} = await import('./memory.js')
      return openMemoryStore(address.target, now)
    }
    case 'file': {
      const {FileStore} = await import('./file.js')
      return new FileStore(address.target, {now, lockTimeoutMs: options.lockTimeoutMs})
    }
    case 'postgres': {
      const {PostgresStore} = await import('./postgres/store.js')
      return new PostgresStore(address.target, {now, lockTimeoutMs: options.lockTimeoutMs})
    }
  }
}

/**
 * A URL fit to print, whatever its shape (parseable or not): a password in the authority or in a
 * `password=` parameter replaced by ***. The authority's password is taken to run from the first
 * colon after `scheme:` to the last @, since one typed unescaped may hold / ? # or @ itself; a
 * port before an @ in the query is masked with it (more hidden, never less).
 */
export function redactUrl(url: string): string {
  let text = url
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/*/i.exec(text)
  if (scheme) {
    const colon = text.indexOf(':', scheme[0].length)
    const at = text.lastIndexOf('@')
    if (colon >= 0 && at > colon) text = `${text.slice(0, colon + 1)}***${text.slice(at)}`
  }
  return text.replace(/(^|[?&\s])((?:ssl)?password=)[^&#\s]*/gi, '$1$2***')
}
