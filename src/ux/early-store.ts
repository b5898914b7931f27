// Opening the store before oclif has found the command. A command reaches its store ~100 ms into
// a start, and on postgres:// it then waits ~15 ms for a server backend and ~10 ms for the first
// query; started from the raw argv, both pass while oclif loads (DESIGN §6 P6). Only postgres://
// has anything to start early, and only a command that may open a store starts it.
import {clockFromEnv} from '../core/clock.js'
import {openStore, type OpenOptions} from '../core/storage/open.js'
import type {Store} from '../core/storage/store.js'

interface EarlyStore {
  url: string
  store: Promise<Store>
}

let early: EarlyStore | undefined

/** What every store a command opens is opened with: ctx's clock and CTX_LOCK_TIMEOUT_MS. */
export function openOptions(env: NodeJS.ProcessEnv = process.env): OpenOptions {
  return {clock: clockFromEnv(), lockTimeoutMs: env.CTX_LOCK_TIMEOUT_MS ? Number(env.CTX_LOCK_TIMEOUT_MS) : undefined}
}

/**
 * The store URL a command line names, as oclif will read it: `--store URL` or `--store=URL` before
 * any `--`, else CTX_STORE; undefined for help, the version, and command lines naming none.
 */
export function earlyStoreUrl(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (argv.length === 0 || argv[0].startsWith('-') || argv[0] === 'help') return undefined
  let url = env.CTX_STORE
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]
    if (arg === '--') break
    if (arg === '--help' || arg === '-h') return undefined
    if (arg === '--store') url = argv[++index]
    else if (arg.startsWith('--store=')) url = arg.slice('--store='.length)
  }
  return url
}

/** Starts opening the store of `argv` when it is postgres://; a failure shows when the command opens it. */
export function connectEarly(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const url = earlyStoreUrl(argv, env)
  if (url === undefined || !/^\s*postgres(ql)?:\/\//i.test(url)) return
  const store = openStore(url, openOptions(env)).then((opened) => {
    opened.warm?.()
    return opened
  })
  store.catch(() => undefined)
  early = {url, store}
}

/** The store opened early for exactly this URL, handed over once; undefined otherwise. */
export function takeEarlyStore(url: string): Promise<Store> | undefined {
  if (early?.url !== url) return undefined
  const {store} = early
  early = undefined
  return store
}

/** Closes a store opened early that no command took (the command failed before opening it). */
export async function closeEarlyStore(): Promise<void> {
  const left = early
  early = undefined
  const store = await left?.store.catch(() => undefined)
  await store?.close().catch(() => undefined)
}
