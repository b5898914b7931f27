// Mapping files (rename, ignore, transform, defaults), --upsert, --dry-run and the link rules of
// CSV imports of requests and activities.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {InvalidDataError} from '../../../src/core/errors.js'
import type {ContextObject} from '../../../src/core/model.js'
import type {Store} from '../../../src/core/storage/store.js'
import {fixture} from '../../contract/store-contract.js'
import {allObjects, byExternalId, importInto, memoryStore, NOW, type Scratch, scratch} from './helpers.js'

let store: Store
let dir: Scratch

beforeEach(() => {
  store = memoryStore()
  dir = scratch()
})

afterEach(() => dir.cleanup())

const CRM = 'Customer No;Given Name;Surname;E-Mail;Joined;Notes\n 1001 ;Ada;Lovelace; ADA@Example.COM ;25/12/2015;likes maths\n1002;Grace;Hopper;grace@example.com;09/12/2016;\n'

function mapping(value: unknown): string {
  return dir.write('mapping.json', JSON.stringify(value))
}

describe('mapping files', () => {
  it('renames columns, ignores some, applies transforms and fills defaults', async () => {
    const definitions = await store.definitions()
    definitions.fields.Test_Joined = {id: 'Test_Joined', dataType: 'date', classification: 'UNENCRYPTED'}
    definitions.fieldsets['cisco.base.customer'].fields.push('Test_Joined')
    await store.transaction((tx) => tx.putDefinitions(definitions))
    const map = mapping({
      type: 'customer',
      transform: ['trim'],
      columns: {
        'Customer No': 'externalId',
        'Given Name': 'Context_First_Name',
        Surname: {to: 'Context_Last_Name', transform: ['upper']},
        'E-Mail': {to: 'Context_Work_Email', transform: ['lower']},
        Joined: {to: 'Test_Joined', transform: [{date: 'DD/MM/YYYY'}]},
        Notes: null,
      },
      defaults: {Context_Country: 'UK', Context_Preferred_Language: 'en_GB'},
    })
    const summary = await importInto(store, dir.write('crm.csv', CRM), {mapping: map}, dir)
    expect(summary).toMatchObject({type: 'customer', created: 2, rejected: 0})
    expect((await byExternalId(store))['1001'].data).toEqual({
      Context_First_Name: 'Ada',
      Context_Last_Name: 'LOVELACE',
      Context_Work_Email: 'ada@example.com',
      Test_Joined: '2015-12-25',
      Context_Country: 'UK',
      Context_Preferred_Language: 'en_GB',
    })
  })

  it('rejects a row whose date does not fit the pattern, naming the column', async () => {
    const map = mapping({type: 'customer', columns: {'Customer No': 'externalId', 'Given Name': 'Context_First_Name', Surname: null, 'E-Mail': null, Joined: {to: 'Context_State', transform: [{date: 'MM/DD/YYYY'}]}, Notes: null}})
    const summary = await importInto(store, dir.write('crm.csv', CRM), {mapping: map}, dir)
    expect(summary.rejected).toBe(1)
    expect(summary.firstRejects[0]).toEqual({line: 2, reason: 'Joined: "25/12/2015" is not a date in the form MM/DD/YYYY'})
  })

  it('refuses a mapping file that breaks its schema, naming the problem', async () => {
    const map = mapping({type: 'customer', columns: {a: {field: 'Context_City'}}})
    const error = await importInto(store, dir.write('a.csv', 'a\nx\n'), {mapping: map}, dir).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as Error).message).toMatch(/mapping file .* is not valid/)
  })

  it('refuses a mapping that names a column the file lacks, or maps onto nothing', async () => {
    const file = dir.write('a.csv', 'a\nx\n')
    await expect(importInto(store, file, {mapping: mapping({type: 'customer', columns: {a: 'Context_City', b: 'Context_ZIP'}})}, dir)).rejects.toThrow(/column "b"/)
    await expect(importInto(store, file, {mapping: mapping({type: 'customer', columns: {a: 'No_Such_Field'}})}, dir)).rejects.toThrow(/"a" \(mapped to "No_Such_Field"\)/)
    expect(await allObjects(store)).toEqual([])
  })

  it('refuses two columns that fill the same field', async () => {
    const file = dir.write('a.csv', 'a,Context_City\nx,y\n')
    await expect(importInto(store, file, {mapping: mapping({type: 'customer', columns: {a: 'Context_City'}})}, dir)).rejects.toThrow(/both fill Context_City/)
  })

  it('skips the _line and _reason columns, so a corrected rejects file imports as it is', async () => {
    const file = dir.write('fixed.csv', '_line,_reason,externalId,Context_First_Name\n3,too short,r-2,Grace\n')
    expect(await importInto(store, file, {type: 'customer'}, dir)).toMatchObject({created: 1, rejected: 0})
  })
})

