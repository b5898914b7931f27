// Validation of object data against its fieldsets (docs/model.md): each fieldset compiles to one JSON
// Schema and one ajv validator, once per process and only when an object uses it.
import type {Ajv, ErrorObject, ValidateFunction} from 'ajv'
import {InvalidDataError} from '../errors.js'
import type {ContextObject, FieldValue} from '../model.js'
import {createAjv} from './ajv.js'
import {type Definitions, type FieldDefinition, fieldOf, type FieldsetDefinition, fieldsetOf, INT32} from './model.js'

let ajv: Ajv | undefined
/** Validators by the schema they were compiled from: a changed definition compiles anew, an unchanged one never. */
const compiled = new Map<string, ValidateFunction>()
/** The same validators by definitions object and fieldset id, so a bulk write does not rebuild schemas per object. */
const byDefinitions = new WeakMap<Definitions, Map<string, ValidateFunction>>()

function sharedAjv(): Ajv {
  ajv ??= createAjv(['date', 'date-time'], {useDefaults: false})
  return ajv
}

export interface FieldProblem {
  field: string
  message: string
}

/** The JSON Schema of one field's value. */
export function fieldSchema(field: FieldDefinition): Record<string, unknown> {
  switch (field.dataType) {
    case 'string': {
      const active = activeEnumValues(field)
      return {
        type: 'string',
        ...(field.maxLength === undefined ? {} : {maxLength: field.maxLength}),
        ...(field.pattern === undefined ? {} : {pattern: field.pattern}),
        ...(active === undefined ? {} : {enum: active}),
      }
    }
    case 'integer':
      return {type: 'integer', minimum: INT32.min, maximum: INT32.max}
    case 'long':
      return {type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER}
    case 'double':
      return {type: 'number'}
    case 'boolean':
      return {type: 'boolean'}
    case 'date':
      return {type: 'string', anyOf: [{format: 'date-time'}, {format: 'date'}]}
  }
}

function activeEnumValues(field: FieldDefinition): string[] | undefined {
  return field.enum?.filter((value) => value.active !== false).map((value) => value.value)
}

/** The JSON Schema a fieldset compiles to: its active fields, and those it requires. */
export function fieldsetSchema(fieldset: FieldsetDefinition, definitions: Definitions): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const id of fieldset.fields) {
    const field = fieldOf(definitions, id)
    if (!field) continue
    properties[id] = fieldSchema(field)
    if (field.required) required.push(id)
  }
  return {type: 'object', properties, required, additionalProperties: false}
}

/** One validator per fieldset and definition version, compiled on first use. */
export function compileFieldset(fieldset: FieldsetDefinition, definitions: Definitions): ValidateFunction {
  let mine = byDefinitions.get(definitions)
  const known = mine?.get(fieldset.id)
  if (known && fieldsetOf(definitions, fieldset.id) === fieldset) return known
  const schema = fieldsetSchema(fieldset, definitions)
  const key = JSON.stringify(schema)
  let validate = compiled.get(key)
  if (!validate) {
    validate = sharedAjv().compile(schema)
    compiled.set(key, validate)
  }
  if (fieldsetOf(definitions, fieldset.id) === fieldset) {
    if (!mine) byDefinitions.set(definitions, (mine = new Map()))
    mine.set(fieldset.id, validate)
  }
  return validate
}

/**
 * Checks that every key of `object.data` belongs to one of its fieldsets and every value matches its
 * field. Inactive things keep old data readable but take no new values: a key only in a fieldset's
 * inactiveFields, or an inactive enum value, is accepted when `previous` already held the same value.
 */
