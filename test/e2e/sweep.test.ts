// `ctx sweep` as cron runs it: the built CLI against a file store seeded through the core API,
// with the clock fixed by CTX_NOW.
import {existsSync, readFileSync} from 'node:fs'
import lockfile from 'proper-lockfile'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {ContextObject} from '../../src/core/model.js'
import {fixture} from '../contract/store-contract.js'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore, seedStore} from '../helpers/store.js'

const NOW = '2026-03-20T12:00:00.000Z'
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const ago = (ms: number, from = NOW) => new Date(Date.parse(from) - ms).toISOString()

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

const customer = fixture('customer')

function request(updatedAgo: number, extra: Partial<ContextObject> = {}): ContextObject {
  return fixture('request', {customerId: customer.id, created: ago(10 * DAY), lastUpdated: ago(updatedAgo), ...extra})
}

function under(type: 'activity' | 'comment', parent: ContextObject, updatedAgo: number): ContextObject {
  const links = type === 'activity' ? {customerId: customer.id} : {state: 'closed' as const}
  return fixture(type, {parentId: parent.id, created: ago(updatedAgo), lastUpdated: ago(updatedAgo), ...links})
}

async function byId(): Promise<Map<string, ContextObject>> {
  return new Map((await readStore(box.storePath)).map((object) => [object.id, object]))
}

describe('ctx sweep', () => {
  it('closes what is stale at the 5-day boundary, keeps what was touched, and a second run closes nothing', async () => {
    const almost = request(5 * DAY - MINUTE)
    const stale = request(5 * DAY + MINUTE)
    const withActivity = request(9 * DAY)
    const withComment = request(9 * DAY)
    const quietActivity = under('activity', withComment, 9 * DAY)
    const manual = request(9 * DAY, {state: 'closed', closedAt: ago(8 * DAY), closeReason: 'manual'})
    await seedStore(box.storePath, [
      customer,
      almost,
      stale,
      withActivity,
      under('activity', withActivity, 2 * DAY),
      withComment,
      quietActivity,
      under('comment', quietActivity, 2 * DAY),
      manual,
    ])
    const seeded = readFileSync(box.storePath, 'utf8')

    const dry = await expectRun(box, ['sweep', '--dry-run', '--json'], 0, {now: NOW})
    expect(dry.json).toMatchObject({closed: [stale.id], scanned: 4, dryRun: true, cutoff: ago(5 * DAY), closedAt: NOW})
    expect(readFileSync(box.storePath, 'utf8')).toBe(seeded)

    const run = await expectRun(box, ['sweep', '--json'], 0, {now: NOW})
    expect(run.json).toMatchObject({closed: [stale.id], scanned: 4, dryRun: false})
    const stored = await byId()
    expect(stored.get(stale.id)).toEqual({...stale, state: 'closed', closedAt: NOW, closeReason: 'auto', lastUpdated: NOW})
    for (const kept of [almost, withActivity, withComment, manual]) expect(stored.get(kept.id)).toEqual(kept)

    const again = await expectRun(box, ['sweep'], 0, {now: ago(-30_000)})
    expect(again.stdout).toMatch(/^closed 0 of 3 active requests in \d+\.\d+ s\n$/)
    expect(again.stderr).toBe('')
    expect((await byId()).get(stale.id)?.closedAt).toBe(NOW)
  })

  it('prints one summary line, "would close" on a dry run', async () => {
    await seedStore(box.storePath, [customer, request(6 * DAY), request(7 * DAY), request(2 * DAY)])
    const dry = await expectRun(box, ['sweep', '--dry-run', '--after', '36h'], 0, {now: NOW})
    expect(dry.stdout).toMatch(/^would close 3 of 3 active requests in \d+\.\d+ s \(dry run: nothing changed\)\n$/)
    const run = await expectRun(box, ['sweep'], 0, {now: NOW})
    expect(run.stdout).toMatch(/^closed 2 of 3 active requests in \d+\.\d+ s\n$/)
  })

  it('refuses a malformed --after with exit 2, changing nothing', async () => {
    await seedStore(box.storePath, [customer, request(9 * DAY)])
    const seeded = readFileSync(box.storePath, 'utf8')
    const result = await expectRun(box, ['sweep', '--after', '5 days', '--json'], 2, {now: NOW})
    expect(result.json.error).toMatchObject({code: 'USAGE'})
    expect(result.stderr).toContain('--after')
    expect(readFileSync(box.storePath, 'utf8')).toBe(seeded)
  })

  it('exits 7 when the store does not exist, and creates none', async () => {
    const result = await expectRun(box, ['sweep', '--json'], 7, {now: NOW})
    expect(result.json.error).toMatchObject({code: 'STORAGE_UNAVAILABLE', where: box.storePath})
    expect(existsSync(box.storePath)).toBe(false)
  })

  it('exits 4 when another process holds the store past the lock timeout, closing nothing', async () => {
    const stale = request(9 * DAY)
    await seedStore(box.storePath, [customer, stale])
    const release = await lockfile.lock(box.storePath, {realpath: false, lockfilePath: `${box.storePath}.lock`})
    try {
      const result = await expectRun(box, ['sweep', '--json'], 4, {now: NOW, env: {CTX_LOCK_TIMEOUT_MS: '300'}})
      expect(result.json.error).toMatchObject({code: 'CONFLICT'})
      expect(result.stderr).toContain('another sweep')
    } finally {
      await release()
    }
    expect((await byId()).get(stale.id)?.state).toBe('active')
  })

  it('closes each of 300 stale requests exactly once across four sweeps started at once, losing no concurrent write', async () => {
    const stale = Array.from({length: 300}, (_, index) => request(6 * DAY + index * MINUTE))
    await seedStore(box.storePath, [customer, ...stale, request(DAY)])
    // Each sweep gets its own clock, so the closedAt on a request names the sweep that closed it.
    const clocks = [0, 1, 2, 3].map((second) => new Date(Date.parse(NOW) + second * 1000).toISOString())
    const runs = await Promise.all([
      ...clocks.map((now) => box.run(['sweep', '--json'], {now})),
      ...[0, 1, 2, 3].map((index) => box.run(['customers', 'create', '--first-name', `During${index}`, '--json'])),
    ])
    const sweeps = runs.slice(0, 4)
    expect(sweeps.every((result) => result.code === 0 || result.code === 4)).toBe(true)
    expect(runs.slice(4).map((result) => result.code)).toEqual([0, 0, 0, 0])

    const reported = sweeps.flatMap((result) => (result.code === 0 ? result.json.closed : []))
    expect(reported.sort()).toEqual(stale.map((r) => r.id).sort())
    const stored = await byId()
    for (const [index, result] of sweeps.entries()) {
      if (result.code !== 0) continue
      for (const id of result.json.closed as string[]) expect(stored.get(id)).toMatchObject({state: 'closed', closedAt: clocks[index]})
    }
    const created = [...stored.values()].filter((object) => object.type === 'customer').map((object) => object.data.Context_First_Name)
    expect(created.sort()).toEqual([undefined, 'During0', 'During1', 'During2', 'During3'].sort())
  })
})
