// Connecting to PostgreSQL: the store URL turned into a small pool fit for a CLI, and every way a
// connection can fail turned into an error that says what to do — never showing a password.
import './node-navigator.js'
import pg from 'pg'
import {ConflictError, CtxError, InvalidDataError, LockTimeoutError, StorageError, UsageError} from '../../errors.js'
import {redactUrl} from '../open.js'

export interface PgAddress {
  /** Handed to node-postgres: the URL, with `schema=` turned into a search_path option. */
  connectionString: string
  /** The schema named by `?schema=`, or null for the server's search_path (usually public). */
  schema: string | null
  /** The URL fit to print. */
  location: string
  /** Whether printing it masked a password: a command naming `location` would not connect. */
  masked: boolean
  host: string
  port: string
  database: string
  user: string
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Reads a postgres:// URL. `?schema=NAME` puts the store in its own schema (one database can hold
 * many stores: tests, teams); it is passed to the server as `-c search_path=NAME`.
 */
export function pgAddress(url: string): PgAddress {
  const location = redactUrl(url)
  let parsed: URL
  try {
    // A URL without a host (a Unix socket given as ?host=/run/postgresql) is valid for libpq, not for URL.
    parsed = new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)(?=[/?#]|$)/i, '$1localhost'))
  } catch {
    throw new UsageError(`"${location}" is not a valid postgres:// URL`, {
      hint: 'The form is postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]; percent-encode special characters in the password.',
    })
  }
  const schema = parsed.searchParams.get('schema')
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new UsageError(`schema "${schema}" in the store URL is not a plain lower-case name`, {
      hint: 'Use letters a-z, digits and underscores, starting with a letter or underscore (at most 63).',
    })
  }
  parsed.searchParams.delete('schema')
  // No JIT compilation: ctx's statements are lookups, pages and batches, where compiling cost
  // 100-220 ms a statement whose plan is estimated large (a journey's comment lookups: 9 ms
  // without). The URL's own options come after, so they may turn it back on.
  const options = ['-c jit=off', parsed.searchParams.get('options'), schema === null ? null : `-c search_path=${schema}`]
  parsed.searchParams.set('options', options.filter(Boolean).join(' '))
  const user = parsed.searchParams.get('user') ?? (decodeURIComponent(parsed.username) || process.env.PGUSER || 'postgres')
  return {
    connectionString: parsed.toString(),
    schema,
    location,
    masked: location !== url,
    host: parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost'),
    port: parsed.searchParams.get('port') ?? (parsed.port || '5432'),
    database: decodeURIComponent(parsed.pathname.slice(1)) || user,
    user,
  }
}

/**
 * `ctx COMMAND` on this store, to copy: with `--store URL` when the URL holds no password, else
 * with the URL in CTX_STORE — a masked password in a command would not connect, and the real one
 * is not printed.
 */
export function storeCommand(address: PgAddress, command: string): string {
  return address.masked ? `\`ctx ${command}\` with the store URL in CTX_STORE (its password is not printed here)` : `\`ctx ${command} --store '${address.location}'\``
}

/** Small on purpose: a CLI runs one command at a time; a scan and a transaction may overlap. */
export function createPool(address: PgAddress, lockTimeoutMs: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: address.connectionString,
    // Like the file store's lock timeout: waiting on another transaction's locks ends in LockTimeoutError.
    lock_timeout: lockTimeoutMs,
    max: 4,
    idleTimeoutMillis: 5000,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    keepAlive: true,
    application_name: 'ctx',
  })
  // An idle client whose server went away emits 'error'; the next checkout simply opens a new one.
  pool.on('error', () => undefined)
  return pool
}

/** Serialization failures and deadlocks: the transaction did nothing and may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as {code?: string} | null)?.code
  return code === '40001' || code === '40P01'
}

const LOST = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', 'ECONNRESET', 'EPIPE'])

/**
 * A pg or network error as a ctx error: storage unavailable (exit 7) for everything about reaching,
 * logging in to, or losing the server; other errors pass through unchanged (they are bugs).
 */
