// The CLI surface itself: version, help, usage errors, store administration, the default store.
import {spawnSync} from 'node:child_process'
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {BIN, expectRun, runCli, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore} from '../helpers/store.js'
import {STORE_FORMAT_VERSION} from '../../src/core/storage/state.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

describe('the ctx command', () => {
  it('prints its version', async () => {
    const result = await expectRun(box, ['--version'])
    expect(result.stdout).toMatch(/^ctx-cli\/\d+\.\d+\.\d+/)
  })

  it('treats an unknown command or flag as a usage error (exit 2)', async () => {
    await expectRun(box, ['no-such-command'], 2)
    const flag = await expectRun(box, ['customers', 'create', '--no-such-flag', '--json'], 2)
    expect(flag.json.error.exitCode).toBe(2)
  })

  it('uses store.json in the data directory when no store is named, created 0600', async () => {
    const created = await runCli(['customers', 'create', '--first-name', 'Ada', '--json'], {env: box.env})
    expect(created.code).toBe(0)
    const path = join(box.env.XDG_DATA_HOME!, 'ctx', 'store.json')
    expect(existsSync(path)).toBe(true)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect((await readStore(path)).map((object) => object.id)).toEqual([created.json.id])
  })

  it('chooses the store with --store over CTX_STORE', async () => {
    const other = join(box.dir, 'other.json')
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--store', other])
    expect(await readStore(other)).toHaveLength(1)
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('refuses a store URL it does not understand (exit 2)', async () => {
    await expectRun(box, ['store', 'info', '--store', 'ftp://example.com/x'], 2)
    await expectRun(box, ['store', 'info', '--store', 'not-a-store'], 2)
  })

  it('refuses a malformed CTX_NOW as a usage error', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'A'], 2, {now: 'yesterday'})
  })

  it('writes a long result whole into a pipe whose reader is slow before it exits, with exit 0', async () => {
    await expectRun(box, ['seed', '--customers', '500', '--seed', 'pipe', '--json'])
    // The reader starts after half a second: ctx fills the pipe and has to wait for it before it may exit.
    const script = `set -o pipefail; "$NODE" "$BIN" search type:customer --limit 500 --json | { sleep 0.5; cat; }`
    const result = spawnSync('bash', ['-c', script], {env: {...box.env, CTX_STORE: box.storePath, NODE: process.execPath, BIN}, encoding: 'utf8', maxBuffer: 1 << 26})
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout.length, result.stdout.slice(0, 200)).toBeGreaterThan(256 * 1024)
    expect(JSON.parse(result.stdout).items).toHaveLength(500)
  })

  it('ends an export to stdout quietly with exit 0 when its reader goes away (| head)', async () => {
    await expectRun(box, ['seed', '--customers', '100', '--seed', 'pipe'])
    for (const format of [['--format', 'jsonl'], ['--type', 'customer', '--format', 'csv']]) {
      const script = `set -o pipefail; "$NODE" "$BIN" export ${format.join(' ')} | head -c 10`
      const result = spawnSync('bash', ['-c', script], {env: {...box.env, CTX_STORE: box.storePath, NODE: process.execPath, BIN}, encoding: 'utf8'})
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(result.stdout).toHaveLength(10)
    }
  })

  // /dev/full (Linux) refuses every write with ENOSPC, as a full disk does.
  it(
    'reports a stdout the disk refuses as exit 7, saying whether the command ran to its end, with no stack trace',
    async () => {
      await expectRun(box, ['seed', '--customers', '20', '--seed', 'full'])
      const toFullDisk = (args: string) =>
        spawnSync('bash', ['-c', `"$NODE" "$BIN" ${args} > /dev/full`], {env: {...box.env, CTX_STORE: box.storePath, NODE: process.execPath, BIN}, encoding: 'utf8'})
      for (const args of ['export --format jsonl', 'export --type customer --format csv']) {
        const result = toFullDisk(args)
        expect([result.status, result.stderr]).toEqual([7, expect.stringMatching(/^Error: cannot write standard output: ENOSPC: .*; the output stops there\nHint: .*-o FILE.*\n$/)])
      }
      for (const args of ['customers list', 'customers list --json', 'store info', 'help', '--version --json', 'customers create --first-name Nell --json']) {
        const result = toFullDisk(args)
        expect([result.status, result.stderr], args).toEqual([7, expect.stringMatching(/^Error: cannot write standard output: ENOSPC: .*; the command ran to its end, but what it printed is incomplete\nHint: What the command changed is changed/)])
        expect(result.stderr).not.toMatch(/\n\s+at |Node\.js v/)
      }
      const nell = await expectRun(box, ['customers', 'search', 'Context_First_Name:Nell', '--json'])
      expect(nell.json.items).toHaveLength(1)
    },
  )

  it('prints no stack trace unless DEBUG is set', async () => {
    const result = await expectRun(box, ['requests', 'show', 'nope'], 2)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('store init, info and flush', () => {
  it('initialises a lab store, reports it, and flushes it with --force', async () => {
    const init = await expectRun(box, ['store', 'init', '--mode', 'lab', '--json'])
    expect(init.json).toMatchObject({adapter: 'file', mode: 'lab', initialized: true, formatVersion: STORE_FORMAT_VERSION})
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const info = await expectRun(box, ['store', 'info', '--json'])
    expect(info.json.counts.customer).toBe(1)
    await expectRun(box, ['store', 'flush'], 2)
    await expectRun(box, ['store', 'flush', '--force', '--json'])
    expect((await expectRun(box, ['store', 'info', '--json'])).json).toMatchObject({mode: 'lab', counts: {customer: 0}})
  })

  it('refuses to flush a store created by its first write (production) with exit 4', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    await expectRun(box, ['store', 'flush', '--force'], 4)
    expect(await readStore(box.storePath)).toHaveLength(1)
  })

  it('reports an uninitialised store without creating it', async () => {
    const info = await expectRun(box, ['store', 'info', '--json'])
    expect(info.json).toMatchObject({initialized: false, mode: null, counts: {customer: 0}})
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('upgrades idempotently', async () => {
    await expectRun(box, ['store', 'init'])
    expect((await expectRun(box, ['store', 'upgrade', '--json'])).json).toEqual({from: STORE_FORMAT_VERSION, to: STORE_FORMAT_VERSION})
  })

  it('works on a memory: store', async () => {
    const info = await expectRun(box, ['store', 'info', '--store', 'memory:', '--json'])
    expect(info.json).toMatchObject({adapter: 'memory', location: 'memory:'})
  })
})
