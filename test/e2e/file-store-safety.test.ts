// The file store under abuse: many writers at once, files that are not ctx stores, a directory
// ctx may not write, and a process killed in the middle of a write.
import {execFileSync, spawn} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {baseDefinitions} from '../../src/core/definitions/model.js'
import {fixture} from '../contract/store-contract.js'
import {BIN, expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore, seedStore} from '../helpers/store.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

describe('many processes at once', () => {
  it('lands every customer of 24 concurrent creates and keeps the file valid', async () => {
    const results = await Promise.all(
      Array.from({length: 24}, (_, index) => box.run(['customers', 'create', '--first-name', `P${index}`, '--json'])),
    )
    expect(results.map((result) => result.code)).toEqual(Array(24).fill(0))
    const stored = await readStore(box.storePath)
    expect(stored).toHaveLength(24)
    expect(new Set(stored.map((object) => object.data.Context_First_Name))).toEqual(new Set(Array.from({length: 24}, (_, index) => `P${index}`)))
    expect(() => JSON.parse(readFileSync(box.storePath, 'utf8'))).not.toThrow()
  })
})

describe('a file that is not a ctx store', () => {
  const cases: Record<string, string> = {
    'broken JSON': '{"format": "ctx-store", "version": 1, "objects": {',
    'foreign JSON': '{"users": [{"name": "someone else’s data"}]}\n',
    'an empty file': '',
    'a newer format': JSON.stringify({format: 'ctx-store', version: 99, mode: 'production', created: '2026-01-01T00:00:00.000Z', definitions: {}, objects: {}}),
    ...damagedInside(),
  }

  for (const [name, content] of Object.entries(cases)) {
    it(`reports ${name} with exit 7 and leaves it byte-for-byte untouched`, async () => {
      writeFileSync(box.storePath, content)
      const write = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'], 7)
      expect(write.json.error.code).toBe('STORAGE_UNAVAILABLE')
      expect(write.stderr).toContain(box.storePath)
      await expectRun(box, ['customers', 'search', 'ada'], 7)
      await expectRun(box, ['store', 'init', '--mode', 'lab'], 7)
      expect(readFileSync(box.storePath, 'utf8')).toBe(content)
    })
  }
})

/** Stamped store files of this ctx's format, damaged inside: each as a read or a write would meet it. */
function damagedInside(): Record<string, string> {
  const created = '2026-01-01T00:00:00.000Z'
  const customer = {id: '0f8e7c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6', type: 'customer', fieldsets: ['cisco.base.customer'], data: {Context_First_Name: 'Ada'}, created, lastUpdated: created}
  const base = {format: 'ctx-store', version: 1, mode: 'production', created, definitions: baseDefinitions(), objects: {[customer.id]: customer}}
  const variant = (change: Record<string, unknown>) => `${JSON.stringify({...base, ...change})}\n`
  return {
    'a store whose objects are an array': variant({objects: [customer]}),
    'a store holding a null object': variant({objects: {[customer.id]: customer, '1f8e7c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6': null}}),
    'a store whose object is filed under another id': variant({objects: {'1f8e7c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6': customer}}),
    'a store whose definitions are an array': variant({definitions: []}),
    'a store whose fieldset lists no fields': variant({definitions: {...baseDefinitions(), fieldsets: {x: {id: 'x', fields: 'Context_City'}}}}),
    'a store of a bogus mode': variant({mode: 'bogus'}),
  }
}

/** Makes `dir` unwritable even for root (chattr +i), or says why it cannot. */
function freeze(dir: string): (() => void) | string {
  try {
    execFileSync('chattr', ['+i', dir], {stdio: 'ignore'})
    return () => execFileSync('chattr', ['-i', dir], {stdio: 'ignore'})
  } catch {
    if (process.getuid?.() !== 0) {
      execFileSync('chmod', ['555', dir])
      return () => execFileSync('chmod', ['755', dir])
    }
    return 'running as root on a file system without chattr +i, so no directory is read-only to this process'
  }
}

describe('a read-only directory', () => {
  it('reads the store but refuses writes with exit 7, changing nothing', async (context) => {
    const dir = join(box.dir, 'readonly')
    mkdirSync(dir)
    const store = join(dir, 'store.json')
    const customer = fixture('customer', {data: {Context_First_Name: 'Ada'}})
    await seedStore(store, [customer])
    const before = readFileSync(store, 'utf8')
    const thaw = freeze(dir)
    if (typeof thaw === 'string') {
      console.warn(`skipping the read-only directory test: ${thaw}`)
      context.skip()
      return
    }
    try {
      const shown = await expectRun(box, ['customers', 'show', customer.id, '--store', store, '--json'])
      expect(shown.json.id).toBe(customer.id)
      const refused = await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--store', store, '--json'], 7)
      expect(refused.json.error.message).toMatch(/permission denied|not permitted|read-only/)
      const fresh = await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--store', join(dir, 'new', 'store.json')], 7)
      expect(fresh.stderr).toContain('Error:')
    } finally {
      thaw()
    }
    expect(readFileSync(store, 'utf8')).toBe(before)
  })
})

describe('a kill in the middle of a write', () => {
  it('leaves a store that opens, with every write either fully there or not at all', async () => {
    const customers = Array.from({length: 30_000}, (_, index) =>
      fixture('customer', {data: {Context_First_Name: `Bulk${index}`, Context_Street_Address_1: `${index} Long Street Name, Somewhere Far Away`}}),
    )
    await seedStore(box.storePath, customers)
    const env = {...box.env, CTX_STORE: box.storePath}
    let killed = 0
    for (const delay of [120, 220, 320, 420, 520, 620]) {
      const child = spawn(process.execPath, [BIN, 'customers', 'create', '--first-name', `Killed${delay}`], {env, stdio: 'ignore'})
      await new Promise((resolve) => setTimeout(resolve, delay))
      if (child.kill('SIGKILL')) killed++
      await new Promise((resolve) => child.once('close', resolve))
    }
    expect(killed).toBeGreaterThan(0)
    const info = await expectRun(box, ['store', 'info', '--json'])
    const count = info.json.counts.customer
    expect(count).toBeGreaterThanOrEqual(30_000)
    expect(count).toBeLessThanOrEqual(30_006)
    // A lock left by a killed writer goes stale; the next write waits for it and lands.
    await expectRun(box, ['customers', 'create', '--first-name', 'After'])
    expect((await readStore(box.storePath)).length).toBe(count + 1)
  })
})
