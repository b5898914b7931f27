// Context Service exports in and out (src/core/io/context-service.ts, import.ts, export.ts,
// infer.ts): Cisco's own sample, the Gson shape compact and pretty, what is refused and why, the
// definitions an export needs, and the round trips CS → ctx → CS → ctx and JSON Lines with definitions.
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {applyDefinitions} from '../../../src/core/definitions/manage.js'
import {InvalidDataError} from '../../../src/core/errors.js'
import {exportContextService} from '../../../src/core/io/export.js'
import {inferDefinitions} from '../../../src/core/io/infer.js'
import type {ContextObject} from '../../../src/core/model.js'
import type {Store} from '../../../src/core/storage/store.js'
import {allObjects, exportText, importInto, memoryStore, type Scratch, scratch} from './helpers.js'

const CS = fileURLToPath(new URL('../../fixtures/context-service/', import.meta.url))
const COMPACT = join(CS, 'export-compact')
const PRETTY = join(CS, 'export-pretty')
const C1 = '3f1a2b4c-5d6e-11e7-9598-0800200c9a66'
const C2 = '4a2b3c4d-5d6e-11e7-9598-0800200c9a66'
const R1 = '5b3c4d5e-5d6e-11e7-9598-0800200c9a66'
const P1 = '6c4d5e6f-5d6e-11e7-9598-0800200c9a66'
const P2 = '7d5e6f70-5d6e-11e7-9598-0800200c9a66'

let dir: Scratch
beforeAll(() => {
  dir = scratch()
})
afterAll(() => dir.cleanup())

/** A memory store holding what `fields infer` says the export needs, as an admin would apply it. */
async function storeFor(export_: string): Promise<Store> {
  const store = memoryStore()
  const inferred = await inferDefinitions(await store.definitions(), {path: export_})
  await applyDefinitions(store, inferred.definitions)
  return store
}

async function byId(store: Store): Promise<Record<string, ContextObject>> {
  return Object.fromEntries((await allObjects(store)).map((object) => [object.id, object]))
}

/** A scratch export directory of the given files (name → array). */
function exportDir(name: string, files: Record<string, unknown[]>): string {
  const path = dir.path(name)
  mkdirSync(path, {recursive: true})
  for (const [file, objects] of Object.entries(files)) writeFileSync(join(path, file), JSON.stringify(objects))
  return path
}

describe("Cisco's sample customer.json", () => {
  it('imports as one customer with every field, Context_ZIP included', async () => {
    const store = memoryStore()
    const summary = await importInto(store, join(CS, 'cisco-sample', 'customer.json'), {}, dir)
    expect(summary).toMatchObject({format: 'cs-json', read: 1, created: 1, rejected: 0})
    const [customer] = await allObjects(store)
    expect(customer).toMatchObject({
      type: 'customer',
      fieldsets: ['cisco.base.customer'],
      data: {
        Context_City: 'Detroit',
        Context_Country: 'US',
        Context_First_Name: 'John',
        Context_Last_Name: 'Doe',
        Context_State: 'MI',
        Context_Street_Address_1: '123 Sesame Street',
        Context_Work_Email: 'john.doe@example.com',
        Context_Work_Phone: '555-555-5555',
        Context_ZIP: '90210',
      },
    })
  })

  it('needs no definitions beyond the base ones', async () => {
    const inferred = await inferDefinitions(await memoryStore().definitions(), {path: join(CS, 'cisco-sample')})
    expect(inferred).toMatchObject({read: 1, definitions: {fields: [], fieldsets: []}})
  })
})