describe('--upsert', () => {
  const first = 'externalId,Context_First_Name,Context_City\nu-1,Ada,London\nu-2,Grace,Arlington\n'

  it('re-running the same import creates nothing new and changes nothing', async () => {
    const file = dir.write('c.csv', first)
    await importInto(store, file, {type: 'customer', upsert: true}, dir)
    const before = await allObjects(store)
    const again = await importInto(store, file, {type: 'customer', upsert: true}, dir, '2026-03-02T00:00:00.000Z')
    expect(again).toMatchObject({read: 2, created: 0, updated: 0, unchanged: 2, rejected: 0})
    expect(await allObjects(store)).toEqual(before)
  })

  it('updates changed rows in place: same id, new lastUpdated, an empty cell clears its field, a missing column keeps it', async () => {
    await importInto(store, dir.write('c.csv', first), {type: 'customer', upsert: true}, dir)
    const before = await byExternalId(store)
    const changed = dir.write('d.csv', 'externalId,Context_City\nu-1,Paris\nu-2,\n')
    const later = '2026-03-02T00:00:00.000Z'
    expect(await importInto(store, changed, {type: 'customer', upsert: true}, dir, later)).toMatchObject({created: 0, updated: 2})
    const after = await byExternalId(store)
    expect(after['u-1']).toEqual({...before['u-1'], data: {Context_First_Name: 'Ada', Context_City: 'Paris'}, lastUpdated: later})
    expect(after['u-2'].data).toEqual({Context_First_Name: 'Grace'})
    expect(after['u-2'].id).toBe(before['u-2'].id)
  })

  it('without --upsert refuses rows whose externalId is already stored, as rejects', async () => {
    const file = dir.write('c.csv', first)
    await importInto(store, file, {type: 'customer'}, dir)
    const again = await importInto(store, file, {type: 'customer'}, dir)
    expect(again).toMatchObject({created: 0, rejected: 2})
    expect(again.firstRejects[0].reason).toMatch(/externalId "u-1".* already exists/)
    expect(await allObjects(store)).toHaveLength(2)
  })

  it('treats a repeated externalId within one file as an update of the row before', async () => {
    const file = dir.write('c.csv', 'externalId,Context_City\nu-1,London\nu-1,Paris\n')
    expect(await importInto(store, file, {type: 'customer', upsert: true}, dir)).toMatchObject({created: 1, updated: 1})
    expect((await allObjects(store)).map((object) => object.data.Context_City)).toEqual(['Paris'])
  })
})

describe('--dry-run', () => {
  it('checks every row and reports what it would do, writing nothing and no rejects file', async () => {
    const file = dir.write('c.csv', 'externalId,Context_Preferred_Language\nd-1,en_US\nd-2,klingon\n')
    const summary = await importInto(store, file, {type: 'customer', dryRun: true, rejects: undefined}, dir)
    expect(summary).toMatchObject({dryRun: true, created: 1, rejected: 1, rejectsFile: null})
    expect(await allObjects(store)).toEqual([])
    expect((await store.info()).initialized).toBe(false)
  })
})

