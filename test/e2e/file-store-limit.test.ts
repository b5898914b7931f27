// End to end: a file store past its size limit (CTX_FILE_STORE_LIMIT_MB set below the store's size)
// makes every command warn once, on stderr only, and list the warning under --json; store info
// shows the size against the limit.
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

describe('a file store past its size limit', () => {
  let box: Sandbox
  let store: string
  let customer: string
  const NOW = '2026-03-05T09:00:00Z'
  const past = {CTX_FILE_STORE_LIMIT_MB: '0.001'}
  const run = (args: string[], code = 0, env: NodeJS.ProcessEnv = {}) => expectRun(box, args, code, {now: NOW, env: {CTX_STORE: store, ...env}})

  beforeAll(async () => {
    box = sandbox()
    // A file store whatever store the other e2e suites run on: the limit is the file store's.
    store = join(box.dir, 'big.json')
    await run(['seed', '--customers', '3', '--seed', 'limit'])
    customer = (await run(['search', 'type:customer', '--json'])).json.items[0].id
  })
  afterAll(() => box.cleanup())

  it('warns once on stderr, never on stdout, with the migrate command to run', async () => {
    for (const args of [['journey', customer], ['search', 'type:customer'], ['customers', 'recent'], ['customers', 'show', customer]]) {
      const result = await run(args, 0, past)
      const warnings = result.stderr.split('\n').filter((line) => line.startsWith('Warning:'))
      expect(warnings, args.join(' ')).toHaveLength(1)
      expect(warnings[0]).toContain(`ctx migrate --from ${store} --to 'postgres://USER@HOST/DATABASE'`)
      expect(result.stdout).not.toContain('ctx migrate')
    }
  })

  it('lists the warning under --json, on success and on failure', async () => {
    const found = await run(['search', 'type:customer', '--json'], 0, past)
    expect(found.json.items).toHaveLength(3)
    expect(found.json.warnings).toHaveLength(1)
    expect(found.json.warnings[0]).toContain(`ctx migrate --from ${store}`)
    const missing = await run(['customers', 'show', '00000000-0000-4000-8000-000000000000', '--json'], 3, past)
    expect(missing.json.error.exitCode).toBe(3)
    expect(missing.json.warnings[0]).toContain('ctx migrate')
  })

  it('says nothing within the limit', async () => {
    const result = await run(['search', 'type:customer', '--json'])
    expect(result.stderr).toBe('')
    expect(result.json).not.toHaveProperty('warnings')
  })

  it('store info shows the size against the limit', async () => {
    const within = await run(['store', 'info', '--json'])
    expect(within.json.sizeLimit).toBe(50_000_000)
    expect(within.json.bytes).toBeGreaterThan(1000)
    const beyond = await run(['store', 'info'], 0, past)
    expect(beyond.stdout).toMatch(/Size\s+│ [\d.]+ KiB, \d+% of the 1 kB a file store serves well: move it to PostgreSQL/)
    expect((await run(['store', 'info', '--json'], 0, {CTX_FILE_STORE_LIMIT_MB: '0.5'})).json.sizeLimit).toBe(500_000)
  })

  it('refuses a limit that is not a number (exit 2)', async () => {
    const result = await run(['customers', 'recent'], 2, {CTX_FILE_STORE_LIMIT_MB: 'lots'})
    expect(result.stderr).toContain('CTX_FILE_STORE_LIMIT_MB')
  })
})
