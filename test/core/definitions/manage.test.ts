import {beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../../src/core/clock.js'
import {fieldPatch, fieldsetPatch, isEmptyPatch, patchField, patchFieldset} from '../../../src/core/definitions/edit.js'
import {
  applyDefinitions,
  createDefinition,
  deleteDefinition,
  fieldsetUsage,
  listFields,
  listFieldsets,
  planDefinitions,
  updateDefinition,
} from '../../../src/core/definitions/manage.js'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import {ConflictError, InvalidDataError, NotFoundError, UsageError} from '../../../src/core/errors.js'
import {newId} from '../../../src/core/ids.js'
import type {ContextObject} from '../../../src/core/model.js'
import {openStore} from '../../../src/core/storage/open.js'
import type {Store} from '../../../src/core/storage/store.js'

let store: Store
let count = 0
const tier = {
  id: 'Acme_Tier',
  dataType: 'string',
  classification: 'UNENCRYPTED',
  translations: {en_US: 'Tier'},
  enum: [{value: 'gold'}, {value: 'silver'}],
}
const score = {id: 'Acme_Score', dataType: 'integer', classification: 'UNENCRYPTED'}
const file = {fields: [tier, score], fieldsets: [{id: 'acme.support', description: 'Support', fields: ['Acme_Tier', 'Acme_Score']}]}

async function useFieldset(fieldset: string, times = 1): Promise<string[]> {
  const objects: ContextObject[] = Array.from({length: times}, (_, index) => ({
    id: newId(),
    type: 'customer',
    fieldsets: [fieldset],
    data: {},
    created: `2026-01-01T00:00:0${index}.000Z`,
    lastUpdated: `2026-01-01T00:00:0${index}.000Z`,
  }))
  await store.transaction((tx) => tx.insert(objects))
  return objects.map((object) => object.id)
}

async function refusal(promise: Promise<unknown>, kind: new (...args: never[]) => Error): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(kind)
  return error as Error
}

beforeEach(async () => {
  store = await openStore(`memory:manage-${process.pid}-${count++}`, {clock: systemClock})
})

describe('fields apply', () => {
  it('creates what is missing, then changes nothing when the same file is applied again', async () => {
    const first = await applyDefinitions(store, file)
    expect(first.created).toEqual([
      {kind: 'field', id: 'Acme_Tier'},
      {kind: 'field', id: 'Acme_Score'},
      {kind: 'fieldset', id: 'acme.support'},
    ])
    const second = await applyDefinitions(store, file)
    expect(second).toEqual({created: [], updated: [], unchanged: first.created, dryRun: false})
  })

  it('treats defaults written out or left out as the same definition', async () => {
    await applyDefinitions(store, file)
    const explicit = {...file, fields: [{...tier, searchable: true, enum: tier.enum.map((item) => ({...item, active: true}))}]}
    expect((await applyDefinitions(store, explicit)).updated).toEqual([])
  })

  it('updates what differs and names the properties that change', async () => {
    await applyDefinitions(store, file)
    const plan = await applyDefinitions(store, {fields: [{...score, translations: {en_US: 'Score'}, required: true}]})
    expect(plan.updated).toEqual([{kind: 'field', id: 'Acme_Score', changes: ['translations', 'required']}])
    expect((await store.definitions()).fields.Acme_Score.required).toBe(true)
  })

  it('writes nothing on a dry run, yet reports the plan and its refusals', async () => {
    const plan = await applyDefinitions(store, file, {dryRun: true})
    expect(plan.created).toHaveLength(3)
    expect(plan.dryRun).toBe(true)
    expect((await store.definitions()).fields.Acme_Tier).toBeUndefined()
    await refusal(applyDefinitions(store, {fields: [{...score, dataType: 'long', id: 'Context_Rating'}]}, {dryRun: true}), ConflictError)
  })

  it('never deletes what the file leaves out', async () => {
    await applyDefinitions(store, file)
    const plan = await applyDefinitions(store, {fields: [score]})
    expect(plan.unchanged).toEqual([{kind: 'field', id: 'Acme_Score'}])
    expect((await store.definitions()).fields.Acme_Tier).toBeDefined()
  })

  it('refuses a fieldset naming a field neither the file nor the store defines, writing nothing', async () => {
    const error = await refusal(applyDefinitions(store, {fields: [score], fieldsets: [{id: 'acme', fields: ['Acme_Score', 'Nope']}]}), InvalidDataError)
    expect(error.message).toContain('Nope')
    expect((await store.definitions()).fields.Acme_Score).toBeUndefined()
  })

  it('plans without a store: created, updated and unchanged', () => {
    const before = baseDefinitions()
    const {plan, after} = planDefinitions(before, {fields: [{...before.fields.Context_City, translations: {en_US: 'Town'}}, score as never]})
    expect(plan).toEqual({created: [{kind: 'field', id: 'Acme_Score'}], updated: [{kind: 'field', id: 'Context_City', changes: ['translations']}], unchanged: []})
    expect(after.fields.Context_City.translations).toEqual({en_US: 'Town'})
    expect(before.fields.Context_City.translations).toEqual({en_US: 'City'})
  })
})

