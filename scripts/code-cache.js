// Build step after the bundle and the manifest: runs a few typical commands in this process on a
// throwaway file store and a stand-in PostgreSQL server (fake-postgres.js), then writes the V8 code cache of everything they compiled beside the bundle
// (dist/ctx.cjs.cache, and dist/ajv.cjs.cache for ajv's bundle), which bin/load.js hands to V8 on every start. Made by the Node that will
// run ctx (npm ci builds it), so V8 accepts it; a cache it rejects is only slower, never wrong.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {startFakePostgres} from './fake-postgres.js'
import {createRequire} from 'node:module'

const {loadBundle} = createRequire(import.meta.url)('../bin/load.js')

const bundle = fileURLToPath(new URL('../dist/ctx.cjs', import.meta.url))
const ajvBundle = fileURLToPath(new URL('../dist/ajv.cjs', import.meta.url))
const root = fileURLToPath(new URL('../', import.meta.url))
const cacheFile = `${bundle}.cache`
rmSync(cacheFile, {force: true})
rmSync(`${ajvBundle}.cache`, {force: true})

// Loaded first, so the commands below use this instance (the bundle finds it in require.cache)
// and its cache holds what their validation compiled.
const ajv = loadBundle(ajvBundle)
const {module, script} = loadBundle(bundle)
const {closeEarlyStore, connectEarly, run} = module.exports
const scratch = mkdtempSync(join(tmpdir(), 'ctx-code-cache-'))
const store = join(scratch, 'store.json')
const env = {XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data'), XDG_CACHE_HOME: join(scratch, 'cache')}
Object.assign(process.env, env)

/** Runs one command as bin/run.js does, its stdout returned and its stderr dropped, not printed. */
async function ctx(...argv) {
  const {stdout, stderr} = process
  const [write, writeError] = [stdout.write, stderr.write]
  let output = ''
  stdout.write = (chunk) => ((output += chunk), true)
  stderr.write = () => true
  try {
    connectEarly(argv)
    await run(argv, root)
    await closeEarlyStore()
  } catch {
    // A failing command (not found) is warm-up too.
  } finally {
    stdout.write = write
    stderr.write = writeError
  }
  return output
}

try {
  await ctx('--version')
  const {id} = JSON.parse(await ctx('customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com', '--store', store, '--json'))
  await ctx('customers', 'show', id, '--store', store)
  await ctx('customers', 'show', id, '--store', store, '--json')
  await ctx('search', 'ada@example.com', '--store', store)
  await ctx('customers', 'show', '00000000-0000-4000-8000-000000000000', '--store', store)
  // The journey's reading and its timeline (bench P7), with a request, an activity and a comment.
  const request = JSON.parse(await ctx('requests', 'open', '--customer', id, '--title', 'Warm-up', '--store', store, '--json'))
  const activity = JSON.parse(await ctx('activities', 'add', '--request', request.id, '--media', 'voice', '--tag', 'vip', '--notes', 'A call.', '--store', store, '--json'))
  await ctx('activities', 'comment', activity.id, '--text', 'Called back.', '--store', store)
  await ctx('journey', id, '--store', store)
  // The PostgreSQL adapter's reading path, against a stand-in server (no database at build time).
  const customer = JSON.parse(await ctx('customers', 'show', id, '--store', store, '--json'))
  const postgres = await startFakePostgres(customer, JSON.parse(readFileSync(new URL('../schemas/base-definitions.json', import.meta.url), 'utf8')))
  try {
    const found = await ctx('customers', 'search', 'Context_Work_Email:ada@example.com', '--store', postgres.url, '--json')
    if (JSON.parse(found || '{}').items?.length !== 1) console.warn('scripts/code-cache.js: the PostgreSQL warm-up did not run; PostgreSQL commands start slower')
    await ctx('customers', 'search', 'Context_Work_Email:ada@example.com', '--store', postgres.url)
    await ctx('customers', 'show', id, '--store', postgres.url)
  } finally {
    await postgres.stop()
  }
  writeFileSync(cacheFile, script.createCachedData())
  writeFileSync(`${ajvBundle}.cache`, ajv.script.createCachedData())
} finally {
  process.exitCode = 0
  rmSync(scratch, {recursive: true, force: true})
}
