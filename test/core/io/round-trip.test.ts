// JSON Lines and CSV round trips of a store holding every type and every awkward value, and JSON
// Lines damage handling (Context Service exports: context-service.test.ts).
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {InvalidDataError} from '../../../src/core/errors.js'
import {csvColumns} from '../../../src/core/io/export.js'
import {LINK_ORDER, type ContextObject} from '../../../src/core/model.js'
import type {Store} from '../../../src/core/storage/store.js'
import {allObjects, exportText, importInto, memoryStore, type Scratch, scratch} from './helpers.js'

let dir: Scratch

beforeEach(() => {
  dir = scratch()
})

afterEach(() => dir.cleanup())

const at = (day: number, hour = 0) => new Date(Date.UTC(2026, 0, day, hour)).toISOString()

/** A small store with every type, link and awkward value the formats must carry. */
function sampleObjects(): ContextObject[] {
  const ids = ['0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a01', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a02', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a03', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a04', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a05', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a06', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a07', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a08', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a09']
  const [ada, zoe, refund, lost, call, chat, comment, feedback, note] = ids
  return [
    {id: ada, type: 'customer', tags: ['vip', 'gold'], fieldsets: ['cisco.base.customer'], data: {Context_First_Name: 'Ada "the Countess"', Context_Last_Name: 'Lovelace', Context_City: 'London,\r\nUK', Context_Street_Address_2: ''}, externalId: 'crm-1', created: at(1), lastUpdated: at(2)},
    {id: zoe, type: 'customer', tags: ['a|b', ' spaced ', '[x]'], fieldsets: ['cisco.base.customer'], data: {Context_First_Name: 'Zoë 🦄', Context_Last_Name: '=1+2', Context_Preferred_Language: 'fr_FR'}, created: at(1, 5), lastUpdated: at(1, 5)},
    {id: refund, type: 'request', customerId: ada, state: 'closed', tags: [], fieldsets: ['cisco.base.request'], data: {Context_Title: 'Refund', Context_Description: 'line 1\nline 2'}, externalId: 'tk-1', created: at(2), lastUpdated: at(6), closedAt: at(6), closeReason: 'auto'},
    {id: lost, type: 'request', customerId: zoe, state: 'active', fieldsets: ['cisco.base.request'], data: {Context_Title: 'Lost card'}, created: at(3), lastUpdated: at(3)},
    {id: call, type: 'activity', customerId: ada, parentId: refund, mediaType: 'voice', tags: ['billing'], fieldsets: ['cisco.base.pod'], data: {Context_Notes: '-5 € refund; "quoted"'}, created: at(2, 1), lastUpdated: at(2, 1)},
    {id: chat, type: 'activity', customerId: zoe, mediaType: 'chat', tags: [], fieldsets: ['cisco.base.pod'], data: {}, created: at(4), lastUpdated: at(4)},
    {id: comment, type: 'comment', parentId: call, state: 'closed', tags: ['system'], fieldsets: ['cisco.base.comment'], data: {Context_Comment: 'Moved @ 10:00', Context_Visible: false}, created: at(2, 2), lastUpdated: at(2, 2)},
    {id: feedback, type: 'feedback', parentId: refund, state: 'closed', fieldsets: ['cisco.base.rating'], data: {Context_Rating: 4, Context_Rating_Scale: 5}, created: at(5), lastUpdated: at(5)},
    {id: note, type: 'comment', parentId: lost, state: 'closed', fieldsets: ['cisco.base.comment'], data: {Context_Comment: '+ call back'}, created: at(3, 1), lastUpdated: at(3, 1)},
  ]
}

async function sampleStore(): Promise<Store> {
  const store = memoryStore()
  await store.transaction((tx) => tx.insert(sampleObjects()))
  return store
}

