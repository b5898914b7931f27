// An import into a database hands a batch's writes to the store 1000 at a time and checks the rows
// after them while the store writes them (src/core/io/pending.ts). A write that fails meanwhile
// must stop the import at whichever row meets it, refuse no row for it, and leave its batch unwritten.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ConflictError} from '../../../src/core/errors.js'
import type {ContextObject} from '../../../src/core/model.js'
import type {Store, StoreWriter} from '../../../src/core/storage/store.js'
import {allObjects, importInto, memoryStore, type Scratch, scratch} from './helpers.js'

/** Batches of `batchSize`; the insert holding `failing` fails a moment after it was handed over, with a ConflictError (a row's kind of error). */
function failingStore(inner: Store, batchSize: number, failing: string): Store {
  return Object.assign(Object.create(inner) as Store, {
    capabilities: {...inner.capabilities, importBatchSize: batchSize},
    transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
      return inner.transaction((tx) => {
        const insert = async (objects: readonly ContextObject[], prepare?: (object: ContextObject) => ContextObject) => {
          await new Promise((resolve) => setTimeout(resolve, 10))
          if (objects.some((object) => object.externalId === failing)) throw new ConflictError('the server refused the copy')
          await tx.insert(objects, prepare)
        }
        return work(Object.assign(Object.create(tx) as StoreWriter, {insert}))
      })
    },
  })
}

const people = (count: number) => ['externalId,Context_First_Name', ...Array.from({length: count}, (_, index) => `p-${index},Name ${index}`)].join('\n')

let dir: Scratch

beforeEach(() => {
  dir = scratch()
})

afterEach(() => dir.cleanup())

describe('writes handed to the store while the next rows are checked', () => {
  it('a failed one stops the import with its error, refuses no row for it, and leaves its batch out', async () => {
    const inner = memoryStore()
    // Batches of 3000: the first commits; in the second, rows 3000-3999 go to the store while 4000-4999 are checked.
    const store = failingStore(inner, 3000, 'p-3500')
    const file = dir.write('people.csv', people(5000))
    await expect(importInto(store, file, {type: 'customer'}, dir)).rejects.toThrow('the server refused the copy')
    const kept = (await allObjects(inner)).map((object) => object.externalId)
    expect(kept.sort()).toEqual(Array.from({length: 3000}, (_, index) => `p-${index}`).sort())
    expect(dir.read('people.csv')).toBe(people(5000))
    expect(() => dir.read('rejects.out')).toThrow()
  })

  it('a transaction that fails for another reason ends only once the writes handed over are done', async () => {
    const inner = memoryStore()
    let inFlight = 0
    let inFlightAtEnd = -1
    const store = Object.assign(Object.create(inner) as Store, {
      capabilities: {...inner.capabilities, importBatchSize: 3000},
      transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
        return inner.transaction(async (tx) => {
          const insert = async (objects: readonly ContextObject[], prepare?: (object: ContextObject) => ContextObject) => {
            inFlight++
            await new Promise((resolve) => setTimeout(resolve, 200))
            await tx.insert(objects, prepare)
            inFlight--
          }
          try {
            return await work(Object.assign(Object.create(tx) as StoreWriter, {insert}))
          } finally {
            inFlightAtEnd = inFlight
          }
        })
      },
    })
    // A dry run reads the file inside its one transaction: the unclosed quote at its end fails it
    // while the 1000 rows before the last 500 are being written.
    const file = dir.write('people.csv', `${people(20_500)}\n"p-x,Unclosed`)
    await expect(importInto(store, file, {type: 'customer', dryRun: true}, dir)).rejects.toThrow(/quote/i)
    expect(inFlightAtEnd).toBe(0)
  })

  it('imports every row when none fails, whatever the batch size', async () => {
    for (const batchSize of [999, 1000, 2500]) {
      const inner = memoryStore()
      const file = dir.write('people.csv', people(3100))
      const summary = await importInto(failingStore(inner, batchSize, 'none'), file, {type: 'customer'}, dir)
      expect(summary).toMatchObject({read: 3100, created: 3100, rejected: 0})
      expect(new Set((await allObjects(inner)).map((object) => object.externalId)).size).toBe(3100)
    }
  })
})
