// What every type's create and update share: timestamps, merging field changes, validation against
// the fieldsets and the size limit, and lookups that turn a missing object into "not found".
import type {Clock} from './clock.js'
import {parseFieldAssignments} from './definitions/coerce.js'
import type {Definitions} from './definitions/model.js'
import {NotFoundError, UsageError} from './errors.js'
import {isUuid, parseId} from './ids.js'
import {assertWithinLimits, type ContextObject, type FieldValue, type ObjectType} from './model.js'
import type {Filter} from './search/query.js'
import type {Store, StoreReader} from './storage/store.js'

/** What a command works with: the open store, the clock and who is acting (for system comments). */
export interface Session {
  store: Store
  clock: Clock
  actor: string
}

/** Field changes: a value sets the field, null removes it. */
export type DataChanges = Record<string, FieldValue | null>

/**
 * The lastUpdated of a write: now, but always later than the previous value, so that optimistic
 * concurrency (rule 4) sees every write even when two land in one millisecond or the clock is frozen.
 */
export function nextTimestamp(clock: Clock, previous?: string): string {
  const now = clock().getTime()
  const after = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous) + 1
  return new Date(Math.max(now, after)).toISOString()
}

export function applyChanges(data: Record<string, FieldValue>, changes: DataChanges): Record<string, FieldValue> {
  const out = {...data}
  // for-in, not Object.entries: an import applies one set of changes per row.
  for (const key in changes) {
    const value = changes[key]
    if (value === null) delete out[key]
    else out[key] = value
  }
  return out
}

/**
 * Field changes from named flags (field id → text) and repeated `--field ID=VALUE`, each coerced to
 * its field's type; the `--field` form wins when both name a field.
 */
export function collectChanges(
  named: Record<string, string | undefined>,
  assignments: readonly string[] | undefined,
  definitions: Definitions,
): DataChanges {
  const namedAssignments = Object.entries(named)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([id, value]) => `${id}=${value}`)
  return parseFieldAssignments([...namedAssignments, ...(assignments ?? [])], definitions)
}

/** Validates data against the fieldsets (ajv, loaded only by commands that write) and the size limit. */
let validation: typeof import('./definitions/validate.js') | undefined

export async function checkObject(object: ContextObject, definitions: Definitions, previous?: ContextObject | null): Promise<void> {
  // The module is kept once loaded: an import checks every row, and an await per row costs a
  // suspension of this function (bench P3).
  validation ??= await import('./definitions/validate.js')
  validation.validateObjectData(object, definitions, previous)
  assertWithinLimits(object)
}

/** The shortest id prefix taken, as git takes a commit's: long enough to be unique in practice. */
export const MIN_ID_PREFIX = 8

/** Whether `text` (trimmed, lower-case) is the start of an id rather than a whole one or no id at all. */
export function isIdPrefix(text: string): boolean {
  return !isUuid(text) && text.length >= MIN_ID_PREFIX && text.length < 36 && /^[0-9a-f][0-9a-f-]*$/.test(text)
}

/**
 * A user-given id: a whole UUID, or a unique prefix of at least 8 characters of a stored one. A
 * prefix that matches several is a usage error listing them; one that matches none is not found.
 */
export async function resolveId(reader: StoreReader, value: string, what = 'id'): Promise<string> {
  const text = value.trim().toLowerCase()
  if (!isIdPrefix(text)) return parseId(value, what)
  const ids = await reader.idsWithPrefix(text, 10)
  if (ids.length === 1) return ids[0]
  if (ids.length === 0) throw new NotFoundError(`no ${what} starts with ${text}`, {where: text, hint: 'Give more of the id, or search for the object: ctx search WORDS'})
  throw new UsageError(`${text} is the start of ${ids.length === 10 ? '10 or more' : ids.length} ids; give more of it`, {
    where: text,
    hint: ids.join('\n'),
    details: {ids},
  })
}

export async function requireObject(reader: StoreReader, id: string, type?: ObjectType): Promise<ContextObject> {
  const object = await reader.get(id)
  if (!object || (type !== undefined && object.type !== type)) {
    throw new NotFoundError(`no ${type ?? 'object'} with id ${id}`, {
      where: id,
      hint: object ? `${id} is a ${object.type}, not a ${type}.` : `Search for it: ctx search ${type ? `type:${type} ` : ''}WORDS`,
    })
  }
  return object
}

/** Every object matching `where`, newest first, in one read: for sets that are shown or changed whole. */
export async function findEvery(reader: StoreReader, where: Filter): Promise<ContextObject[]> {
  return (await reader.find({where, all: true})).items
}
