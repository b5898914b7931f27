import {describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {resolveLinks} from '../../src/core/links.js'
import {MEDIA_TYPES, type ContextObject} from '../../src/core/model.js'
import {checkObject} from '../../src/core/objects.js'
import {SeededRandom, seedStore} from '../../src/core/seed.js'
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
})
