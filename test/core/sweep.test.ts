// The sweep's rule and options in core: durations, the threshold both ways, and how a busy or
// missing store is reported. The storage side of the rule is in the contract suite.
import {describe, expect, it} from 'vitest'
import {ConflictError, LockTimeoutError, StorageError, UsageError} from '../../src/core/errors.js'
import type {Session} from '../../src/core/objects.js'
import {openStore} from '../../src/core/storage/open.js'
import type {Store} from '../../src/core/storage/store.js'
import {parseDuration as parseSpan} from '../../src/core/clock.js'
import {sweepStale} from '../../src/core/sweep.js'

const parseDuration = (text: string) => parseSpan(text, '--after')
import {sweepSummary} from '../../src/ux/sweep.js'
import {fixture} from '../contract/store-contract.js'

const NOW = '2026-03-20T12:00:00.000Z'
const clock = () => new Date(NOW)
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString()
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

async function sessionWith(...updatedAgo: number[]): Promise<{session: Session; ids: string[]}> {
  const store = await openStore('memory:', {clock})
  const customer = fixture('customer')
  const requests = updatedAgo.map((ms) => fixture('request', {customerId: customer.id, created: ago(ms), lastUpdated: ago(ms)}))
  await store.transaction((tx) => tx.insert([customer, ...requests]))
  return {session: {store, clock, actor: 'tester'}, ids: requests.map((request) => request.id)}
}

describe('parseDuration', () => {
  it('reads days, hours, minutes and seconds, alone or combined in that order', () => {
    expect(parseDuration('5d')).toBe(5 * DAY)
    expect(parseDuration('36h')).toBe(36 * 60 * MINUTE)
    expect(parseDuration('90m')).toBe(90 * MINUTE)
    expect(parseDuration('45s')).toBe(45_000)
    expect(parseDuration('1d12h30m')).toBe(DAY + 12.5 * 60 * MINUTE)
  })

  for (const bad of ['', '5', '5 d', 'd', '-5d', '1.5d', '0d', '0h0m', '5D', '5M', '12h1d', 'five days', '5d ago', '99999999999d']) {
    it(`refuses "${bad}" as a usage error`, () => {
      expect(() => parseDuration(bad)).toThrow(UsageError)
    })
  }
})

describe('sweepStale', () => {
  it('keeps a request updated 4 d 23 h 59 m ago and closes one updated 5 d 1 m ago', async () => {
    const {session, ids} = await sessionWith(5 * DAY - MINUTE, 5 * DAY + MINUTE)
    const outcome = await sweepStale(session)
    expect(outcome).toEqual({closed: [ids[1]], scanned: 2, dryRun: false, cutoff: ago(5 * DAY), closedAt: NOW})
    expect(await session.store.get(ids[0])).toMatchObject({state: 'active'})
    expect(await session.store.get(ids[1])).toMatchObject({state: 'closed', closeReason: 'auto', closedAt: NOW, lastUpdated: NOW})
  })

  it('takes the threshold from --after', async () => {
    const {session, ids} = await sessionWith(37 * 60 * MINUTE, 35 * 60 * MINUTE)
    expect((await sweepStale(session, {after: '36h'})).closed).toEqual([ids[0]])
  })

  it('refuses a malformed threshold before touching the store', async () => {
    const {session, ids} = await sessionWith(10 * DAY)
    await expect(sweepStale(session, {after: '5 days'})).rejects.toBeInstanceOf(UsageError)
    expect(await session.store.get(ids[0])).toMatchObject({state: 'active'})
  })

  it('reports a store held past the lock timeout as a conflict: another sweep is busy', async () => {
    const {session} = await sessionWith(10 * DAY)
    const busy: Store = Object.assign(Object.create(session.store), {
      transaction: () => Promise.reject(new LockTimeoutError('store.json is locked by another ctx process')),
    })
    await expect(sweepStale({...session, store: busy})).rejects.toBeInstanceOf(ConflictError)
  })

  it('reports a store that does not exist instead of sweeping nothing', async () => {
    const store = await openStore('memory:', {clock})
    await expect(sweepStale({store, clock, actor: 'tester'})).rejects.toBeInstanceOf(StorageError)
  })

  it('accepts an existing store without requests', async () => {
    const store = await openStore('memory:', {clock})
    await store.init('production')
    expect(await sweepStale({store, clock, actor: 'tester'})).toMatchObject({closed: [], scanned: 0})
  })
})

describe('sweepSummary', () => {
  it('is one line with grouped counts and the time taken', () => {
    const closed = Array.from({length: 12}, (_, index) => String(index))
    expect(sweepSummary({closed, scanned: 3402, dryRun: false}, 0.43)).toBe('closed 12 of 3,402 active requests in 0.4 s')
    expect(sweepSummary({closed: ['a'], scanned: 1, dryRun: false}, 0.042)).toBe('closed 1 of 1 active request in 0.04 s')
  })

  it('says "would close" on a dry run', () => {
    expect(sweepSummary({closed: ['a', 'b'], scanned: 5, dryRun: true}, 1.25)).toBe('would close 2 of 5 active requests in 1.3 s (dry run: nothing changed)')
  })
})