describe('protection rules', () => {
  beforeEach(async () => {
    await applyDefinitions(store, file)
  })

  it('refuses to delete a field a fieldset holds, naming the fieldset', async () => {
    const error = await refusal(deleteDefinition(store, 'field', 'Acme_Score'), ConflictError)
    expect(error.message).toContain('acme.support')
  })

  it('deletes a field no fieldset holds', async () => {
    await createDefinition(store, 'field', {id: 'Loose', dataType: 'boolean', classification: 'UNENCRYPTED'})
    expect(await deleteDefinition(store, 'field', 'Loose')).toEqual({kind: 'field', id: 'Loose', deleted: true})
    expect((await store.definitions()).fields.Loose).toBeUndefined()
  })

  it('refuses a new dataType for a held field, and allows it for a loose one', async () => {
    await refusal(updateDefinition(store, 'field', 'Acme_Score', {patch: {dataType: 'long'}}), ConflictError)
    await createDefinition(store, 'field', {id: 'Loose', dataType: 'boolean', classification: 'UNENCRYPTED'})
    expect((await updateDefinition(store, 'field', 'Loose', {patch: {dataType: 'date'}})).dataType).toBe('date')
  })

  it('refuses to remove an enum value from a held field but lets it be deactivated', async () => {
    await refusal(updateDefinition(store, 'field', 'Acme_Tier', {replace: {...tier, enum: [{value: 'gold'}]}}), ConflictError)
    const updated = await updateDefinition(store, 'field', 'Acme_Tier', {patch: {deactivateEnum: ['silver']}})
    expect(updated.enum).toEqual([
      {value: 'gold', active: true},
      {value: 'silver', active: false},
    ])
  })

  it('refuses to delete a fieldset objects use, with a count and a few ids', async () => {
    const ids = await useFieldset('acme.support', 7)
    const error = (await refusal(deleteDefinition(store, 'fieldset', 'acme.support'), ConflictError)) as ConflictError
    expect(error.exitCode).toBe(4)
    expect(error.message).toContain('7 objects')
    const usage = (error.details!.refusals as {usedBy: {count: number; ids: string[]}}[])[0].usedBy
    expect(usage.count).toBe(7)
    expect(usage.ids).toHaveLength(5)
    for (const id of usage.ids) expect(ids).toContain(id)
  })

  it('deletes a fieldset nothing uses', async () => {
    await deleteDefinition(store, 'fieldset', 'acme.support')
    expect((await store.definitions()).fieldsets['acme.support']).toBeUndefined()
  })

  it('lets a used fieldset move fields to inactiveFields and back, but not drop them', async () => {
    await useFieldset('acme.support')
    const inactive = await updateDefinition(store, 'fieldset', 'acme.support', {patch: {inactiveFields: ['Acme_Score']}})
    expect(inactive).toMatchObject({fields: ['Acme_Tier'], inactiveFields: ['Acme_Score']})
    await refusal(updateDefinition(store, 'fieldset', 'acme.support', {patch: {removeFields: ['Acme_Score']}}), ConflictError)
    const back = await updateDefinition(store, 'fieldset', 'acme.support', {patch: {fields: ['Acme_Score']}})
    expect(back).toMatchObject({fields: ['Acme_Tier', 'Acme_Score'], inactiveFields: []})
  })

  it('lets an unused fieldset drop a field', async () => {
    expect((await updateDefinition(store, 'fieldset', 'acme.support', {patch: {removeFields: ['Acme_Score']}})).fields).toEqual(['Acme_Tier'])
  })

  it('keeps base definitions: no deleting, base fields stay active in base fieldsets, labels may change', async () => {
    await refusal(deleteDefinition(store, 'fieldset', 'cisco.base.request'), ConflictError)
    await refusal(updateDefinition(store, 'fieldset', 'cisco.base.request', {patch: {inactiveFields: ['Context_Title']}}), ConflictError)
    await refusal(updateDefinition(store, 'field', 'Context_Title', {patch: {dataType: 'integer', unset: ['maxLength']}}), ConflictError)
    const relabelled = await updateDefinition(store, 'field', 'Context_Title', {patch: {translations: {fr_FR: 'Titre'}}})
    expect(relabelled.translations).toEqual({en_US: 'Title', fr_FR: 'Titre'})
    expect((await updateDefinition(store, 'fieldset', 'cisco.base.request', {patch: {fields: ['Acme_Score']}})).fields).toContain('Acme_Score')
  })
})

