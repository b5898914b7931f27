// `ctx seed` as CI uses it: two runs with the same seed and clock export identically.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

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
