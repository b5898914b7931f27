import {describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {ConflictError} from '../../src/core/errors.js'
import {resolveLinks} from '../../src/core/links.js'
import {MEDIA_TYPES, type ContextObject} from '../../src/core/model.js'
import {checkObject} from '../../src/core/objects.js'
import {SeededRandom, SeedInterrupted, seedStore} from '../../src/core/seed.js'
import type {Store} from '../../src/core/storage/store.js'
import {openStore} from '../../src/core/storage/open.js'

const NOW = '2026-03-01T12:00:00.000Z'
let count = 0

async function seeded(seed: string, customers = 40, chunkCustomers?: number) {
  const store = await openStore(`memory:seed-${process.pid}-${count++}`, {clock: systemClock})
  const summary = await seedStore(store, {customers, requestsPerCustomer: 2, activitiesPerRequest: 3, seed, now: NOW, chunkCustomers})
  const objects: ContextObject[] = []
  for await (const batch of store.scan()) objects.push(...batch)
  return {store, summary, objects}
}

describe('seed', () => {
  it('is deterministic: the same seed gives the same objects, ids included, whatever the chunking', async () => {
    const a = await seeded('42')
    const b = await seeded('42', 40, 7)
    expect(JSON.stringify(b.objects)).toBe(JSON.stringify(a.objects))
    const c = await seeded('43')
    expect(c.objects.map((object) => object.id)).not.toEqual(a.objects.map((object) => object.id))
  })

  it('makes the counts it reports, with 2 requests per customer and 3 activities per request', async () => {
    const {summary, objects} = await seeded('1', 40)
    const counted = {customer: 0, request: 0, activity: 0, comment: 0} as Record<string, number>
    for (const object of objects) counted[object.type]++
    expect(summary.counts).toEqual(counted)
    expect(summary.counts).toMatchObject({customer: 40, request: 80, activity: 240})
    expect(summary.counts.comment).toBeGreaterThan(0)
  })

  it('makes data every rule accepts: valid fields, valid links, all eight media types, stale requests for the sweep', async () => {
    const {store, summary, objects} = await seeded('7', 60)
    const definitions = await store.definitions()
    for (const object of objects) {
      await checkObject(object, definitions)
      await resolveLinks(store, object, {allowClosed: true})
    }
    expect(new Set(objects.filter((object) => object.type === 'activity').map((object) => object.mediaType))).toEqual(new Set(MEDIA_TYPES))
    const fiveDaysAgo = new Date(Date.parse(NOW) - 5 * 86_400_000).toISOString()
    const stale = objects.filter((object) => object.type === 'request' && object.state === 'active' && object.lastUpdated < fiveDaysAgo)
    expect(stale.length).toBe(summary.staleRequests)
    expect(stale.length).toBeGreaterThan(0)
    expect(objects.some((object) => object.type === 'request' && object.state === 'closed')).toBe(true)
    const emails = objects.filter((object) => object.type === 'customer').map((object) => object.data.Context_Work_Email)
    expect(new Set(emails).size).toBe(emails.length)
  })

  it('generates uniform version-4 UUIDs from its seed', () => {
    const random = new SeededRandom('x')
    const ids = Array.from({length: 1000}, () => random.uuid())
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(1000)
  })

  it('refuses a second seed into a store before writing anything, whatever --seed, naming the store and what to do', async () => {
    const {store, objects} = await seeded('42', 30, 10)
    for (const seed of ['42', '43']) {
      const error = await seedStore(store, {customers: 50, requestsPerCustomer: 1, activitiesPerRequest: 1, seed, now: NOW, chunkCustomers: 10}).catch((error: unknown) => error)
      expect(error).toBeInstanceOf(ConflictError)
      expect((error as ConflictError).message).toBe(`${store.location} already holds seeded customers (seed-customer-0): a store is seeded once`)
      expect((error as ConflictError).hint).toContain('Seed into a new store, or empty a lab store first with `ctx store flush`')
    }
    const after: ContextObject[] = []
    for await (const batch of store.scan()) after.push(...batch)
    expect(after).toEqual(objects)
  })

  describe('stopped by its signal', () => {
    const options = {customers: 50, requestsPerCustomer: 1, activitiesPerRequest: 1, seed: 's', now: NOW, chunkCustomers: 10}
    const everything = async (store: Store) => {
      const objects: ContextObject[] = []
      for await (const batch of store.scan()) objects.push(...batch)
      return objects
    }

    it('writes nothing into a store that takes a seed whole, when stopped before its commit', async () => {
      const store = await openStore(`memory:seed-${process.pid}-${count++}`, {clock: systemClock})
      const controller = new AbortController()
      const stopped = seedStore(store, {...options, signal: controller.signal}, (done) => done === 20 && controller.abort())
      await expect(stopped).rejects.toEqual(new SeedInterrupted(0))
      await expect(stopped).rejects.toMatchObject({customersCommitted: 0})
      expect(await everything(store)).toEqual([])
    })

    it('keeps the whole chunks a batching store committed, finishing those handed over, and says how many', async () => {
      const memory = await openStore(`memory:seed-${process.pid}-${count++}`, {clock: systemClock})
      // The memory store writing in chunks, as PostgreSQL does.
      const store: Store = Object.create(memory, {capabilities: {value: {...memory.capabilities, importBatchSize: 1000}}})
      const controller = new AbortController()
      const stopped = seedStore(store, {...options, signal: controller.signal}, (done) => done === 10 && controller.abort())
      const error = await stopped.catch((error: unknown) => error)
      expect(error).toBeInstanceOf(SeedInterrupted)
      const committed = (error as SeedInterrupted).customersCommitted
      // Aborted once the first chunk committed: the second, handed over with it, is finished too.
      expect(committed).toBe(20)
      const objects = await everything(store)
      const customers = objects.filter((object) => object.type === 'customer')
      expect(customers.map((customer) => customer.externalId).sort()).toEqual(Array.from({length: committed}, (_, index) => `seed-customer-${index}`).sort())
      expect(objects.filter((object) => object.type === 'request')).toHaveLength(committed)
      expect(objects.filter((object) => object.type === 'activity')).toHaveLength(committed)
    })
  })
})
