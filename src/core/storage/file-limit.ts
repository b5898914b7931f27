// How big a file store may grow before PostgreSQL should take over. Every command on a file store
// reads the whole file, so journey, search and `customers recent` grow with it; past the limit
// ctx says so once per command, with the migrate command to run. The check is one stat(), never a
// parse, so a command on a small store pays nothing for it.
import {statSync} from 'node:fs'
import {UsageError} from '../errors.js'

/** Where a file store stops serving well (see README, "When PostgreSQL takes over"). */
export const FILE_STORE_LIMIT_BYTES = 50 * 1_000_000

export interface FileStoreSize {
  bytes: number
  limit: number
}

/** The limit: CTX_FILE_STORE_LIMIT_MB (megabytes, 10^6 bytes, decimals allowed) when set, else the default. */
export function fileStoreLimit(setting: string | undefined): number {
  if (setting === undefined || setting.trim() === '') return FILE_STORE_LIMIT_BYTES
  const megabytes = Number(setting)
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw new UsageError(`CTX_FILE_STORE_LIMIT_MB must be a positive number of megabytes, not "${setting}"`, {hint: 'Unset it for the default.'})
  }
  return Math.round(megabytes * 1_000_000)
}

/** The file's size against the limit when it is past it; null when within it, or when there is no file yet. */
export function fileStorePastLimit(path: string, limit: number): FileStoreSize | null {
  let bytes: number
  try {
    bytes = statSync(path).size
  } catch {
    return null
  }
  return bytes > limit ? {bytes, limit} : null
}

/** What to tell the user: where the store is, how big, and the command that moves it to PostgreSQL (no password in it). */
export function fileStoreWarning(path: string, size: FileStoreSize): string {
  return (
    `the file store ${path} holds ${megabytes(size.bytes)}, past the ${megabytes(size.limit)} it serves well: ` +
    'journey, search and customers recent read the whole file and take seconds from here. PostgreSQL takes over: run ' +
    `\`ctx migrate --from ${shellQuote(path)} --to 'postgres://USER@HOST/DATABASE'\`, then set CTX_STORE to that URL ` +
    '(keep a password in PGPASSWORD or ~/.pgpass, not in the URL).'
  )
}

export function megabytes(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`
}

/** A path as one word for a POSIX shell. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
}
