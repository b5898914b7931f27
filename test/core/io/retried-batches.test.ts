// A store may run a transaction's work more than once (Postgres retries serialization failures).
// An import must then count every row once, write each reject once, and lose no row.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {Store, StoreWriter} from '../../../src/core/storage/store.js'
import {allObjects, importInto, memoryStore, type Scratch, scratch} from './helpers.js'

class Retry extends Error {}

/** A store whose every transaction fails once after its work has run, then runs again. */
function retryingStore(inner: Store, batchSize: number): Store {
  return Object.assign(Object.create(inner) as Store, {
    capabilities: {...inner.capabilities, importBatchSize: batchSize},
    async transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
      await inner
        .transaction(async (tx) => {
          await work(tx)
          throw new Retry()
        })
        .catch((error) => {
          if (!(error instanceof Retry)) throw error
        })
      return inner.transaction(work)
    },
  })
}

const MIXED = [
  'externalId,Context_First_Name,Context_Preferred_Language',
  'm-1,Ada,en_US',
  'm-2,Grace,klingon',
  'm-3,Alan,fr_FR',
  'm-3,Alan again,fr_FR',
  'm-4,Edsger,',
  'm-5,Barbara,xx',
].join('\n')

/** New objects get fresh ids, which reasons quote: compare without them. */
function withoutIds<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID')) as T
}

let dir: Scratch

beforeEach(() => {
  dir = scratch()
})

afterEach(() => dir.cleanup())

describe('import on a store that retries transactions', () => {
  for (const batchSize of [1, 2, Number.POSITIVE_INFINITY]) {
    it(`counts each row once and writes each reject once (batches of ${batchSize})`, async () => {
      const inner = memoryStore()
      const store = retryingStore(inner, batchSize)
      const file = dir.write('mixed.csv', MIXED)
      const summary = await importInto(store, file, {type: 'customer'}, dir)
      const reference = await importInto(memoryStore(), file, {type: 'customer', rejects: dir.path('reference.out')}, dir)
      expect(withoutIds({...summary, seconds: 0, rejectsFile: null})).toEqual(withoutIds({...reference, seconds: 0, rejectsFile: null}))
      expect(summary).toMatchObject({read: 6, created: 3, rejected: 3})
      expect((await allObjects(inner)).length).toBe(reference.created)
      expect(withoutIds(dir.read('rejects.out'))).toBe(withoutIds(dir.read('reference.out')))
    })
  }
})
