// `ctx seed` as CI uses it: two runs with the same seed and clock export identically; a seed
// stopped by Ctrl-C says what the store kept, which is exactly what it holds.
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {BIN, expectRun, runCli, SANDBOX_READY, type Sandbox, sandbox, TEST_STORE} from '../helpers/cli.js'
import {openTestStore, readStore} from '../helpers/store.js'

const NOW = '2026-03-01T00:00:00.000Z'
let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

describe('ctx seed', () => {
  it('gives identical stores for the same seed, ids included, and reports its counts', async () => {
    const exports: string[] = []
    for (const name of ['a', 'b']) {
      const store = join(box.dir, `${name}.json`)
      const seeded = await expectRun(box, ['seed', '--customers', '25', '--seed', 'ci', '--store', store, '--json'], 0, {now: NOW})
      expect(seeded.json).toMatchObject({seed: 'ci', now: NOW, counts: {customer: 25, request: 50, activity: 150}})
      const out = join(box.dir, `${name}.jsonl`)
      await expectRun(box, ['export', '--store', store, '-o', out], 0, {now: NOW})
      exports.push(readFileSync(out, 'utf8'))
    }
    expect(exports[0].split('\n').length).toBeGreaterThan(225)
    expect(exports[1]).toBe(exports[0])
    const other = join(box.dir, 'c.json')
    await expectRun(box, ['seed', '--customers', '25', '--seed', 'other', '--store', other], 0, {now: NOW})
    await expectRun(box, ['export', '--store', other, '-o', join(box.dir, 'c.jsonl')], 0, {now: NOW})
    expect(readFileSync(join(box.dir, 'c.jsonl'), 'utf8')).not.toBe(exports[0])
  })

  it('leaves stale requests for the sweep to close', async () => {
    const seeded = await expectRun(box, ['seed', '--customers', '30', '--json'], 0, {now: NOW})
    const swept = await expectRun(box, ['sweep', '--json'], 0, {now: NOW})
    expect(swept.json.closed).toHaveLength(seeded.json.staleRequests)
  })

  it('refuses a bad --customers as a usage error', async () => {
    await expectRun(box, ['seed', '--customers', '-1'], 2)
    await expectRun(box, ['seed'], 2)
  })
})

describe('ctx seed stopped by Ctrl-C (SIGINT)', () => {
  it('exits 130 saying how many customers the store kept: whole chunks on PostgreSQL, nothing on the file store (under --json, as an error on stdout too)', async () => {
    const customers = 20_000
    await SANDBOX_READY.get(box.storePath)
    const args = ['seed', '--customers', String(customers), '--requests-per-customer', '1', '--activities-per-request', '1', '--json']
    const child = spawn(process.execPath, [BIN, ...args], {env: {...box.env, CTX_STORE: box.storePath}, stdio: ['ignore', 'pipe', 'pipe']})
    let stderr = ''
    let stdout = ''
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    // Stopped once it is under way: holding the file store's lock (it takes a seed in one write, at
    // the end), or with a first chunk committed on PostgreSQL.
    const store = TEST_STORE === 'file' ? undefined : await openTestStore(box.storePath)
    try {
      const underway = async () => (store ? (await store.info()).counts.customer > 0 : existsSync(`${box.storePath}.lock`))
      while (!(await underway()) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      await store?.close()
    }
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    const {error} = JSON.parse(stdout)
    expect(error).toEqual({code: 'INTERRUPTED', exitCode: 130, message: expect.stringMatching(/^Interrupted/)})
    expect(stderr.trimEnd().endsWith(`\n${error.message}`)).toBe(true)
    const stored = await readStore(box.storePath)
    const kept = stored.filter((object) => object.type === 'customer')
    if (TEST_STORE === 'file') {
      expect(stderr).toContain('Interrupted before anything was written: the store is as it was. Run the same seed again to make it.')
      expect(stored).toEqual([])
      // No lock or temporary file left beside it, and the same seed then goes in.
      expect(readdirSync(box.dir).filter((name) => name.startsWith('store.json'))).toEqual([])
      await expectRun(box, ['seed', '--customers', '3'])
    } else {
      const said = /Interrupted: ([\d,]+) of 20,000 customers are committed, each with its requests, activities and comments; nothing of the others is\. Seeding into this store again is refused/.exec(stderr)
      expect(said, stderr).not.toBeNull()
      const committed = Number(said![1].replaceAll(',', ''))
      expect(committed % 1000).toBe(0)
      expect(committed).toBeGreaterThan(0)
      expect(committed).toBeLessThan(customers)
      expect(kept.map((customer) => customer.externalId).sort()).toEqual(Array.from({length: committed}, (_, index) => `seed-customer-${index}`).sort())
      expect(stored.filter((object) => object.type === 'request')).toHaveLength(committed)
      expect(stored.filter((object) => object.type === 'activity')).toHaveLength(committed)
      // As it says: the same seed again is refused.
      expect((await runCli(args, {env: {...box.env, CTX_STORE: box.storePath}})).code).toBe(4)
    }
  }, 120_000)
})
