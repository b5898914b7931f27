// Runs the built CLI as a user would (bin/run.js), in a sandbox of its own: temporary data and
// config directories, no colour, and optionally a frozen clock.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {systemClock} from '../../src/core/clock.js'
import {openStore} from '../../src/core/storage/open.js'
import {sandboxSchema} from './postgres.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON, when it is JSON. */
  json: any
}

export interface Sandbox {
  dir: string
  env: NodeJS.ProcessEnv
  /** The sandbox's store: a file path inside it or, under CTX_TEST_STORE=postgres, a schema of its own. */
  storePath: string
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>
  cleanup(): void | Promise<void>
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  input?: string
  now?: string
}

/** Which store the e2e suites run on: `file` (default) or `postgres` (CTX_TEST_STORE=postgres). */
export const TEST_STORE = process.env.CTX_TEST_STORE === 'postgres' ? 'postgres' : 'file'

/**
 * The config directory of each sandbox's store, by store URL: where the CLI makes the store's key
 * file, so that stores seeded or read in-process (helpers/store.ts) use the same key as the CLI.
 */
export const SANDBOX_CONFIG_DIRS = new Map<string, string>()

/** Each PostgreSQL sandbox store's installation, by URL: awaited before the store is first used. */
export const SANDBOX_READY = new Map<string, Promise<void>>()

export function sandbox(prefix = 'ctx-test-'): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    NO_COLOR: '1',
    LANG: 'en_US.UTF-8',
    CTX_OPERATOR: 'tester',
  }
  const postgres = TEST_STORE === 'postgres' ? sandboxSchema() : null
  const storePath = postgres?.url ?? join(dir, 'store.json')
  SANDBOX_CONFIG_DIRS.set(storePath, join(dir, 'config', 'ctx'))
  // A database becomes a store by `ctx store upgrade`, and the first write then makes a production
  // store, as on a new file. Upgraded here in-process (the same src/core code), which spares every
  // PostgreSQL test a start of the CLI; runs and helpers/store.ts wait for it.
  const ready = postgres ? upgraded(storePath, join(dir, 'config', 'ctx')) : Promise.resolve()
  ready.catch(() => undefined)
  if (postgres) SANDBOX_READY.set(storePath, ready)
  // Any other file store inside the sandbox's directory (a migrate's target) has its key there too.
  SANDBOX_CONFIG_DIRS.set(join(dir, 'store.json'), join(dir, 'config', 'ctx'))
  return {
    dir,
    env,
    storePath,
    run: async (args, options = {}) => {
      await ready
      return runCli(args, {...options, env: {...env, CTX_STORE: storePath, ...(options.now ? {CTX_NOW: options.now} : {}), ...options.env}})
    },
    cleanup: async () => {
      rmSync(dir, {recursive: true, force: true})
      await ready.catch(() => undefined)
      SANDBOX_READY.delete(storePath)
      await postgres?.drop()
    },
  }
}

async function upgraded(url: string, configDir: string): Promise<void> {
  const store = await openStore(url, {clock: systemClock, keys: {configDir}})
  try {
    await store.upgrade()
  } finally {
    await store.close()
  }
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({code: code ?? -1, stdout, stderr, json})
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Runs and insists on an exit code, showing stderr when it differs. */
export async function expectRun(box: Sandbox, args: readonly string[], code = 0, options?: RunOptions): Promise<CliResult> {
  const result = await box.run(args, options)
  if (result.code !== code) {
    throw new Error(`ctx ${args.join(' ')} exited ${result.code}, expected ${code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`)
  }
  return result
}
