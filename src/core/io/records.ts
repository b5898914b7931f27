// What one row or line of an import says about an object, whatever the format it came in, and the
// JSON shapes (ctx's own JSON Lines, Context Service export objects) turned into it.
import {coerceFieldValue} from '../definitions/coerce.js'
import {type Definitions, fieldOf} from '../definitions/model.js'
import {InvalidDataError} from '../errors.js'
import type {ContextObject, FieldValue, ObjectType} from '../model.js'
import type {DataChanges} from '../objects.js'
import {describeSchemaErrors, schemaValidator} from './schemas.js'

/** The object keys an import may set; `type` and `data` are carried apart. */
export type RecordKey = Exclude<keyof ContextObject, 'type' | 'data'>
export type RecordKeys = Partial<Pick<ContextObject, RecordKey>>

export interface ImportRecord {
  type: ObjectType
  keys: RecordKeys
  /** Keys the record names but leaves empty (a CSV column with an empty cell): removed on update. */
  cleared: readonly RecordKey[]
  /** Field values; null removes the field. */
  data: DataChanges
  /** The record is the whole object (JSON): what it leaves out is gone. A CSV row speaks only for its columns. */
  whole: boolean
}

/** Columns a rejects file adds; import skips them, so a corrected rejects file imports as it is. */
export const REJECT_LINE = '_line'
export const REJECT_REASON = '_reason'

const INSTANT_KEYS = ['created', 'lastUpdated', 'closedAt'] as const
const ID_KEYS = ['id', 'customerId', 'parentId'] as const

/**
 * Checks a record against schemas/context-object.schema.json and puts ids and instants in the one
 * form ctx stores (lower-case UUIDs, `toISOString()`), so a re-import compares equal.
 */
export function checkedRecord(value: Record<string, unknown>, whole: boolean, cleared: readonly RecordKey[] = []): ImportRecord {
  const validate = schemaValidator('context-object')
  if (!validate(value)) throw new InvalidDataError(describeSchemaErrors(validate.errors))
  // The rest of a destructuring is a new object already: normalised in place, not copied again.
  const {type, data, ...normal} = value as unknown as ContextObject & RecordKeys
  for (const key of ID_KEYS) if (normal[key] !== undefined) normal[key] = normal[key].toLowerCase()
  for (const key of INSTANT_KEYS) if (normal[key] !== undefined) normal[key] = new Date(normal[key]).toISOString()
  return {type, keys: normal, cleared, data: data ?? {}, whole}
}

/** A line of ctx's JSON Lines: a context object as `--json` and export print it. */
export function recordFromObjectJson(value: unknown): ImportRecord {
  if (!isPlainObject(value)) throw new InvalidDataError(`expected a JSON object, found ${describe(value)}`)
  const {[REJECT_LINE]: _line, [REJECT_REASON]: _reason, ...object} = value
  return checkedRecord(object, true)
}

/** Context Service's names for object types. */
const CS_TYPES: Record<string, ObjectType> = {
  customer: 'customer',
  request: 'request',
  pod: 'activity',
  activity: 'activity',
  'detail.comment': 'comment',
  comment: 'comment',
  'detail.feedback': 'feedback',
  feedback: 'feedback',
}

const CS_STATES: Record<string, 'active' | 'closed'> = {active: 'active', open: 'active', closed: 'closed', resolved: 'closed'}

/**
 * An object of a Context Service export: `type` in its own words (`pod`, `detail.comment`...),
 * fields as `dataElements: [{key, value, type}]`. Values given as text are coerced to the field's
 * type; keys ctx does not model (contributor, version...) are left behind.
 */
export function recordFromContextServiceJson(value: unknown, definitions: Definitions): ImportRecord {
  if (!isPlainObject(value)) throw new InvalidDataError(`expected a JSON object, found ${describe(value)}`)
  const csType = typeof value.type === 'string' ? value.type.toLowerCase() : undefined
  const type = csType === undefined ? undefined : CS_TYPES[csType]
  if (!type) {
    throw new InvalidDataError(`unknown Context Service object type ${JSON.stringify(value.type)}`, {
      hint: `Expected one of ${Object.keys(CS_TYPES).join(', ')}.`,
    })
  }
  const object: Record<string, unknown> = {type}
  for (const key of ['id', 'customerId', 'parentId', 'tags', 'fieldsets', 'externalId', 'closeReason'] as const) {
    if (value[key] !== undefined && value[key] !== null) object[key] = value[key]
  }
  if (typeof value.mediaType === 'string') object.mediaType = value.mediaType.toLowerCase()
  if (typeof value.state === 'string') object.state = CS_STATES[value.state.toLowerCase()] ?? value.state
  for (const key of INSTANT_KEYS) {
    const at = value[key]
    if (typeof at === 'number') object[key] = new Date(at).toISOString()
    else if (at !== undefined && at !== null) object[key] = at
  }
  if (value.dataElements !== undefined) object.data = dataFromElements(value.dataElements, definitions)
  return checkedRecord(object, true)
}

function dataFromElements(elements: unknown, definitions: Definitions): Record<string, FieldValue> {
  if (!Array.isArray(elements)) throw new InvalidDataError(`dataElements must be an array of {key, value, type}, found ${describe(elements)}`)
  const data: Record<string, FieldValue> = {}
  for (const element of elements) {
    if (!isPlainObject(element) || typeof element.key !== 'string') {
      throw new InvalidDataError(`each dataElement needs a "key": found ${describe(element)}`)
    }
    const {key, value} = element
    if (value === null || value === undefined) continue
    // Every object has a __proto__; as a key of data it would be dropped without a word.
    if (key === '__proto__') throw new InvalidDataError('unknown field "__proto__"', {where: key})
    const field = fieldOf(definitions, key)
    if (typeof value === 'string' && field && field.dataType !== 'string' && field.dataType !== 'date') {
      data[key] = coerceFieldValue(field, value)
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      data[key] = value
    } else {
      throw new InvalidDataError(`dataElement ${key} has a ${describe(value)} value; expected text, a number or true/false`, {where: key})
    }
  }
  return data
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60)
}