export function validateObjectData(object: ContextObject, definitions: Definitions, previous?: ContextObject | null): void {
  // The common case of bulk writes (one known fieldset holding every key, valid values) is checked
  // on the data as it is, without building slices: the general path below then finds no problem.
  if (object.fieldsets.length === 1) {
    const fieldset = fieldsetOf(definitions, object.fieldsets[0])
    if (fieldset && everyKeyIn(object.data, fieldset.fields) && compileFieldset(fieldset, definitions)(object.data)) return
  }
  const problems: FieldProblem[] = []
  const fieldsets: FieldsetDefinition[] = []
  if (object.fieldsets.length === 0) problems.push({field: 'fieldsets', message: 'an object needs at least one fieldset'})
  for (const id of object.fieldsets) {
    const fieldset = fieldsetOf(definitions, id)
    if (fieldset) fieldsets.push(fieldset)
    else problems.push({field: 'fieldsets', message: `names unknown fieldset "${id}"`})
  }

  const slices = new Map<FieldsetDefinition, Record<string, FieldValue>>(fieldsets.map((fieldset) => [fieldset, {}]))
  for (const [key, value] of Object.entries(object.data)) {
    const owner = fieldsets.find((fieldset) => fieldset.fields.includes(key))
    if (owner) {
      slices.get(owner)![key] = value
      continue
    }
    const retired = fieldsets.find((fieldset) => fieldset.inactiveFields?.includes(key))
    if (retired) {
      if (previous?.data[key] !== value) {
        problems.push({field: key, message: `is inactive in fieldset ${retired.id}: it keeps old values but takes no new ones`})
      }
      continue
    }
    problems.push({field: key, message: `is not a field of ${object.fieldsets.join(', ') || 'any fieldset'}`})
  }

  for (const [fieldset, slice] of slices) {
    const validate = compileFieldset(fieldset, definitions)
    if (validate(slice)) continue
    for (const error of validate.errors ?? []) {
      const problem = describe(error, slice, definitions, previous)
      if (problem && !problems.some((known) => known.field === problem.field)) problems.push(problem)
    }
  }

  if (problems.length > 0) throw dataError(object, problems)
}

function everyKeyIn(data: Record<string, FieldValue>, fields: readonly string[]): boolean {
  for (const key in data) if (!fields.includes(key)) return false
  return true
}

export function dataError(object: Pick<ContextObject, 'type' | 'id'>, problems: FieldProblem[]): InvalidDataError {
  const listed = problems.slice(0, 5).map((problem) => `${problem.field} ${problem.message}`)
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : ''
  return new InvalidDataError(`${object.type} ${object.id}: ${listed.join('; ')}${more}`, {
    where: problems[0]?.field,
    hint: 'Run `ctx fields show FIELD` to see what a field accepts.',
    details: {object: object.id, problems},
  })
}

/** One ajv error in the words of fields; null for an old inactive enum value that is still allowed. */
function describe(error: ErrorObject, slice: Record<string, FieldValue>, definitions: Definitions, previous?: ContextObject | null): FieldProblem | null {
  if (error.keyword === 'required') return {field: String(error.params.missingProperty), message: 'is required'}
  if (error.keyword === 'additionalProperties') {
    return {field: String(error.params.additionalProperty), message: 'has no definition in this store'}
  }
  const fieldId = error.instancePath.split('/')[1] ?? ''
  const field = fieldOf(definitions, fieldId)
  const value = slice[fieldId]
  if (field && error.keyword === 'enum' && field.enum?.some((item) => item.value === value && item.active === false)) {
    if (previous?.data[fieldId] === value) return null
    return {field: fieldId, message: `value ${shown(value)} is inactive: it stays on old data but is not accepted as a new value`}
  }
  return {field: fieldId, message: `must be ${field ? expectation(field) : 'a valid value'}, not ${shown(value)}`}
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

/** What a field accepts, in words, for error messages. */
export function expectation(field: FieldDefinition): string {
  switch (field.dataType) {
    case 'string': {
      const parts = ['text']
      const active = activeEnumValues(field)
      if (active) parts.push(`one of ${active.join(', ')}`)
      if (field.maxLength !== undefined) parts.push(`at most ${field.maxLength} characters`)
      if (field.pattern !== undefined) parts.push(`matching /${field.pattern}/`)
      return parts.join(', ')
    }
    case 'integer':
      return `an integer from ${INT32.min} to ${INT32.max}`
    case 'long':
      return `an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`
    case 'double':
      return 'a number'
    case 'boolean':
      return 'true or false'
    case 'date':
      return 'an ISO-8601 date or date-time (2026-01-31 or 2026-01-31T09:00:00Z)'
  }
}