describe('an export directory in the Gson shape', () => {
  it('imports compact and pretty-printed alike: ids, links, UTC timestamps, typed values, escapes decoded', async () => {
    const compact = await storeFor(COMPACT)
    const summary = await importInto(compact, COMPACT, {}, dir)
    expect(summary).toMatchObject({format: 'cs-json', read: 7, created: 7, rejected: 0, ignored: []})
    expect(summary.files).toEqual([
      {file: join(COMPACT, 'customer.json'), type: 'customer', read: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, rejected: 0},
      {file: join(COMPACT, 'request.json'), type: 'request', read: 1, created: 1, updated: 0, unchanged: 0, skipped: 0, rejected: 0},
      {file: join(COMPACT, 'pod.json'), type: 'activity', read: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, rejected: 0},
      {file: join(COMPACT, 'detail.comment.json'), type: 'comment', read: 1, created: 1, updated: 0, unchanged: 0, skipped: 0, rejected: 0},
      {file: join(COMPACT, 'detail.feedback.json'), type: 'feedback', read: 1, created: 1, updated: 0, unchanged: 0, skipped: 0, rejected: 0},
    ])
    const objects = await byId(compact)
    expect(objects[C1]).toEqual({
      id: C1,
      type: 'customer',
      fieldsets: ['cisco.base.customer', 'acme.profile'],
      data: {
        Acme_Balance: 9007199254740991,
        Acme_Rate: 1.5,
        Acme_Score: 42,
        Acme_Secret: '<b>hush</b> & more',
        Acme_Since: '2016-05-01T00:00:00.000Z',
        Acme_Vip: true,
        Context_First_Name: 'Zoë',
        Context_Last_Name: "O'Brien",
        Context_Work_Email: 'zoe+x=y@example.com',
        Context_ZIP: '90210',
      },
      created: '2017-03-01T08:00:00.000Z',
      lastUpdated: '2017-03-02T14:30:00.000Z',
    })
    // The other way round: numbers as text, text as a number, false, a date as epoch milliseconds.
    expect(objects[C2].data).toEqual({
      Acme_Balance: 123456789012,
      Acme_Rate: 2.25,
      Acme_Score: 7,
      Acme_Since: '2016-05-01T00:00:00.000Z',
      Acme_Vip: false,
      Context_First_Name: 'Ann',
      Context_Mobile_Phone: '5550100',
    })
    expect(objects[R1]).toMatchObject({type: 'request', customerId: C1, state: 'active', data: {Context_Title: 'Card <declined> & re-issued', Context_Description: 'x=1'}})
    expect(objects[P1]).toMatchObject({type: 'activity', customerId: C1, parentId: R1, mediaType: 'voice', tags: ['billing', 'vip'], created: '2017-03-02T09:05:00.000Z'})
    expect(objects[P2]).toMatchObject({type: 'activity', customerId: C2, mediaType: 'chat'})
    expect(Object.values(objects).find((object) => object.type === 'comment')).toMatchObject({parentId: P1, state: 'closed', data: {Context_Visible: true}})
    expect(Object.values(objects).find((object) => object.type === 'feedback')).toMatchObject({parentId: R1, data: {Context_Rating: 4, Context_Rating_Scale: 5}})
    for (const object of Object.values(objects)) {
      expect(object).not.toHaveProperty('contributors')
      expect(object).not.toHaveProperty('refUrl')
    }

    const pretty = await storeFor(PRETTY)
    await importInto(pretty, PRETTY, {}, dir)
    expect(await exportText(pretty, {format: 'jsonl'})).toBe(await exportText(compact, {format: 'jsonl'}))
  })

  it('imports one file of it, its type from the name when the objects do not say', async () => {
    const store = await storeFor(COMPACT)
    const summary = await importInto(store, join(COMPACT, 'customer.json'), {}, dir)
    expect(summary).toMatchObject({read: 2, created: 2, rejected: 0})
    expect((await allObjects(store)).map((object) => object.type)).toEqual(['customer', 'customer'])
  })

  it('refuses objects whose fieldsets and fields the store lacks, naming them, and the file and element', async () => {
    const summary = await importInto(memoryStore(), COMPACT, {}, dir)
    expect(summary).toMatchObject({read: 7, created: 0, rejected: 7})
    expect(summary.firstRejects[0]).toMatchObject({file: join(COMPACT, 'customer.json'), index: 0})
    expect(summary.firstRejects[0].reason).toContain('unknown fieldset "acme.profile"')
    expect(summary.firstRejects[0].reason).toContain('Acme_Balance is not a field of')
    // What links to a refused customer is refused in turn, saying so.
    expect(summary.firstRejects[4]).toMatchObject({file: join(COMPACT, 'pod.json'), index: 1})
    expect(summary.firstRejects[4].reason).toContain(`customerId ${C2} of activity ${P2} does not exist`)
  })

  it('refuses a pod whose request is neither stored nor in the export, in a rejects file that names file, element and reason', async () => {
    const orphan = {id: P1, customerId: C1, parentId: R1, mediaType: 'voice', fieldsets: ['cisco.base.pod'], dataElements: [{Context_Notes: 'lost', type: 'string'}]}
    const path = exportDir('dangling', {
      'customer.json': [{id: C1, fieldsets: ['cisco.base.customer'], dataElements: [{Context_First_Name: 'Kim', type: 'string'}]}],
      'request.json': [],
      'pod.json': [orphan],
    })
    const rejects = dir.path('dangling.rejects.json')
    const summary = await importInto(memoryStore(), path, {rejects}, dir)
    expect(summary).toMatchObject({created: 1, rejected: 1, rejectsFile: rejects})
    const reason = `parentId ${R1} of activity ${P1} does not exist`
    expect(summary.firstRejects).toEqual([{line: 0, file: join(path, 'pod.json'), index: 0, reason: expect.stringContaining(reason)}])
    const rejected = JSON.parse(readFileSync(rejects, 'utf8')) as Record<string, unknown>[]
    expect(rejected).toEqual([{_file: join(path, 'pod.json'), _index: 0, _reason: expect.stringContaining(reason), ...orphan, type: 'pod'}])
    expect(statSync(rejects).mode & 0o777).toBe(0o600)
    // Corrected (the request restored), the rejects file imports as it is.
    const store = memoryStore()
    await importInto(store, path, {}, dir)
    const request = {id: R1, customerId: C1, fieldsets: ['cisco.base.request'], dataElements: [{Context_Title: 'Found', type: 'string'}]}
    writeFileSync(dir.path('request.json'), JSON.stringify([request]))
    await importInto(store, dir.path('request.json'), {}, dir)
    expect(await importInto(store, rejects, {format: 'cs-json'}, dir)).toMatchObject({created: 1, rejected: 0})
  })

  it.each([
    [{Context_First_Name: 'A', Context_Last_Name: 'B', type: 'string'}, 'has 2 field keys (Context_First_Name, Context_Last_Name)'],
    [{type: 'string'}, 'has no field key'],
    [{Context_First_Name: 'A'}, 'dataElement Context_First_Name has no "type"'],
    [{Context_First_Name: 'A', type: 'text'}, 'unknown type "text"'],
    [{Context_ZIP: 'abc', type: 'integer'}, 'field Context_ZIP takes an integer'],
    [{Context_ZIP: '9007199254740993', type: 'long'}, 'field Context_ZIP takes a long'],
    [{Context_ZIP: {nested: 1}, type: 'string'}, 'holds an object'],
  ])('refuses the data element %j', async (element, reason) => {
    const path = exportDir(`element-${Math.random().toString(36).slice(2)}`, {'customer.json': [{fieldsets: ['cisco.base.customer'], dataElements: [element]}]})
    const summary = await importInto(memoryStore(), path, {}, dir)
    expect(summary.rejected).toBe(1)
    expect(summary.firstRejects[0].reason).toContain(reason)
  })

  it('stops at a file that is not one JSON array, naming it (exit 5)', async () => {
    const path = exportDir('cut', {})
    writeFileSync(join(path, 'customer.json'), '[{"fieldsets": ["cisco.base.customer"], "dataElements": []}, {"fieldsets": [')
    const error = await importInto(memoryStore(), path, {}, dir).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).where).toBe(join(path, 'customer.json'))
  })

  it('finishes a re-run with --upsert: every object once, nothing changed', async () => {
    const store = await storeFor(COMPACT)
    await importInto(store, COMPACT, {}, dir)
    const before = await exportText(store, {format: 'jsonl'})
    expect(await importInto(store, COMPACT, {upsert: true}, dir)).toMatchObject({read: 7, created: 0, unchanged: 7, rejected: 0})
    expect(await exportText(store, {format: 'jsonl'})).toBe(before)
  })
})