describe('links in CSV imports', () => {
  let customer: ContextObject
  let closed: ContextObject

  beforeEach(async () => {
    customer = fixture('customer', {created: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z'})
    closed = fixture('request', {customerId: customer.id, state: 'closed', closedAt: '2026-02-01T00:00:00.000Z', created: '2026-01-02T00:00:00.000Z', lastUpdated: '2026-02-01T00:00:00.000Z'})
    await store.transaction((tx) => tx.insert([customer, closed]))
  })

  it('imports requests for existing customers and rejects one whose customer does not exist', async () => {
    const file = dir.write('r.csv', `externalId,customerId,Context_Title\nr-1,${customer.id},Refund\nr-2,5d3c1a2b-1111-4222-8333-444455556666,Lost\n`)
    const summary = await importInto(store, file, {type: 'request'}, dir)
    expect(summary).toMatchObject({created: 1, rejected: 1})
    expect(summary.firstRejects[0].reason).toContain('does not exist')
    expect((await byExternalId(store))['r-1']).toMatchObject({state: 'active', customerId: customer.id, data: {Context_Title: 'Refund'}})
  })

  it('gives an activity in a request the request’s customer, and refuses new work in a closed request but not its history', async () => {
    const file = dir.write(
      'a.csv',
      `externalId,parentId,mediaType,tags,created,Context_Notes\n` +
        `a-1,${closed.id},voice,billing|vip,2026-01-15T00:00:00.000Z,before it closed\n` +
        `a-2,${closed.id},chat,,,added today\n`,
    )
    const summary = await importInto(store, file, {type: 'activity'}, dir)
    expect(summary).toMatchObject({created: 1, rejected: 1})
    expect(summary.firstRejects[0].reason).toMatch(/closed/)
    expect((await byExternalId(store))['a-1']).toMatchObject({customerId: customer.id, parentId: closed.id, tags: ['billing', 'vip']})
  })

  it('counts new work in an active request as an update of the request, but not restored history', async () => {
    const open = fixture('request', {customerId: customer.id, created: '2026-01-03T00:00:00.000Z', lastUpdated: '2026-01-03T00:00:00.000Z'})
    await store.transaction((tx) => tx.insert([open]))
    const history = dir.write('h.csv', `parentId,mediaType,created,lastUpdated\n${open.id},web,2026-01-04T00:00:00.000Z,2026-01-04T00:00:00.000Z\n`)
    await importInto(store, history, {type: 'activity'}, dir)
    expect((await store.get(open.id))?.lastUpdated).toBe('2026-01-03T00:00:00.000Z')
    await importInto(store, dir.write('n.csv', `parentId,mediaType\n${open.id},email\n`), {type: 'activity'}, dir)
    expect((await store.get(open.id))?.lastUpdated).toBe(NOW)
  })

  it('refuses to change a closed request through --upsert', async () => {
    const file = dir.write('r.csv', `id,customerId,state,Context_Title\n${closed.id},${customer.id},active,Reopened\n`)
    const summary = await importInto(store, file, {type: 'request', upsert: true}, dir)
    expect(summary).toMatchObject({updated: 0, rejected: 1})
    expect(summary.firstRejects[0].reason).toMatch(/is closed/)
  })
})

describe('stores that commit an import in batches', () => {
  /** A memory store that commits every three rows, as a database adapter commits every few thousand. */
  function batchedStore(): Store {
    const batched = memoryStore()
    Object.defineProperty(batched, 'capabilities', {value: {...batched.capabilities, importBatchSize: 3}})
    return batched
  }

  const rows = (count: number) => Array.from({length: count}, (_, index) => `b-${index},Name ${index}`).join('\n')

  it('keeps the batches committed before a malformed line, and a re-run with --upsert finishes without duplicates', async () => {
    const batched = batchedStore()
    const broken = dir.write('broken.csv', `externalId,Context_First_Name\n${rows(7)}\nb-7,"never closed\n${rows(10).split('\n').slice(8).join('\n')}\n`)
    await expect(importInto(batched, broken, {type: 'customer', upsert: true}, dir)).rejects.toBeInstanceOf(InvalidDataError)
    expect((await allObjects(batched)).map((object) => object.externalId)).toEqual(['b-0', 'b-1', 'b-2', 'b-3', 'b-4', 'b-5'])

    const fixed = dir.write('fixed.csv', `externalId,Context_First_Name\n${rows(10)}\n`)
    expect(await importInto(batched, fixed, {type: 'customer', upsert: true}, dir)).toMatchObject({read: 10, created: 4, unchanged: 6})
    expect((await allObjects(batched)).map((object) => object.externalId)).toEqual(Array.from({length: 10}, (_, index) => `b-${index}`))
  })

  it('links records to objects committed in earlier batches', async () => {
    const batched = batchedStore()
    const customers = Array.from({length: 4}, (_, index) => fixture('customer', {externalId: `c-${index}`}))
    const requests = customers.map((customer) => fixture('request', {customerId: customer.id}))
    const file = dir.write('links.jsonl', [...customers, ...requests].map((object) => JSON.stringify(object)).join('\n'))
    expect(await importInto(batched, file, {}, dir)).toMatchObject({created: 8, rejected: 0})
  })

  it('still checks a dry run as one whole, writing nothing', async () => {
    const batched = batchedStore()
    const file = dir.write('c.csv', `externalId,Context_First_Name\n${rows(8)}\n`)
    expect(await importInto(batched, file, {type: 'customer', dryRun: true}, dir)).toMatchObject({created: 8})
    expect(await allObjects(batched)).toEqual([])
  })
})
