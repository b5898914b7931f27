// Validation of object data against its fieldsets (DESIGN §1): each fieldset compiles to one JSON
// Schema and one ajv validator, once per process and only when an object uses it.
import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import formatsModule from 'ajv-formats'
import {InvalidDataError} from '../errors.js'
import type {ContextObject, FieldValue} from '../model.js'
import type {Definitions, FieldDefinition, FieldsetDefinition} from './model.js'

const addFormats = ((formatsModule as unknown as {default?: typeof formatsModule}).default ?? formatsModule) as unknown as (
  ajv: Ajv,
  formats?: string[],
) => Ajv

const INT32 = {min: -(2 ** 31), max: 2 ** 31 - 1}

let ajv: Ajv | undefined
const compiled = new Map<string, ValidateFunction>()

function sharedAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({allErrors: true, strict: true, useDefaults: false})
    addFormats(ajv, ['date', 'date-time', 'regex'])
  }
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
      const active = field.enum?.filter((value) => value.active !== false).map((value) => value.value)
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

/** The JSON Schema a fieldset compiles to: its active fields, and those it requires. */
export function fieldsetSchema(fieldset: FieldsetDefinition, definitions: Definitions): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const id of fieldset.fields) {
    const field = definitions.fields[id]
    if (!field) continue
    properties[id] = fieldSchema(field)
    if (field.required) required.push(id)
  }
  return {type: 'object', properties, required, additionalProperties: false}
}

/** Validators by definitions object and fieldset, so bulk writes (import) skip building the schema per object. */
const byDefinitions = new WeakMap<Definitions, Map<FieldsetDefinition, ValidateFunction>>()

/** One validator per fieldset and definition version, compiled on first use. */
export function compileFieldset(fieldset: FieldsetDefinition, definitions: Definitions): ValidateFunction {
  let known = byDefinitions.get(definitions)
  if (!known) byDefinitions.set(definitions, (known = new Map()))
  const cached = known.get(fieldset)
  if (cached) return cached
  const validate = compileSchema(fieldset, definitions)
  known.set(fieldset, validate)
  return validate
}

function compileSchema(fieldset: FieldsetDefinition, definitions: Definitions): ValidateFunction {
  const schema = fieldsetSchema(fieldset, definitions)
  const key = JSON.stringify(schema)
  let validate = compiled.get(key)
  if (!validate) {
    validate = sharedAjv().compile(schema)
    compiled.set(key, validate)
  }
  return validate
}

/**
 * Checks that every key of `object.data` belongs to one of its fieldsets and every value matches its
 * field. A key that is only in a fieldset's inactiveFields is accepted when `previous` already held
 * the same value (old data stays readable) and refused otherwise.
 */
export function validateObjectData(object: ContextObject, definitions: Definitions, previous?: ContextObject | null): void {
  const problems: FieldProblem[] = []
  const fieldsets: FieldsetDefinition[] = []
  if (object.fieldsets.length === 0) problems.push({field: 'fieldsets', message: 'an object needs at least one fieldset'})
  for (const id of object.fieldsets) {
    const fieldset = definitions.fieldsets[id]
    if (fieldset) fieldsets.push(fieldset)
    else problems.push({field: 'fieldsets', message: `unknown fieldset "${id}"`})
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
    if (!validate(slice)) problems.push(...(validate.errors ?? []).map((error) => describe(error, definitions)))
  }

  if (problems.length > 0) throw dataError(object, problems)
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

function describe(error: ErrorObject, definitions: Definitions): FieldProblem {
  if (error.keyword === 'required') {
    return {field: String(error.params.missingProperty), message: 'is required'}
  }
  const fieldId = error.instancePath.split('/')[1] ?? ''
  const field = definitions.fields[fieldId]
  const expected = field ? expectation(field) : 'a valid value'
  return {field: fieldId, message: `must be ${expected}`}
}

/** What a field accepts, in words, for error messages. */
export function expectation(field: FieldDefinition): string {
  switch (field.dataType) {
    case 'string': {
      const parts = ['text']
      const active = field.enum?.filter((value) => value.active !== false).map((value) => value.value)
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