describe('fields infer', () => {
  it('types fields by their elements, classifies them as given, and leaves out what the store defines', async () => {
    const store = memoryStore()
    const inferred = await inferDefinitions(await store.definitions(), {path: COMPACT})
    expect(inferred.read).toBe(7)
    expect(inferred.definitions).toEqual({
      fields: [
        {id: 'Acme_Balance', dataType: 'long', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Acme_Rate', dataType: 'double', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Acme_Score', dataType: 'integer', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Acme_Secret', dataType: 'string', classification: 'ENCRYPTED', searchable: true},
        {id: 'Acme_Since', dataType: 'date', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Acme_Vip', dataType: 'boolean', classification: 'UNENCRYPTED', searchable: true},
      ],
      fieldsets: [{id: 'acme.profile', fields: ['Acme_Balance', 'Acme_Rate', 'Acme_Score', 'Acme_Secret', 'Acme_Since', 'Acme_Vip']}],
    })
    await applyDefinitions(store, inferred.definitions)
    expect((await inferDefinitions(await store.definitions(), {path: COMPACT})).definitions).toEqual({fields: [], fieldsets: []})
    // Nothing was written to the store by inferring.
    expect(await allObjects(store)).toEqual([])
  })

  it('adds a new field to the store fieldset the object names, widening a number type that disagrees', async () => {
    const path = exportDir('widen', {
      'customer.json': [
        {fieldsets: ['cisco.base.customer'], dataElements: [{Acme_Count: 1, type: 'integer'}]},
        {fieldsets: ['cisco.base.customer'], dataElements: [{Acme_Count: 1.5, type: 'double'}, {Context_City: 'Lyon', type: 'string'}]},
      ],
    })
    const store = memoryStore()
    const inferred = await inferDefinitions(await store.definitions(), {path})
    expect(inferred.definitions.fields).toEqual([{id: 'Acme_Count', dataType: 'double', classification: 'UNENCRYPTED', searchable: true}])
    const base = (await store.definitions()).fieldsets['cisco.base.customer']
    expect(inferred.definitions.fieldsets).toEqual([{...base, fields: [...base.fields, 'Acme_Count']}])
    expect(inferred.warnings).toEqual(['Acme_Count is given as integer and as double: double chosen; review it'])
  })

  it('reads JSON Lines (typed by value) and a CSV header (text fields in one fieldset)', async () => {
    const jsonl = dir.write('infer.jsonl', `${JSON.stringify({type: 'customer', fieldsets: ['crm.x'], data: {Crm_Id: 12, Crm_Big: 2 ** 40, Crm_Ok: true, Crm_Name: 'x', Context_City: 'Lyon'}})}\n`)
    const store = memoryStore()
    expect((await inferDefinitions(await store.definitions(), {path: jsonl})).definitions).toEqual({
      fields: [
        {id: 'Crm_Big', dataType: 'long', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Crm_Id', dataType: 'integer', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Crm_Name', dataType: 'string', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Crm_Ok', dataType: 'boolean', classification: 'UNENCRYPTED', searchable: true},
      ],
      fieldsets: [{id: 'crm.x', fields: ['Context_City', 'Crm_Big', 'Crm_Id', 'Crm_Name', 'Crm_Ok']}],
    })
    const csv = dir.write('infer.csv', 'externalId,Context_First_Name,Crm_Tier,Crm_Region\nk1,Ann,gold,EU\n')
    expect((await inferDefinitions(await store.definitions(), {path: csv, fieldset: 'crm.contact'})).definitions).toEqual({
      fields: [
        {id: 'Crm_Region', dataType: 'string', classification: 'UNENCRYPTED', searchable: true},
        {id: 'Crm_Tier', dataType: 'string', classification: 'UNENCRYPTED', searchable: true},
      ],
      fieldsets: [{id: 'crm.contact', fields: ['Crm_Region', 'Crm_Tier']}],
    })
  })
})

describe('round trips', () => {
  it('CS export → ctx → CS export → ctx gives the same store, byte for byte in JSON Lines', async () => {
    const first = await storeFor(COMPACT)
    await importInto(first, COMPACT, {}, dir)
    const out = dir.path('cs-out')
    const summary = await exportContextService(first, out)
    expect(summary).toMatchObject({format: 'cs-json', exported: 7, counts: {customer: 2, request: 1, activity: 2, comment: 1, feedback: 1}})
    for (const file of ['customer.json', 'request.json', 'pod.json', 'detail.comment.json', 'detail.feedback.json']) {
      expect(statSync(join(out, file)).mode & 0o777).toBe(0o600)
    }
    const written = JSON.parse(readFileSync(join(out, 'pod.json'), 'utf8')) as Record<string, unknown>[]
    expect(written[0]).toMatchObject({id: P1, type: 'pod', customerId: C1, parentId: R1, dataElements: expect.arrayContaining([{Context_Notes: 'Called about a declined card.', type: 'string', classification: 'ENCRYPTED'}])})

    const second = await storeFor(out)
    expect(await importInto(second, out, {}, dir)).toMatchObject({created: 7, rejected: 0})
    expect(await exportText(second, {format: 'jsonl'})).toBe(await exportText(first, {format: 'jsonl'}))
  })

  it('writes customer, request and pod files even when empty, and detail files only when there are details; pretty on request', async () => {
    const store = memoryStore()
    const out = dir.path('cs-empty')
    mkdirSync(out)
    writeFileSync(join(out, 'detail.comment.json'), '[{"stale": true}]')
    await exportContextService(store, out, {pretty: true})
    expect(['customer.json', 'request.json', 'pod.json'].map((file) => readFileSync(join(out, file), 'utf8'))).toEqual(['[\n]\n', '[\n]\n', '[\n]\n'])
    expect(() => statSync(join(out, 'detail.comment.json'))).toThrow()
  })

  it('a whole-store JSON Lines export carries its definitions: another store imports it as it is', async () => {
    const first = await storeFor(COMPACT)
    await importInto(first, COMPACT, {}, dir)
    const backup = dir.write('backup.jsonl', await exportText(first, {format: 'jsonl'}))
    expect(JSON.parse(readFileSync(backup, 'utf8').split('\n')[0])).toMatchObject({type: 'definitions', fieldsets: [{id: 'acme.profile'}]})

    const dry = memoryStore()
    const planned = await importInto(dry, backup, {dryRun: true}, dir)
    expect(planned).toMatchObject({dryRun: true, created: 7, rejected: 0, definitions: {dryRun: true}})
    expect((await dry.definitions()).fieldsets['acme.profile']).toBeUndefined()

    const other = memoryStore()
    const summary = await importInto(other, backup, {}, dir)
    expect(summary).toMatchObject({read: 7, created: 7, rejected: 0})
    expect(summary.definitions?.created).toContainEqual({kind: 'fieldset', id: 'acme.profile'})
    expect(await exportText(other, {format: 'jsonl'})).toBe(readFileSync(backup, 'utf8'))

    const without = await importInto(memoryStore(), backup, {definitions: false}, dir)
    expect(without).toMatchObject({created: 0, rejected: 7, definitions: null})
    expect(await exportText(first, {format: 'jsonl', definitions: false})).not.toContain('"type":"definitions"')
  })

  it('leaves the definitions line out of a store with only the base definitions', async () => {
    const store = memoryStore()
    await importInto(store, join(CS, 'cisco-sample', 'customer.json'), {}, dir)
    expect((await exportText(store, {format: 'jsonl'})).split('\n')[0]).toContain('"type":"customer"')
  })
})
