// The encryption layer over an adapter (memory: here; the contract suites run it on every adapter):
// what it hands the adapter is sealed, a moved activity takes its comments to its new customer's
// key, and a deleted customer's key goes with the customer.
import {describe, expect, it, vi} from 'vitest'
import {systemClock} from '../../../src/core/clock.js'
import {isSealed} from '../../../src/core/crypto/sealed-value.js'
import type {ContextObject} from '../../../src/core/model.js'
import {openStore} from '../../../src/core/storage/open.js'
import type {Store} from '../../../src/core/storage/store.js'
import {fixture} from '../../contract/store-contract.js'
import {describePostgres, testSchema} from '../../helpers/postgres.js'

let count = 0

/** The store and, beside it, its adapter without the layer: what is really stored. */
async function stores(): Promise<{store: Store; raw: (id: string) => Promise<ContextObject | null>}> {
  const name = `memory:sealed-${process.pid}-${count++}`
  const store = await openStore(name, {clock: systemClock})
  const {openMemoryStore} = await import('../../../src/core/storage/memory.js')
  const adapter = openMemoryStore(name.slice('memory:'.length), () => new Date().toISOString())
  return {store, raw: (id) => adapter.get(id)}
}

describe('the encryption layer', () => {
  it('hands the adapter sealed values only, and gives them back in clear', async () => {
    const {store, raw} = await stores()
    const ada = fixture('customer', {data: {Context_First_Name: 'Ada', Context_Preferred_Language: 'en_GB'}})
    await store.transaction((tx) => tx.insert([ada]))
    const stored = (await raw(ada.id))!
    expect(isSealed(stored.data.Context_First_Name)).toBe(true)
    expect(stored.data.Context_Preferred_Language).toBe('en_GB')
    expect(await store.get(ada.id)).toEqual(ada)
    expect(await store.wrappedKeys([`customer:${ada.id}`])).toHaveProperty(`customer:${ada.id}`)
  })

  it('seals the comments of a moved activity under its new customer\'s key, so deleting the old customer leaves them readable', async () => {
    const {store, raw} = await stores()
    const [a, b] = [fixture('customer', {data: {Context_First_Name: 'A'}}), fixture('customer', {data: {Context_First_Name: 'B'}})]
    const activity = fixture('activity', {customerId: a.id, mediaType: 'voice', data: {Context_Notes: 'a call'}})
    const comment = fixture('comment', {parentId: activity.id, state: 'closed', data: {Context_Comment: 'noted'}})
    await store.transaction((tx) => tx.insert([a, b, activity, comment]))
    expect(((await raw(comment.id))!.data.Context_Comment as unknown as {key: string}).key).toBe(`customer:${a.id}`)
    await store.transaction(async (tx) => tx.update({...(await tx.get(activity.id))!, customerId: b.id}))
    expect(((await raw(comment.id))!.data.Context_Comment as unknown as {key: string}).key).toBe(`customer:${b.id}`)
    await store.transaction((tx) => tx.remove([a.id]))
    expect(await store.wrappedKeys([`customer:${a.id}`])).toEqual({})
    expect((await store.get(comment.id))!.data.Context_Comment).toBe('noted')
    expect((await store.get(activity.id))!.data.Context_Notes).toBe('a call')
  })

  it('keeps the keys made in a transaction that failed for the next one to store', async () => {
    const {store} = await stores()
    const first = fixture('customer', {data: {Context_First_Name: 'First'}})
    await expect(
      store.transaction(async (tx) => {
        await tx.insert([first])
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    const second = fixture('customer', {data: {Context_First_Name: 'Second'}})
    await store.transaction((tx) => tx.insert([second]))
    expect((await store.get(second.id))!.data.Context_First_Name).toBe('Second')
    expect(Object.keys(await store.wrappedKeys('all'))).toEqual(expect.arrayContaining(['store', 'index', `customer:${second.id}`]))
  })
})

describe('data keys held in memory', () => {
  it('forgets keys past its limit between batches of a scan, as between transactions, and reads them again when needed', async () => {
    const name = `memory:sealed-held-${process.pid}-${count++}`
    const store = await openStore(name, {clock: systemClock, keys: {keysHeld: 2}})
    const customers = ['A', 'B', 'C', 'D', 'E'].map((first) => fixture('customer', {data: {Context_First_Name: first}}))
    await store.transaction((tx) => tx.insert(customers))
    const {Keyring} = await import('../../../src/core/crypto/keyring.js')
    const spy = vi.spyOn(Keyring.prototype, 'learn')
    const scanAll = async () => {
      const names: string[] = []
      for await (const batch of store.scan({types: ['customer'], batchSize: 1})) names.push(...batch.map((object) => String(object.data.Context_First_Name)))
      return names.sort()
    }
    expect(await scanAll()).toEqual(['A', 'B', 'C', 'D', 'E'])
    const first = spy.mock.calls.flatMap(([keys]) => Object.keys(keys)).filter((id) => id.startsWith('customer:')).length
    expect(await scanAll()).toEqual(['A', 'B', 'C', 'D', 'E'])
    const second = spy.mock.calls.flatMap(([keys]) => Object.keys(keys)).filter((id) => id.startsWith('customer:')).length - first
    spy.mockRestore()
    // Held without a limit, the second scan would find all five keys in memory and read none.
    expect(second).toBeGreaterThanOrEqual(3)
  })
})

await describePostgres('transactions at once through one store (PostgreSQL)', () => {
  it('runs them one after another: they share the keyring\'s fresh keys and its forgetting after a commit', async () => {
    const schema = await testSchema('sealed')
    const store = await openStore(schema.url, {clock: systemClock, keys: {keysHeld: 1}})
    try {
      await store.init('lab')
      await store.transaction((tx) => tx.insert([fixture('customer', {data: {Context_First_Name: 'Walter'}})]))
      const [x, y] = [fixture('customer', {data: {Context_First_Name: 'Xavier'}}), fixture('customer', {data: {Context_First_Name: 'Yvonne'}})]
      const request = fixture('request', {customerId: x.id, data: {Context_Title: 'for Xavier'}})
      // A seed writes a chunk while the next one commits: on PostgreSQL, two transactions at once.
      // The first waits between its inserts for the second to end, or, had that to wait, a moment.
      const events: string[] = []
      let secondEnded!: () => void
      const ended = new Promise<void>((resolve) => (secondEnded = resolve))
      const first = store.transaction(async (tx) => {
        events.push('first begins')
        await tx.insert([x])
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 300))])
        await tx.insert([request])
        events.push('first ends')
      })
      const second = store.transaction(async (tx) => {
        events.push('second begins')
        await tx.insert([y])
        events.push('second ends')
      })
      await Promise.all([first, second.finally(secondEnded)])
      expect(events).toEqual(['first begins', 'first ends', 'second begins', 'second ends'])
      for (const object of [x, request, y]) expect(await store.get(object.id)).toEqual(object)
    } finally {
      await store.close()
      await schema.drop()
    }
  })
})
