// The key-encryption key (KEK): 32 random bytes in a file of its own that never sits in the store.
// It comes from --key-file or CTX_KEY_FILE; without either, from a file named after the store in
// ctx's config directory, created 0600 on the store's first write. Only the KEK's fingerprint is
// recorded in the store, so a wrong key is told apart from a damaged one.
import {createHash, randomBytes} from 'node:crypto'
import {lstatSync, readFileSync, readlinkSync, realpathSync} from 'node:fs'
import {mkdir, open, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {parseStoreUrl, redactUrl} from '../storage/open.js'
import {KeyError} from './errors.js'

export const KEY_FILE_FORMAT = 'ctx-key'
export const KEY_BYTES = 32

/** Where the key-encryption key of a store is to be found, and who said so. */
export interface KeyFileLocation {
  path: string
  /** `flag`: --key-file; `env`: CTX_KEY_FILE; `default`: the file named after the store in the config directory. */
  source: 'flag' | 'env' | 'default'
}

export interface KeyEncryptionKey {
  /** The key itself: kept in memory only while a command uses it. */
  readonly bytes: Buffer
  /** `kek:` and 32 hex digits: a one-way digest of the key, recorded in the store. */
  readonly fingerprint: string
  /** When the key file was made (from the file), for `keys status`. */
  readonly created: string
  readonly path: string
}

/** The file as written: JSON, so a person can tell what it is and a newer ctx can add to it. */
interface KeyFileDocument {
  format: typeof KEY_FILE_FORMAT
  version: 1
  created: string
  key: string
}

/**
 * The key file of a store: --key-file, else CTX_KEY_FILE, else `keys/<store name>.key` in the
 * config directory. The default name is readable (the store's file name or database) and unique (a
 * digest of the whole location), so two stores never share a key by accident.
 */
export function keyFileLocation(storeLocation: string, options: {flag?: string; env?: string; configDir: string}): KeyFileLocation {
  if (options.flag !== undefined && options.flag !== '') return {path: options.flag, source: 'flag'}
  if (options.env !== undefined && options.env !== '') return {path: options.env, source: 'env'}
  return {path: join(options.configDir, 'keys', `${storeKeyName(storeLocation)}.key`), source: 'default'}
}

/** `store.json-1a2b3c4d`, `test-public-5e6f7a8b`: the store's own name and a digest of its location. */
export function storeKeyName(storeLocation: string): string {
  let label: string
  try {
    const address = parseStoreUrl(storeLocation)
    label = address.kind === 'file' ? basename(fileTarget(address.target)) : address.kind === 'memory' ? `memory-${address.target}` : postgresLabel(address.target)
  } catch {
    label = storeLocation
  }
  const digest = createHash('sha256').update(storeIdentity(storeLocation)).digest('hex').slice(0, 8)
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'store'
  return `${safe}-${digest}`
}

/**
 * What names one store however its URL is written: a file's absolute path, a memory store's name, a
 * database's host, port, database and schema (not the user, the password or connection settings
 * such as application_name or sslmode, which reach the same store).
 */
export function storeIdentity(storeLocation: string): string {
  try {
    const address = parseStoreUrl(storeLocation)
    if (address.kind === 'file') return `file:${fileTarget(address.target)}`
    if (address.kind !== 'postgres') return `${address.kind}:${address.target}`
    const url = new URL(redactUrl(address.target))
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
    return `postgres://${url.hostname.toLowerCase()}:${url.port || '5432'}/${database}?schema=${url.searchParams.get('schema') ?? ''}`
  } catch {
    return storeLocation
  }
}

/**
 * The file a file store's path leads to, links followed (to a file that may not exist yet), as the
 * store's lock takes it (storage/file.ts): a store reached through a link or a relative path has
 * the one key file of the store itself.
 */
function fileTarget(path: string): string {
  let current = resolve(path)
  for (let hops = 0; hops < 40; hops++) {
    let link = false
    try {
      link = lstatSync(current).isSymbolicLink()
    } catch {
      break
    }
    if (!link) {
      try {
        return realpathSync(current)
      } catch {
        return current
      }
    }
    current = resolve(dirname(current), readlinkSync(current))
  }
  try {
    return join(realpathSync(dirname(current)), basename(current))
  } catch {
    return current
  }
}

function postgresLabel(url: string): string {
  try {
    const parsed = new URL(redactUrl(url))
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres'
    const schema = parsed.searchParams.get('schema')
    return schema ? `${database}-${schema}` : database
  } catch {
    return 'postgres'
  }
}

/** The key's fingerprint: a domain-separated SHA-256 of it, so it tells keys apart and reveals nothing. */
export function fingerprintOf(key: Buffer): string {
  return `kek:${createHash('sha256').update('ctx key fingerprint\0').update(key).digest('hex').slice(0, 32)}`
}

/** The key in `path`, or null when there is no such file; a file that is not a ctx key is exit 7. */
export async function readKeyFile(path: string): Promise<KeyEncryptionKey | null> {
  let text: string
  try {
    // Synchronously, like the store file's peek: with the config's, the only reads a `customers
    // show` would otherwise make through libuv's thread pool (bench P1).
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new KeyError(`cannot read the key file ${path}: ${(error as Error).message}`, {where: path, cause: error})
  }
  return parseKeyFile(text, path)
}

export function parseKeyFile(text: string, path: string): KeyEncryptionKey {
  let document: Partial<KeyFileDocument> | null = null
  try {
    document = JSON.parse(text) as Partial<KeyFileDocument>
  } catch {
    // Reported below.
  }
  const bytes = typeof document?.key === 'string' ? Buffer.from(document.key, 'base64') : Buffer.alloc(0)
  if (!document || document.format !== KEY_FILE_FORMAT || document.version !== 1 || bytes.length !== KEY_BYTES || typeof document.created !== 'string') {
    throw new KeyError(`${path} is not a ctx key file`, {
      where: path,
      hint: 'A key file is the JSON file ctx made (format "ctx-key"); point --key-file or CTX_KEY_FILE at it.',
    })
  }
  return {bytes, fingerprint: fingerprintOf(bytes), created: document.created, path}
}

/**
 * Makes a new key in `path`, 0600 in a 0700 directory, refusing to replace any file there (another
 * process may have made one a moment ago: its key is then the one to use, read it back).
 */
export async function createKeyFile(path: string, created: string): Promise<KeyEncryptionKey> {
  const bytes = randomBytes(KEY_BYTES)
  const document: KeyFileDocument = {format: KEY_FILE_FORMAT, version: 1, created, key: bytes.toString('base64')}
  try {
    await mkdir(dirname(path), {recursive: true, mode: 0o700})
    const file = await open(path, 'wx', 0o600)
    try {
      await file.writeFile(`${JSON.stringify(document, null, 2)}\n`)
      // Explicitly: a umask can take bits away from 0600 but never add them; a chmod is exact.
      await file.chmod(0o600)
      await file.sync()
    } finally {
      await file.close()
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const existing = await readKeyFile(path)
      if (existing) return existing
    }
    throw new KeyError(`cannot create the key file ${path}: ${(error as Error).message}`, {
      where: path,
      cause: error,
      hint: 'Give a key file with --key-file or CTX_KEY_FILE, or make the config directory writable.',
    })
  }
  return {bytes, fingerprint: fingerprintOf(bytes), created, path}
}

/** The key file's permission bits, for `keys status` (null when it cannot be read). */
export async function keyFileMode(path: string): Promise<number | null> {
  return stat(path).then(
    (stats) => stats.mode & 0o777,
    () => null,
  )
}