export function pgFailure(error: unknown, address: PgAddress): unknown {
  if (error instanceof CtxError) return error
  const err = error as Error & {code?: string; errors?: {code?: string}[]}
  const code = err.code ?? err.errors?.[0]?.code ?? ''
  const where = `${address.host}:${address.port}`
  const storage = (message: string, hint: string) => new StorageError(message, {hint, where: address.location, cause: error})
  const tlsFailure = () =>
    storage(
      `cannot open a TLS connection to PostgreSQL at ${where}: ${err.message}`,
      'Check the sslmode of the store URL against the server: a server without TLS needs sslmode=disable (or no sslmode); an untrusted certificate needs its CA (sslrootcert).',
    )
  // Citus relays the error a worker raised on a row of a COPY under the generic XX000, its own code
  // lost (ReportCopyError in its multi_copy.c): a row the server refused, as on PostgreSQL, where it
  // keeps its code (22021 and the like, below), not a failure of ctx.
  if (code === 'XX000' && (err as {routine?: string}).routine === 'ReportCopyError') {
    return new InvalidDataError(`a node of the Citus cluster refused a row: ${err.message}`, {
      hint: 'Citus passes a worker\'s refusal in a COPY on without its error code; fix what it names, then run the same import again with --upsert.',
      cause: error,
    })
  }
  switch (code) {
    case 'ECONNREFUSED':
      return storage(`cannot reach PostgreSQL at ${where}: connection refused`, 'Is the server running and listening there? Check the host and port of --store / CTX_STORE.')
    case 'ENOENT':
      return storage(`cannot reach PostgreSQL at ${where}: no server socket there`, 'Is the server running, with its socket in that directory? Check the host of --store / CTX_STORE.')
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return storage(`cannot reach PostgreSQL: the host "${address.host}" is not known`, 'Check the host name of --store / CTX_STORE.')
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return storage(`cannot reach PostgreSQL at ${where}: ${code}`, 'Check the network path to the server and the host and port of the store URL.')
    case '28P01':
      return storage(`PostgreSQL at ${where} refused the password of user "${address.user}"`, 'Check the user and password of the store URL (or PGPASSWORD / ~/.pgpass).')
    case '28000':
      return storage(`PostgreSQL at ${where} refused the login: ${err.message}`, 'Check the user of the store URL and that pg_hba.conf lets it connect.')
    case '3D000':
      return storage(`the database "${address.database}" does not exist on ${where}`, `Create it (createdb ${address.database}), then run ${storeCommand(address, 'store init')}.`)
    case '53300':
      return storage(`PostgreSQL at ${where} has no free connections: ${err.message}`, 'Try again when fewer clients are connected.')
    case '42501':
      return storage(`PostgreSQL refused: ${err.message}`, `Grant user "${address.user}" the rights ctx needs on the store's schema, or use another user.`)
    case '25006':
      return storage(`PostgreSQL at ${where} is read-only: ${err.message}`, 'Point the store URL at the primary server.')
    case '22P05':
    case '22021':
      // ctx refuses a NUL and a lone surrogate before they reach the server (unstorableTextPath in
      // src/core/model.ts): what is left is text the database's encoding has no room for.
      return new InvalidDataError(`PostgreSQL cannot store this text: ${err.message}`, {hint: 'A database in UTF8 holds every character ctx keeps; check the encoding of this one (psql -l), or change the text it names.', cause: error})
    case '55P03':
      return new LockTimeoutError(`another ctx process held a lock on ${address.location} past the lock timeout: ${err.message}`, {
        hint: 'Try again when it is done; CTX_LOCK_TIMEOUT_MS sets how long to wait.',
        where: address.location,
        cause: error,
      })
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return tlsFailure()
    case '40001':
    case '40P01':
      return new ConflictError('other ctx processes kept changing the same objects; this change was not made', {hint: 'Run the command again.', cause: error})
  }
  // node-postgres reports a server without TLS with no code, only this message.
  if (/does not support SSL|SSL connection|TLS/i.test(err.message ?? '')) return tlsFailure()
  if (LOST.has(code) || /Connection terminated|connection timeout|terminating connection|not queryable/i.test(err.message ?? '')) {
    return storage(
      `lost the connection to PostgreSQL at ${where}: ${err.message}`,
      'The transaction in progress was rolled back: nothing of it was committed. Run the command again once the server is back.',
    )
  }
  return error
}
