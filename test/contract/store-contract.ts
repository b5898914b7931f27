// The storage contract suite: one function that registers the same cases for every adapter, as
// keyv's and unstorage's shared driver suites do. An adapter is done when it passes all of them.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ConflictError, NotFoundError} from '../../src/core/errors.js'
import {newId} from '../../src/core/ids.js'
import {BASE_FIELDSET, type ContextObject, type ObjectType} from '../../src/core/model.js'
import {allOf, equals, parseQuery} from '../../src/core/search/query.js'
import type {CloseStaleResult, Store} from '../../src/core/storage/store.js'

export interface StoreFactory {
  /** A new, empty store. */
  open(): Promise<Store>
  /** The same store opened again, as a second process would (defaults to the same instance). */
  reopen?(store: Store): Promise<Store>
  cleanup?(): Promise<void>
}

let clock = Date.parse('2026-03-01T00:00:00.000Z')

export function fixture(type: ObjectType, overrides: Partial<ContextObject> = {}): ContextObject {
  const at = new Date((clock += 1000)).toISOString()
  return {
    id: newId(),
    type,
    fieldsets: [BASE_FIELDSET[type]],
    data: {},
    created: at,
    lastUpdated: at,
    ...(type === 'request' ? {state: 'active' as const} : {}),
    ...(type === 'activity' ? {mediaType: 'voice' as const, tags: []} : {}),
    ...overrides,
  }
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`storage contract: ${name}`, () => {
    let store: Store

    beforeEach(async () => {
      store = await factory.open()
    })

    afterEach(async () => {
      await store.close()
      await factory.cleanup?.()
    })

    const insert = (...objects: ContextObject[]) => store.transaction((tx) => tx.insert(objects))

    it('answers null for an id it does not hold', async () => {
      expect(await store.get(newId())).toBeNull()
      expect(await store.getByExternalId('customer', 'nobody')).toBeNull()
    })

    it('gives back an inserted object unchanged, with keys in canonical order', async () => {
      const customer = fixture('customer', {data: {Context_Last_Name: 'Smith', Context_First_Name: 'Jo'}, externalId: 'crm-1'})
      await insert(customer)
      const stored = await store.get(customer.id)
      expect(stored).toEqual(customer)
      expect(Object.keys(stored!)).toEqual(['id', 'type', 'fieldsets', 'data', 'externalId', 'created', 'lastUpdated'])
      expect(Object.keys(stored!.data)).toEqual(['Context_First_Name', 'Context_Last_Name'])
    })

    it('keeps what one process wrote for the next one to read', async () => {
      const customer = fixture('customer', {data: {Context_First_Name: 'Persisted'}})
      await insert(customer)
      const again = factory.reopen ? await factory.reopen(store) : store
      expect(await again.get(customer.id)).toEqual(customer)
      if (again !== store) await again.close()
    })

    it('reads many objects by id or by externalId in one call, leaving out what it does not hold', async () => {
      const a = fixture('customer', {externalId: 'many-a'})
      const b = fixture('customer', {externalId: 'many-b'})
      const request = fixture('request', {customerId: a.id, externalId: 'many-a'})
      await insert(a, b, request)
      await store.transaction(async (tx) => {
        const byId = await tx.getMany([a.id, request.id, newId(), a.id])
        expect(byId.map((object) => object.id).sort()).toEqual([a.id, request.id].sort())
        const byExternal = await tx.getManyByExternalId('customer', ['many-a', 'many-b', 'nobody', 'many-b'])
        expect(byExternal.map((object) => object.id).sort()).toEqual([a.id, b.id].sort())
        expect(await tx.getMany([])).toEqual([])
        expect(await tx.getManyByExternalId('request', [])).toEqual([])
      })
      // Outside a transaction too: a journey reads its page's objects so.
      expect((await store.getMany([request.id, newId(), b.id])).map((object) => object.id).sort()).toEqual([b.id, request.id].sort())
      expect(await store.getMany([])).toEqual([])
    })

    it('refuses a second object with the same id', async () => {
      const customer = fixture('customer')
      await insert(customer)
      await expect(insert({...customer})).rejects.toBeInstanceOf(ConflictError)
    })

    it('lists the ids that start with a prefix, ascending, up to a limit, in and out of a transaction', async () => {
      const ids = ['0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '0b6f3e2a-9c1d-4f5e-9a7b-1c2d3e4f5a6b', '1b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b']
      await insert(...ids.map((id) => fixture('customer', {id})))
      expect(await store.idsWithPrefix('0b6f3e2a', 10)).toEqual(ids.slice(0, 2))
      expect(await store.idsWithPrefix('0b6f3e2a-8', 10)).toEqual([ids[0]])
      expect(await store.idsWithPrefix('0b6f3e2a', 1)).toEqual([ids[0]])
      expect(await store.idsWithPrefix('ffffffff', 10)).toEqual([])
      await store.transaction(async (tx) => {
        await tx.remove([ids[0]])
        expect(await tx.idsWithPrefix('0b6f3e2a', 10)).toEqual([ids[1]])
      })
    })

    it('keeps externalId unique per type, and finds objects by it', async () => {
      const customer = fixture('customer', {externalId: 'ext-1'})
      const request = fixture('request', {customerId: customer.id, externalId: 'ext-1'})
      await insert(customer, request)
      expect((await store.getByExternalId('customer', 'ext-1'))?.id).toBe(customer.id)
      expect((await store.getByExternalId('request', 'ext-1'))?.id).toBe(request.id)
      await expect(insert(fixture('customer', {externalId: 'ext-1'}))).rejects.toBeInstanceOf(ConflictError)
    })

    it('frees an externalId when its object changes it or is removed', async () => {
      const first = fixture('customer', {externalId: 'ext-a'})
      await insert(first)
      await store.transaction((tx) => tx.update({...first, externalId: 'ext-b'}))
      expect(await store.getByExternalId('customer', 'ext-a')).toBeNull()
      const second = fixture('customer', {externalId: 'ext-a'})
      await insert(second)
      await store.transaction((tx) => tx.remove([second.id]))
      expect(await store.getByExternalId('customer', 'ext-a')).toBeNull()
      expect((await store.getByExternalId('customer', 'ext-b'))?.id).toBe(first.id)
    })

    it('updates with optimistic concurrency: a stale lastUpdated is a conflict', async () => {
      const customer = fixture('customer')
      await insert(customer)
      const changed = {...customer, data: {Context_City: 'Lyon'}, lastUpdated: '2026-04-01T00:00:00.000Z'}
      await store.transaction((tx) => tx.update(changed, customer.lastUpdated))
      expect(await store.get(customer.id)).toEqual(changed)
      await expect(store.transaction((tx) => tx.update({...changed, data: {}}, customer.lastUpdated))).rejects.toBeInstanceOf(ConflictError)
      expect((await store.get(customer.id))?.data).toEqual({Context_City: 'Lyon'})
    })

    it('refuses to update an object it does not hold', async () => {
      await expect(store.transaction((tx) => tx.update(fixture('customer')))).rejects.toBeInstanceOf(NotFoundError)
    })

    it('removes objects and counts what it removed', async () => {
      const a = fixture('customer')
      const b = fixture('customer')
      await insert(a, b)
      expect(await store.transaction((tx) => tx.remove([a.id, newId()]))).toBe(1)
      expect(await store.get(a.id)).toBeNull()
      expect(await store.get(b.id)).not.toBeNull()
    })

    it('writes nothing from a transaction that throws', async () => {
      const kept = fixture('customer')
      await insert(kept)
      const lost = fixture('customer')
      await expect(
        store.transaction(async (tx) => {
          await tx.insert([lost])
          await tx.remove([kept.id])
          throw new Error('changed my mind')
        }),
      ).rejects.toThrow('changed my mind')
      expect(await store.get(lost.id)).toBeNull()
      expect(await store.get(kept.id)).not.toBeNull()
    })

    it('sees its own writes inside a transaction', async () => {
      const customer = fixture('customer', {externalId: 'inside'})
      await store.transaction(async (tx) => {
        await tx.insert([customer])
        expect((await tx.get(customer.id))?.id).toBe(customer.id)
        expect((await tx.getByExternalId('customer', 'inside'))?.id).toBe(customer.id)
        expect((await tx.find({where: parseQuery(`id:${customer.id}`)!})).items).toHaveLength(1)
      })
    })

    it('lists newest lastUpdated first, ties broken by id, and filters by the query tree', async () => {
      const same = '2026-05-05T05:05:05.000Z'
      const objects = [
        fixture('customer', {lastUpdated: '2026-05-01T00:00:00.000Z', data: {Context_Last_Name: 'Alpha'}}),
        fixture('customer', {lastUpdated: same, data: {Context_Last_Name: 'Bravo'}}),
        fixture('customer', {lastUpdated: same, data: {Context_Last_Name: 'Charlie'}}),
        fixture('request', {lastUpdated: '2026-06-01T00:00:00.000Z', data: {Context_Title: 'Bravo refund'}}),
      ]
      await insert(...objects)
      const all = await store.find({})
      const expected = [...objects].sort((a, b) => (a.lastUpdated === b.lastUpdated ? (a.id < b.id ? 1 : -1) : a.lastUpdated < b.lastUpdated ? 1 : -1))
      expect(all.items.map((object) => object.id)).toEqual(expected.map((object) => object.id))
      expect(all.next).toBeNull()
      const customers = await store.find({where: parseQuery('type:customer bravo')!})
      expect(customers.items.map((object) => object.data.Context_Last_Name)).toEqual(['Bravo'])
      expect(await store.count(parseQuery('bravo')!)).toBe(2)
      expect(await store.count()).toBe(4)
    })

    it('pages with a keyset cursor: every object once, none skipped, even when objects are added meanwhile', async () => {
      const objects = Array.from({length: 37}, (_, index) =>
        fixture('customer', {lastUpdated: `2026-07-01T00:00:${String(index % 10).padStart(2, '0')}.000Z`}),
      )
      await insert(...objects)
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await store.find({limit: 5, cursor})
        seen.push(...page.items.map((object) => object.id))
        cursor = page.next
        if (pages++ === 2) await insert(fixture('customer', {lastUpdated: '2026-08-01T00:00:00.000Z'}))
      } while (cursor)
      expect(seen).toHaveLength(37)
      expect(new Set(seen).size).toBe(37)
      expect(new Set(seen)).toEqual(new Set(objects.map((object) => object.id)))
    })

    it('reads every match at once with all: past the page cap, newest first with ties by id, and no next', async () => {
      const customer = fixture('customer')
      const request = fixture('request', {customerId: customer.id})
      // More than MAX_PAGE, with lastUpdated ties, under one parent: a journey's read.
      const activities = Array.from({length: 1005}, (_, index) =>
        fixture('activity', {customerId: customer.id, parentId: request.id, lastUpdated: `2026-07-01T00:00:${String(index % 7).padStart(2, '0')}.000Z`}),
      )
      const comments = activities.slice(0, 3).map((activity) => fixture('comment', {parentId: activity.id}))
      await insert(customer, request, ...activities, ...comments)
      const newest = (objects: ContextObject[]) =>
        [...objects].sort((a, b) => (a.lastUpdated === b.lastUpdated ? (a.id < b.id ? 1 : -1) : a.lastUpdated < b.lastUpdated ? 1 : -1)).map((object) => object.id)

      const owned = await store.find({where: parseQuery(`customerId:${customer.id} type:activity`)!, all: true, limit: 10})
      expect(owned.items.map((object) => object.id)).toEqual(newest(activities))
      expect(owned.next).toBeNull()
      // A list of parents, as the journey's comments are read.
      const listed = allOf(equals('type', 'comment'), {kind: 'or', children: activities.map((activity) => equals('parentId', activity.id))})!
      const found = await store.find({where: listed, all: true})
      expect(found.items.map((object) => object.id)).toEqual(newest(comments))
    })

    it('brings the comments and feedback on every match along with comments: true, each object once', async () => {
      const customer = fixture('customer')
      const request = fixture('request', {customerId: customer.id})
      const activity = fixture('activity', {customerId: customer.id, parentId: request.id})
      const elsewhere = fixture('activity', {customerId: fixture('customer').id})
      const onRequest = fixture('comment', {parentId: request.id})
      const onActivity = fixture('feedback', {parentId: activity.id, data: {Context_Rating: 4}})
      const notOurs = fixture('comment', {parentId: elsewhere.id})
      await insert(customer, fixture('customer', {id: elsewhere.customerId}), request, activity, elsewhere, onRequest, onActivity, notOurs)
      const ids = async (query: string) => (await store.find({where: parseQuery(query)!, all: true, comments: true})).items.map((object) => object.id)
      expect(await ids(`customerId:${customer.id}`)).toEqual([onActivity, onRequest, activity, request].map((object) => object.id))
      // A comment that matches the query itself comes once.
      expect(await ids(`id:${activity.id} OR type:feedback`)).toEqual([onActivity.id, activity.id])
      // Without comments, or without all, only the matches.
      expect((await store.find({where: parseQuery(`customerId:${customer.id}`)!, all: true})).items).toHaveLength(2)
      expect((await store.find({where: parseQuery(`customerId:${customer.id}`)!, comments: true})).items).toHaveLength(2)
    })

    it('outlines the matches and the comments and feedback on them, as find with comments reads them, without their data', async () => {
      const customer = fixture('customer')
      const request = fixture('request', {customerId: customer.id})
      const activity = fixture('activity', {customerId: customer.id, parentId: request.id, data: {Context_Notes: 'not in an outline'}})
      const other = fixture('activity', {customerId: customer.id, mediaType: 'chat'})
      const elsewhere = fixture('activity', {customerId: fixture('customer').id})
      const onRequest = fixture('comment', {parentId: request.id})
      const onActivity = fixture('feedback', {parentId: activity.id, data: {Context_Rating: 4}})
      const onOther = fixture('comment', {parentId: other.id})
      const notOurs = fixture('comment', {parentId: elsewhere.id})
      await insert(customer, fixture('customer', {id: elsewhere.customerId}), request, activity, other, elsewhere, onRequest, onActivity, onOther, notOurs)
      const placed = (object: ContextObject) => ({id: object.id, type: object.type, ...(object.parentId === undefined ? {} : {parentId: object.parentId}), created: object.created})
      const byId = (a: {id: string}, b: {id: string}) => (a.id < b.id ? -1 : 1)
      const outline = async (query: string) => (await store.outline(parseQuery(query)!)).sort(byId)
      const read = async (query: string) => (await store.find({where: parseQuery(query)!, all: true, comments: true})).items.map(placed).sort(byId)
      // One customer's objects (on PostgreSQL, one pass over the customer's key), its id in any case.
      expect(await outline(`customerId:${customer.id}`)).toEqual([request, activity, other, onRequest, onActivity, onOther].map(placed).sort(byId))
      expect(await outline(`customerId:${customer.id.toUpperCase()} mediaType:voice`)).toEqual([activity, onActivity].map(placed).sort(byId))
      // Without a customer, and where a comment matches the query itself (once).
      expect(await outline(`type:activity mediaType:voice`)).toEqual([activity, elsewhere, onActivity, notOurs].map(placed).sort(byId))
      expect(await outline(`id:${activity.id} OR type:feedback`)).toEqual([activity, onActivity].map(placed).sort(byId))
      for (const query of [`customerId:${customer.id} (type:request OR type:activity)`, 'type:comment', `customerId:${customer.id} type:feedback`]) {
        expect(await outline(query)).toEqual(await read(query))
      }
    })

    it('scans every object in link order, in batches, optionally since an instant', async () => {
      const customer = fixture('customer')
      const request = fixture('request', {customerId: customer.id})
      const activity = fixture('activity', {customerId: customer.id, parentId: request.id})
      const comment = fixture('comment', {parentId: activity.id, state: 'closed'})
      await insert(comment, activity, request, customer)
      const batches: ContextObject[][] = []
      for await (const batch of store.scan({batchSize: 2})) batches.push(batch)
      expect(batches.flat().map((object) => object.type)).toEqual(['customer', 'request', 'activity', 'comment'])
      expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(2)
      const recent: ContextObject[] = []
      for await (const batch of store.scan({since: activity.lastUpdated})) recent.push(...batch)
      expect(recent.map((object) => object.id)).toEqual([activity.id, comment.id])
    })

    it('starts with the base definitions and keeps definitions it is given', async () => {
      const definitions = await store.definitions()
      expect(Object.keys(definitions.fieldsets)).toEqual(
        expect.arrayContaining(['cisco.base.customer', 'cisco.base.request', 'cisco.base.pod', 'cisco.base.comment', 'cisco.base.rating']),
      )
      definitions.fields.Custom_Score = {id: 'Custom_Score', dataType: 'integer', classification: 'UNENCRYPTED'}
      await store.transaction((tx) => tx.putDefinitions(definitions))
      expect((await store.definitions()).fields.Custom_Score?.dataType).toBe('integer')
    })

    it('reports counts per type, and a mode once initialised', async () => {
      const before = await store.info()
      expect(before.initialized).toBe(false)
      await store.init('lab')
      await insert(fixture('customer'), fixture('customer'), fixture('request'))
      const after = await store.info()
      expect(after).toMatchObject({initialized: true, mode: 'lab', counts: {customer: 2, request: 1, activity: 0}})
    })

    it('flushes a lab store back to empty, keeping its mode', async () => {
      await store.init('lab')
      await insert(fixture('customer'))
      await store.flush()
      expect((await store.info()).counts.customer).toBe(0)
      expect((await store.info()).mode).toBe('lab')
    })

    it('restores the base definitions on flush, even after they were read and changed', async () => {
      await store.init('lab')
      const definitions = structuredClone(await store.definitions())
      definitions.fields.Custom_Score = {id: 'Custom_Score', dataType: 'integer', classification: 'UNENCRYPTED'}
      await store.transaction((tx) => tx.putDefinitions(definitions))
      expect((await store.definitions()).fields.Custom_Score).toBeDefined()
      await store.flush()
      expect((await store.definitions()).fields.Custom_Score).toBeUndefined()
    })

    it('refuses to flush a production store, or one created implicitly by a write', async () => {
      await insert(fixture('customer'))
      expect((await store.info()).mode).toBe('production')
      await expect(store.flush()).rejects.toBeInstanceOf(ConflictError)
      expect((await store.info()).counts.customer).toBe(1)
    })

    it('declares how many rows an import commits per transaction', () => {
      expect(store.capabilities.importBatchSize).toBeGreaterThanOrEqual(1)
    })

    describe('closeStaleRequests (the auto-close sweep, rule 3)', () => {
      const cutoff = '2026-03-10T00:00:00.000Z'
      const closedAt = '2026-03-15T00:00:00.000Z'
      const before = '2026-03-09T23:59:59.999Z'
      const after = '2026-03-10T00:00:00.001Z'
      const old = '2026-03-01T12:00:00.000Z'
      const customer = fixture('customer')
      const request = (lastUpdated = old, extra: Partial<ContextObject> = {}) =>
        fixture('request', {customerId: customer.id, created: old, lastUpdated, ...extra})
      const activity = (parent: ContextObject, lastUpdated = old) =>
        fixture('activity', {customerId: customer.id, parentId: parent.id, created: old, lastUpdated})
      const note = (type: 'comment' | 'feedback', parent: ContextObject, lastUpdated = old) =>
        fixture(type, {parentId: parent.id, state: 'closed', created: old, lastUpdated})
      const sweep = (dryRun = false, at = closedAt) => store.transaction((tx) => tx.closeStaleRequests({cutoff, closedAt: at, dryRun}))

      it('closes each active request whose latest update is before the cutoff, and nothing else', async () => {
        const stale = [request(before), request(old), request(old)]
        const fresh = request(after)
        const quietActivity = activity(stale[1])
        await insert(customer, ...stale, fresh, quietActivity, note('comment', quietActivity))
        const result = await sweep()
        expect(result).toEqual({closed: stale.map((r) => r.id).sort(), scanned: 4})
        for (const r of stale) {
          expect(await store.get(r.id)).toEqual({...r, state: 'closed', closedAt, closeReason: 'auto', lastUpdated: closedAt})
        }
        expect(await store.get(fresh.id)).toEqual(fresh)
        expect(await store.get(quietActivity.id)).toEqual(quietActivity)
        expect(await store.get(customer.id)).toEqual(customer)
      })

      it('keeps a request open when its latest update is exactly the cutoff', async () => {
        const edge = request(cutoff)
        await insert(customer, edge)
        expect(await sweep()).toEqual({closed: [], scanned: 1})
        expect((await store.get(edge.id))?.state).toBe('active')
      })

      it('counts an activity, a comment or feedback on the request, and a comment on its activity as updates', async () => {
        const byActivity = request()
        const byComment = request()
        const byFeedback = request()
        const byCommentOnActivity = request()
        const quietActivity = activity(byCommentOnActivity)
        // Children first: the answer must not depend on the order objects are stored in.
        const children = [
          activity(byActivity, after),
          note('comment', byComment, after),
          note('feedback', byFeedback, after),
          note('comment', quietActivity, after),
          quietActivity,
        ]
        await insert(customer, byActivity, byComment, byFeedback, byCommentOnActivity, ...children)
        expect(await sweep()).toEqual({closed: [], scanned: 4})
      })

      it('ignores updates on objects under other requests or only sharing the customer', async () => {
        const quiet = request()
        const busy = request()
        const customerActivity = fixture('activity', {customerId: customer.id, created: old, lastUpdated: after})
        await insert(customer, quiet, busy, activity(busy, after), customerActivity, note('comment', customerActivity, after))
        expect((await sweep()).closed).toEqual([quiet.id])
      })

      it('never touches a closed request: a second sweep closes nothing and keeps the first closedAt', async () => {
        const manual = request(old, {state: 'closed', closedAt: old, closeReason: 'manual'})
        const stale = request()
        await insert(customer, manual, stale)
        expect(await sweep()).toEqual({closed: [stale.id], scanned: 1})
        expect(await sweep(false, '2026-03-16T00:00:00.000Z')).toEqual({closed: [], scanned: 0})
        expect(await store.get(manual.id)).toEqual(manual)
        expect((await store.get(stale.id))?.closedAt).toBe(closedAt)
      })

      it('on a dry run reports what would close and writes nothing', async () => {
        const stale = request()
        await insert(customer, stale)
        expect(await sweep(true)).toEqual({closed: [stale.id], scanned: 1})
        expect(await store.get(stale.id)).toEqual(stale)
      })

      it('sees writes made earlier in the same transaction', async () => {
        const stale = request()
        await insert(customer, stale)
        const result = await store.transaction(async (tx) => {
          await tx.insert([activity(stale, after)])
          return tx.closeStaleRequests({cutoff, closedAt})
        })
        expect(result).toEqual({closed: [], scanned: 1})
      })

      it('closes each request once when sweeps overlap, and loses no write made meanwhile', async () => {
        const stale = Array.from({length: 30}, () => request())
        await insert(customer, ...stale)
        const late = fixture('customer')
        const results = await Promise.all([
          sweep(false, '2026-03-15T00:00:01.000Z'),
          insert(late),
          sweep(false, '2026-03-15T00:00:02.000Z'),
          sweep(false, '2026-03-15T00:00:03.000Z'),
        ])
        const sweeps = [results[0], results[2], results[3]] as CloseStaleResult[]
        const closed = sweeps.flatMap((result) => result.closed)
        expect(closed.sort()).toEqual(stale.map((r) => r.id).sort())
        expect(await store.get(late.id)).toEqual(late)
        for (const [index, result] of sweeps.entries()) {
          for (const id of result.closed) expect((await store.get(id))?.closedAt).toBe(`2026-03-15T00:00:0${index + 1}.000Z`)
        }
      })
    })

    it('refuses to re-initialise a store in another mode', async () => {
      await store.init('production')
      await expect(store.init('lab')).rejects.toBeInstanceOf(ConflictError)
      expect((await store.init('production')).mode).toBe('production')
    })
  })
}
