import {Ajv} from 'ajv'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {coerceFieldValue, parseFieldAssignments} from '../../../src/core/definitions/coerce.js'
import {baseDefinitions, type Definitions, type FieldDefinition} from '../../../src/core/definitions/model.js'
import {validateObjectData} from '../../../src/core/definitions/validate.js'
import {InvalidDataError} from '../../../src/core/errors.js'
import type {ContextObject, FieldValue} from '../../../src/core/model.js'

const typed = (dataType: FieldDefinition['dataType'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  id: `F_${dataType}`,
  dataType,
  classification: 'UNENCRYPTED',
  ...extra,
})

function definitionsWith(...fields: FieldDefinition[]): Definitions {
  const definitions = baseDefinitions()
  for (const field of fields) definitions.fields[field.id] = field
  definitions.fieldsets.acme = {id: 'acme', fields: fields.map((field) => field.id), inactiveFields: []}
  return definitions
}

const object = (data: Record<string, FieldValue>, fieldsets = ['acme']): ContextObject => ({
  id: '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b',
  type: 'customer',
  fieldsets,
  data,
  created: '2026-01-01T00:00:00.000Z',
  lastUpdated: '2026-01-01T00:00:00.000Z',
})

function problems(definitions: Definitions, data: Record<string, FieldValue>, previous?: ContextObject, fieldsets?: string[]) {
  try {
    validateObjectData(object(data, fieldsets), definitions, previous)
    return []
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).exitCode).toBe(5)
    return (error as InvalidDataError).details!.problems as {field: string; message: string}[]
  }
}

describe('object data against its fieldsets: every dataType at its boundaries', () => {
  const cases: [FieldDefinition, FieldValue[], FieldValue[]][] = [
    [typed('integer'), [0, -(2 ** 31), 2 ** 31 - 1, 2.0], [2 ** 31, -(2 ** 31) - 1, 2.5, '12', true]],
    [typed('long'), [2 ** 31, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER], [2 ** 53, 1.5, '7']],
    [typed('double'), [12.5, -0.001, 3, 1e300], ['twelve', '12.5', false]],
    [typed('boolean'), [true, false], ['true', 0, 1]],
    [typed('date'), ['2026-01-31', '2026-01-31T09:00:00Z', '2026-01-31T09:00:00.123+02:00'], ['31/01/2026', '2026-02-30', '2026-01-31T09:00:00', '2026-1-3', 20260131]],
    [typed('string', {maxLength: 3, pattern: '^[a-z]+$'}), ['abc', 'a'], ['abcd', 'AB', 3]],
    [
      typed('string', {enum: [{value: 'gold', active: true}, {value: 'tin', active: false}]}),
      ['gold'],
      ['tin', 'silver'],
    ],
  ]
  for (const [field, accepted, refused] of cases) {
    const definitions = definitionsWith(field)
    const label = `${field.dataType}${field.enum ? ' enum' : field.maxLength ? ' with maxLength and pattern' : ''}`
    it(`${label} accepts ${accepted.map((value) => JSON.stringify(value)).join(', ')}`, () => {
      for (const value of accepted) expect(problems(definitions, {[field.id]: value})).toEqual([])
    })
    it(`${label} refuses ${refused.map((value) => JSON.stringify(value)).join(', ')}, naming the field`, () => {
      for (const value of refused) expect(problems(definitions, {[field.id]: value})).toEqual([expect.objectContaining({field: field.id})])
    })
  }

  it('refuses a key that belongs to none of the object’s fieldsets', () => {
    expect(problems(baseDefinitions(), {Context_Title: 'x'}, undefined, ['cisco.base.customer'])).toEqual([
      {field: 'Context_Title', message: 'is not a field of cisco.base.customer'},
    ])
  })

  it('accepts keys from any of several fieldsets, and refuses an unknown fieldset', () => {
    const definitions = definitionsWith(typed('integer'))
    expect(problems(definitions, {F_integer: 1, Context_City: 'Lyon'}, undefined, ['cisco.base.customer', 'acme'])).toEqual([])
    expect(problems(definitions, {}, undefined, ['nope'])).toEqual([expect.objectContaining({field: 'fieldsets'})])
  })

  it('requires a required field', () => {
    const definitions = definitionsWith(typed('integer', {required: true}))
    expect(problems(definitions, {})).toEqual([{field: 'F_integer', message: 'is required'}])
  })

  it('keeps an inactive field’s old value readable but refuses a new or changed one', () => {
    const definitions = definitionsWith(typed('integer'))
    definitions.fieldsets.acme = {id: 'acme', fields: [], inactiveFields: ['F_integer']}
    const previous = object({F_integer: 1})
    expect(problems(definitions, {F_integer: 1}, previous)).toEqual([])
    expect(problems(definitions, {F_integer: 2}, previous)).toEqual([expect.objectContaining({field: 'F_integer'})])
    expect(problems(definitions, {F_integer: 1})).toEqual([expect.objectContaining({message: expect.stringContaining('inactive')})])
  })

  it('keeps an inactive enum value on old data but refuses it as a new value', () => {
    const definitions = definitionsWith(typed('string', {enum: [{value: 'gold'}, {value: 'tin', active: false}]}))
    expect(problems(definitions, {F_string: 'tin'}, object({F_string: 'tin'}))).toEqual([])
    expect(problems(definitions, {F_string: 'tin'}, object({F_string: 'gold'}))).toEqual([
      {field: 'F_string', message: expect.stringContaining('"tin" is inactive')},
    ])
  })
})

