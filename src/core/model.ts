// The context object (docs/model.md): one JSON shape for every type, used by --json, JSON Lines and
// every storage adapter, plus the small rules that need no store (display name, size limit).
import {InvalidDataError} from './errors.js'

export const OBJECT_TYPES = ['customer', 'request', 'activity', 'comment', 'feedback'] as const
export type ObjectType = (typeof OBJECT_TYPES)[number]

export const MEDIA_TYPES = ['chat', 'email', 'event', 'mobile', 'social', 'video', 'voice', 'web'] as const
export type MediaType = (typeof MEDIA_TYPES)[number]

export type RequestState = 'active' | 'closed'
export type CloseReason = 'auto' | 'manual'
export type FieldValue = string | number | boolean

export interface ContextObject {
  id: string
  type: ObjectType
  customerId?: string
  parentId?: string
  state?: RequestState
  mediaType?: MediaType
  tags?: string[]
  fieldsets: string[]
  data: Record<string, FieldValue>
  externalId?: string
  created: string
  lastUpdated: string
  closedAt?: string
  closeReason?: CloseReason
}

/** The order keys appear in everywhere ctx writes an object, so exports are byte-stable. */
export const OBJECT_KEYS = [
  'id',
  'type',
  'customerId',
  'parentId',
  'state',
  'mediaType',
  'tags',
  'fieldsets',
  'data',
  'externalId',
  'created',
  'lastUpdated',
  'closedAt',
  'closeReason',
] as const satisfies readonly (keyof ContextObject)[]

/** Link order: the order in which types must be written so every link points backwards. */
export const LINK_ORDER: readonly ObjectType[] = ['customer', 'request', 'activity', 'comment', 'feedback']

/** The fieldset each type uses when none is named. */
export const BASE_FIELDSET: Record<ObjectType, string> = {
  customer: 'cisco.base.customer',
  request: 'cisco.base.request',
  activity: 'cisco.base.pod',
  comment: 'cisco.base.comment',
  feedback: 'cisco.base.rating',
}

/** rule 8. */
export const MAX_OBJECT_BYTES = 256 * 1024

export function isObjectType(value: string): value is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(value)
}

export function isMediaType(value: string): value is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(value)
}

/**
 * Whether the object is already as canonical() would make it: keys of OBJECT_KEYS only, in their
 * order, none undefined, and data keys sorted. Checked without allocating (every row of an import).
 */
export function isCanonical(object: ContextObject): boolean {
  let at = 0
  for (const key in object) {
    while (at < OBJECT_KEYS.length && OBJECT_KEYS[at] !== key) at++
    if (at === OBJECT_KEYS.length || object[key as keyof ContextObject] === undefined) return false
    at++
  }
  let previous: string | undefined
  for (const key in object.data) {
    if (previous !== undefined && !(previous < key)) return false
    previous = key
  }
  return true
}

/** A copy of the object with keys in canonical order and absent optionals dropped. */
export function canonical(object: ContextObject): ContextObject {
  const out: Record<string, unknown> = {}
  for (const key of OBJECT_KEYS) {
    const value = object[key]
    if (value !== undefined) out[key] = key === 'data' ? sortedData(object.data) : value
  }
  return out as unknown as ContextObject
}

function sortedData(data: Record<string, FieldValue>): Record<string, FieldValue> {
  const keys = Object.keys(data)
  // Insertion sort: objects hold a handful of fields, mostly in order already (every object ctx
  // wrote before), and Array#sort allocates ~800 bytes per call, ~80 MB on an import of 100k rows.
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]
    let at = index
    for (; at > 0 && keys[at - 1] > key; at--) keys[at] = keys[at - 1]
    keys[at] = key
  }
  const out: Record<string, FieldValue> = {}
  for (const key of keys) out[key] = data[key]
  return out
}

/**
 * The longest externalId, in characters (as JSON Schema counts them; schemas/context-object.schema.json
 * says the same): a PostgreSQL index entry holds at most ~2.7 KB, and one limit holds on every store.
 */
export const MAX_EXTERNAL_ID = 256

/** The limits every object keeps on every store and every path (create, update, import, migrate). */
export function assertWithinLimits(object: ContextObject): void {
  const externalId = object.externalId
  if (externalId !== undefined && externalId.length > MAX_EXTERNAL_ID && [...externalId].length > MAX_EXTERNAL_ID) {
    throw new InvalidDataError(`${object.type} ${object.id} has an externalId of ${[...externalId].length} characters; the most is ${MAX_EXTERNAL_ID}`, {
      where: object.id,
      hint: 'Use a shorter key: an externalId names the object in the system it came from.',
      details: {length: [...externalId].length, limit: MAX_EXTERNAL_ID},
    })
  }
  assertWellFormedText(object)
  assertWithinSizeLimit(object)
}