describe('JSON Lines', () => {
  it('export → import → export of a whole store gives the same bytes', async () => {
    const first = await exportText(await sampleStore(), {format: 'jsonl'})
    expect(first.split('\n').filter(Boolean)).toHaveLength(9)
    const restored = memoryStore()
    const summary = await importInto(restored, dir.write('store.jsonl', first), {}, dir)
    expect(summary).toMatchObject({read: 9, created: 9, rejected: 0})
    expect(await exportText(restored, {format: 'jsonl'})).toBe(first)
    expect(await allObjects(restored)).toEqual(await allObjects(await sampleStore()))
  })

  it('writes every type in link order', async () => {
    const lines = (await exportText(await sampleStore(), {format: 'jsonl'})).trim().split('\n')
    const types = lines.map((line) => JSON.parse(line).type as string)
    expect(types).toEqual([...types].sort((a, b) => LINK_ORDER.indexOf(a as never) - LINK_ORDER.indexOf(b as never)))
  })

  it('rejects a cut-off last line, a line with an unknown key and a link to nothing, and keeps the rest', async () => {
    const lines = (await exportText(await sampleStore(), {format: 'jsonl'})).trim().split('\n')
    const unknownKey = JSON.stringify({...JSON.parse(lines[6]), colour: 'blue'})
    const orphan = JSON.stringify({...JSON.parse(lines[8]), parentId: '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5aff'})
    const file = dir.write('damaged.jsonl', [...lines.slice(0, 6), unknownKey, lines[7], orphan, lines[8].slice(0, 40)].join('\n'))
    const store = memoryStore()
    const summary = await importInto(store, file, {}, dir)
    expect(summary).toMatchObject({created: 7, rejected: 3})
    expect(summary.firstRejects.map((row) => row.line)).toEqual([7, 9, 10])
    expect(summary.firstRejects[0].reason).toContain('unknown key "colour"')
    expect(summary.firstRejects[2].reason).toMatch(/^not JSON/)
    const rejects = dir.read('rejects.out').trim().split('\n').map((line) => JSON.parse(line))
    expect(rejects[0]).toMatchObject({_line: 7, colour: 'blue'})
    expect(rejects[2]).toMatchObject({_line: 10, _text: lines[8].slice(0, 40)})
  })

  it('imports only the type asked for, counting the others as skipped', async () => {
    const file = dir.write('store.jsonl', await exportText(await sampleStore(), {format: 'jsonl'}))
    const store = memoryStore()
    expect(await importInto(store, file, {type: 'customer'}, dir)).toMatchObject({created: 2, skipped: 7})
  })

  it('re-imports the same file with --upsert as unchanged', async () => {
    const store = await sampleStore()
    const file = dir.write('store.jsonl', await exportText(store, {format: 'jsonl'}))
    expect(await importInto(store, file, {upsert: true}, dir)).toMatchObject({created: 0, updated: 0, unchanged: 9, rejected: 0})
  })
})

describe('CSV export and import', () => {
  it('gives back the same objects, type by type', async () => {
    const source = await sampleStore()
    const target = memoryStore()
    for (const type of LINK_ORDER) {
      const file = dir.write(`${type}.csv`, await exportText(source, {format: 'csv', type}))
      expect(await importInto(target, file, {type}, dir)).toMatchObject({rejected: 0})
    }
    expect(await allObjects(target)).toEqual(await allObjects(source))
  })

  it('writes the object keys, then the fields of the fieldsets in use, base fieldset first', async () => {
    const store = await sampleStore()
    const definitions = await store.definitions()
    definitions.fields.Loyalty_Points = {id: 'Loyalty_Points', dataType: 'long', classification: 'UNENCRYPTED'}
    definitions.fieldsets['acme.loyalty'] = {id: 'acme.loyalty', fields: ['Loyalty_Points']}
    definitions.fieldsets['zeta.unused'] = {id: 'zeta.unused', fields: ['Context_Title']}
    await store.transaction(async (tx) => {
      await tx.putDefinitions(definitions)
      const [ada] = sampleObjects()
      await tx.update({...ada, fieldsets: ['acme.loyalty', 'cisco.base.customer'], data: {...ada.data, Loyalty_Points: 1200}})
    })
    const columns = await csvColumns(store, 'customer', definitions)
    expect(columns.slice(0, 7)).toEqual(['id', 'externalId', 'tags', 'fieldsets', 'created', 'lastUpdated', 'Context_First_Name'])
    expect(columns.at(-2)).toBe('Context_Preferred_Language')
    expect(columns.at(-1)).toBe('Loyalty_Points')
    expect(columns).not.toContain('Context_Title')
    const csv = await exportText(store, {format: 'csv', type: 'customer'})
    expect(csv.split('\n')[0]).toBe(columns.join(','))
    expect(csv).toContain(',1200\n')
  })

  it('writes lists as a|b, in JSON when an item would not survive that, and [] for an empty list', async () => {
    const csv = await exportText(await sampleStore(), {format: 'csv', type: 'activity'})
    expect(csv).toContain(',billing,')
    expect(csv).toContain(',[],')
    const customers = await exportText(await sampleStore(), {format: 'csv', type: 'customer'})
    expect(customers).toContain(',vip|gold,')
    expect(customers).toContain(`"[""a|b"","" spaced "",""[x]""]"`)
  })

  it('starts with a BOM only when asked, and exports only what changed since an instant', async () => {
    const store = await sampleStore()
    expect((await exportText(store, {format: 'csv', type: 'customer', bom: true})).startsWith('\uFEFFid,')).toBe(true)
    expect((await exportText(store, {format: 'csv', type: 'customer'})).startsWith('id,')).toBe(true)
    const recent = await exportText(store, {format: 'jsonl', since: at(5)})
    expect(recent.trim().split('\n').map((line) => JSON.parse(line).lastUpdated)).toEqual([at(6), at(5)])
  })

  it('refuses CSV without a type', async () => {
    await expect(exportText(await sampleStore(), {format: 'csv'})).rejects.toThrow(/--type/)
  })

  it('refuses to drop a value no column holds, pointing to JSON Lines', async () => {
    const store = memoryStore()
    const [ada] = sampleObjects()
    await store.transaction((tx) => tx.insert([{...ada, data: {Context_Title: 'not a customer field'}}]))
    await expect(exportText(store, {format: 'csv', type: 'customer'})).rejects.toBeInstanceOf(InvalidDataError)
  })
})