describe('fieldset validators', () => {
  afterEach(() => vi.restoreAllMocks())

  it('compile once per fieldset, not per object, and only for fieldsets in use', () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile')
    const definitions = definitionsWith(typed('long', {id: 'Compile_Count'}))
    for (let index = 0; index < 200; index++) validateObjectData(object({Compile_Count: index}), definitions)
    expect(compile).toHaveBeenCalledTimes(1)
  })
})

describe('values typed on the command line', () => {
  it('are coerced by the field’s type', () => {
    expect(coerceFieldValue(typed('double'), '12.5')).toBe(12.5)
    expect(coerceFieldValue(typed('boolean'), 'true')).toBe(true)
    expect(coerceFieldValue(typed('boolean'), 'No')).toBe(false)
    expect(coerceFieldValue(typed('integer'), ' -42 ')).toBe(-42)
    expect(coerceFieldValue(typed('long'), '2147483648')).toBe(2 ** 31)
    expect(coerceFieldValue(typed('date'), '2026-01-31')).toBe('2026-01-31')
  })

  it('are refused with exit 5 when they do not fit, naming the field and the expected type', () => {
    const refusals: [FieldDefinition, string, string][] = [
      [typed('integer'), '2.5', 'an integer'],
      [typed('integer'), '2147483648', 'an integer from -2147483648 to 2147483647'],
      [typed('long'), '9007199254740993', 'a long'],
      [typed('double'), 'twelve', 'a double'],
      [typed('double'), 'Infinity', 'a double'],
      [typed('boolean'), 'maybe', 'a boolean'],
    ]
    for (const [field, text, expected] of refusals) {
      let error: unknown
      try {
        coerceFieldValue(field, text)
      } catch (caught) {
        error = caught
      }
      expect(error, `${field.dataType} ${text}`).toBeInstanceOf(InvalidDataError)
      expect((error as InvalidDataError).message).toContain(field.id)
      expect((error as InvalidDataError).message).toContain(expected)
    }
  })

  it('name an unknown field as invalid data', () => {
    expect(() => parseFieldAssignments(['Nope=1'], baseDefinitions())).toThrow(InvalidDataError)
    expect(parseFieldAssignments(['Context_City=', 'Context_ZIP=69001'], baseDefinitions())).toEqual({Context_City: null, Context_ZIP: '69001'})
  })
})