/**
 * Text no store of ctx keeps: a NUL (PostgreSQL's text cannot hold it) or a UTF-16 surrogate without
 * its pair (half of a character, as a JSON "\uD800" escape can give: PostgreSQL cannot hold it and
 * UTF-8 cannot encode it, so a PII value sealed, a file written or a COPY sent would carry U+FFFD).
 * Refused on every store alike, so a file store holds nothing another cannot.
 */
const UNSTORABLE = /[\u0000\p{Cs}]/u

/** What is wrong with a text UNSTORABLE matched, as its refusal says it. */
export function unstorableText(text: string): string {
  return text.includes('\u0000') ? 'holds a NUL character (\\u0000)' : 'holds a lone surrogate (an unpaired \\uD800-\\uDFFF), text that is not well-formed Unicode'
}

/**
 * Where text in `value` (strings, numbers, booleans, arrays and plain objects, keys included) first
 * holds what no store keeps (UNSTORABLE): the keys leading to it and the text; null when there is none.
 * Checked wherever text enters a store: objects (assertWellFormedText) and definitions
 * (src/core/definitions/schema-check.ts).
 */
export function unstorableTextPath(value: unknown): {path: string[]; text: string} | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? {path: [], text: value} : null
  if (typeof value !== 'object' || value === null) return null
  // for-in, not Object.entries: nothing allocated per object on a bulk import (sizeBound), and a
  // path only once one is found.
  for (const key in value) {
    if (UNSTORABLE.test(key)) return {path: [key], text: key}
    const inner = unstorableTextPath((value as Record<string, unknown>)[key])
    if (inner) return {path: [key, ...inner.path], text: inner.text}
  }
  return null
}

/**
 * Refuses an object with text no store keeps anywhere in it: externalId, tags, fieldsets, a field's
 * id or value (a comment's text is one), on every store and every path (assertWithinLimits), and in
 * the PostgreSQL adapter for writes that come to it without core's checks (postgres/rows.ts).
 */
export function assertWellFormedText(object: ContextObject): void {
  const found = unstorableTextPath(object)
  if (!found) return
  const {path, text} = found
  const where = path[0] === 'data' && path.length > 1 ? path[1] : path[0]
  throw new InvalidDataError(`${object.type} ${object.id}: ${where} ${unstorableText(text)}`, {where, hint: UNSTORABLE_HINT})
}

export const UNSTORABLE_HINT =
  'Fix the text where it came from: no store of ctx keeps a NUL character (\\u0000) or half of a UTF-16 pair (a \\uD800-\\uDFFF escape without its partner).'

export function assertWithinSizeLimit(object: ContextObject): void {
  if (sizeBound(object) <= MAX_OBJECT_BYTES) return
  const bytes = Buffer.byteLength(JSON.stringify(object), 'utf8')
  if (bytes > MAX_OBJECT_BYTES) {
    throw new InvalidDataError(
      `${object.type} ${object.id} is ${Math.ceil(bytes / 1024)} KiB of JSON; an object may hold at most 256 KiB`,
      {where: object.id, hint: 'Shorten or split the largest field values.', details: {bytes, limit: MAX_OBJECT_BYTES}},
    )
  }
}

/**
 * An upper bound of the object's JSON size without serialising it (bulk imports check every row):
 * at most 6 bytes per UTF-16 unit (\uXXXX escapes), plus room for quotes, keys and separators.
 */
function sizeBound(object: ContextObject): number {
  let units = 512
  // for-in, not Object.values/entries: no arrays allocated per object on a bulk import.
  for (const key in object) {
    const value = object[key as keyof ContextObject]
    if (typeof value === 'string') units += value.length + 8
    else if (Array.isArray(value)) for (const item of value) units += String(item).length + 8
  }
  const data = object.data
  for (const key in data) {
    const value = data[key]
    units += key.length + (typeof value === 'string' ? value.length : 24) + 8
  }
  return units * 6
}

/** rule 7: full name, else email, else phone, else "Unknown Customer". */
export function displayName(customer: Pick<ContextObject, 'data'>): string {
  const data = customer.data
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : '')
  const fullName = [text('Context_First_Name'), text('Context_Last_Name')].filter(Boolean).join(' ')
  const email = text('Context_Work_Email') || text('Context_Home_Email')
  const phone = text('Context_Work_Phone') || text('Context_Mobile_Phone') || text('Context_Home_Phone')
  return fullName || email || phone || 'Unknown Customer'
}
