// Opening the store before oclif has found the command. A command reaches its store ~100 ms into
// a start, and on postgres:// it then waits ~15 ms for a server backend and ~10 ms for the first
// query; started from the raw argv, both pass while oclif loads (bench P6). Only postgres://
// has anything to start early, and only a command that may open a store starts it.
import {homedir} from 'node:os'
import {join} from 'node:path'
import {clockFromEnv} from '../core/clock.js'
import type {KeySettings} from '../core/crypto/sealed-store.js'
import {openStore, type OpenOptions} from '../core/storage/open.js'
import type {Store} from '../core/storage/store.js'

interface EarlyStore {
  url: string
  keyFile: string | undefined
  store: Promise<Store>
}

let early: EarlyStore | undefined

/**
 * What every store a command opens is opened with: ctx's clock, CTX_LOCK_TIMEOUT_MS, and where its
 * key-encryption key is (--key-file, else CTX_KEY_FILE, else a file in the config directory).
 */
export function openOptions(env: NodeJS.ProcessEnv = process.env, keys: {keyFile?: string; configDir?: string} = {}): OpenOptions {
  return {
    clock: clockFromEnv(),
    lockTimeoutMs: env.CTX_LOCK_TIMEOUT_MS ? Number(env.CTX_LOCK_TIMEOUT_MS) : undefined,
    keys: keySettings(keys.keyFile ?? env.CTX_KEY_FILE, keys.configDir ?? configDirOf(env)),
  }
}

/** Where keys come from, and the one line on stderr when ctx makes a store's key file. */
export function keySettings(keyFile: string | undefined, configDir: string): KeySettings {
  return {
    keyFile: keyFile === '' ? undefined : keyFile,
    configDir,
    onCreated: (key, location) => {
      process.stderr.write(
        `ctx: created the key ${key.fingerprint} in ${location.path} for this store's encrypted values (PII, ENCRYPTED). Back it up: without it they cannot be read.\n`,
      )
    },
  }
}

/**
 * oclif's config directory for ctx, as oclif computes it (CTX_CONFIG_DIR, else XDG_CONFIG_HOME/ctx,
 * else ~/.config/ctx; LOCALAPPDATA on Windows): the early store opens before oclif's config is loaded.
 */
export function configDirOf(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CTX_CONFIG_DIR) return env.CTX_CONFIG_DIR
  const base = env.XDG_CONFIG_HOME || (process.platform === 'win32' ? env.LOCALAPPDATA || homedir() : join(homedir(), '.config'))
  return join(base, 'ctx')
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

/** The --key-file a command line names before any `--`, else CTX_KEY_FILE. */
export function earlyKeyFile(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  let keyFile = env.CTX_KEY_FILE
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]
    if (arg === '--') break
    if (arg === '--key-file') keyFile = argv[++index]
    else if (arg.startsWith('--key-file=')) keyFile = arg.slice('--key-file='.length)
  }
  return keyFile
}

/** Starts opening the store of `argv` when it is postgres://; a failure shows when the command opens it. */
export function connectEarly(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const url = earlyStoreUrl(argv, env)
  if (url === undefined || !/^\s*postgres(ql)?:\/\//i.test(url)) return
  const keyFile = earlyKeyFile(argv, env)
  const store = openStore(url, openOptions(env, {keyFile})).then((opened) => {
    opened.warm?.()
    return opened
  })
  store.catch(() => undefined)
  early = {url, keyFile, store}
}

/** The store opened early for exactly this URL and key file, handed over once; undefined otherwise. */
export function takeEarlyStore(url: string, keyFile?: string): Promise<Store> | undefined {
  if (early?.url !== url || (early.keyFile ?? '') !== (keyFile ?? '')) return undefined
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
