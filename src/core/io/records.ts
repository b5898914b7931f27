// What one row or line of an import says about an object, whatever the format it came in, and
// ctx's own JSON Lines turned into it (Context Service exports: context-service.ts).
import {InvalidDataError} from '../errors.js'
import type {ContextObject, ObjectType} from '../model.js'
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

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60)
}