describe('create, update, list', () => {
  it('refuses to create what exists (also in another case), and to update what does not', async () => {
    await refusal(createDefinition(store, 'field', {...score, id: 'context_city'}), ConflictError)
    await refusal(createDefinition(store, 'fieldset', {id: 'cisco.base.customer', fields: []}), ConflictError)
    await refusal(updateDefinition(store, 'field', 'Nope', {patch: {description: 'x'}}), NotFoundError)
  })

  it('refuses a replacement whose id differs from the one named', async () => {
    await createDefinition(store, 'field', score)
    await refusal(updateDefinition(store, 'field', 'Acme_Score', {replace: {...score, id: 'Other'}}), UsageError)
  })

  it('lists fields with labels and the fieldsets holding them, fieldsets with the objects using them', async () => {
    await applyDefinitions(store, file)
    await useFieldset('acme.support', 2)
    const fields = await listFields(store)
    expect(fields.find((field) => field.id === 'Acme_Tier')).toMatchObject({label: 'Tier', searchable: true, usedBy: ['acme.support']})
    expect(fields.find((field) => field.id === 'Context_City')).toMatchObject({label: 'City', usedBy: ['cisco.base.customer']})
    const fieldsets = await listFieldsets(store)
    expect(fieldsets.find((fieldset) => fieldset.id === 'acme.support')?.objects).toBe(2)
    expect(await fieldsetUsage(store, 'ACME.SUPPORT')).toMatchObject({count: 2})
  })
})

describe('building definitions from flags', () => {
  it('patches a field: removals, then values, enum values added, relabelled and deactivated', () => {
    const base = {id: 'T', dataType: 'string' as const, classification: 'PII' as const, maxLength: 3, enum: [{value: 'a'}]}
    expect(
      patchField(base, {unset: ['maxLength'], translations: {en_US: 'Tee'}, enumValues: [{value: 'b', label: 'Bee'}], deactivateEnum: ['a']}),
    ).toEqual({
      id: 'T',
      dataType: 'string',
      classification: 'PII',
      translations: {en_US: 'Tee'},
      enum: [
        {value: 'a', active: false},
        {value: 'b', active: true, translations: {en_US: 'Bee'}},
      ],
    })
    expect(() => patchField(base, {deactivateEnum: ['z']})).toThrow(UsageError)
  })

  it('patches a fieldset so each field is in exactly one list', () => {
    const base = {id: 'S', fields: ['a', 'b'], inactiveFields: ['c']}
    expect(patchFieldset(base, {fields: ['c'], inactiveFields: ['a'], removeFields: ['b']})).toEqual({id: 'S', fields: ['c'], inactiveFields: ['a']})
  })

  it('reads flags into patches: labels, translations, enum values with labels, and nothing given is an empty patch', () => {
    const patch = fieldPatch({label: 'Tier', translation: ['fr_FR=Niveau', 'de_DE='], enum: ['gold=Gold', 'tin'], searchable: false})
    expect(patch).toMatchObject({
      translations: {en_US: 'Tier', fr_FR: 'Niveau', de_DE: null},
      enumValues: [{value: 'gold', label: 'Gold'}, {value: 'tin'}],
      searchable: false,
    })
    expect(isEmptyPatch(patch)).toBe(false)
    expect(isEmptyPatch(fieldPatch({}))).toBe(true)
    expect(isEmptyPatch(fieldsetPatch({}))).toBe(true)
    expect(fieldsetPatch({description: ''})).toMatchObject({unsetDescription: true})
    expect(() => fieldPatch({translation: ['fr']})).toThrow(UsageError)
    expect(() => fieldPatch({unset: ['id']})).toThrow(UsageError)
  })
})
