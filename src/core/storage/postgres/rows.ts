// A context object as a row of ctx_objects: the object itself (body, exactly as written) and the
// columns that let SQL answer the search language with indexes and the same answers as the
// in-memory matcher. Words are cut here, in JavaScript, by the one tokenizer every adapter uses.
import {assertWellFormedText, canonical, type ContextObject} from '../../model.js'
import {fieldNumber} from '../../search/evaluate.js'
import {words} from '../../search/words.js'
import {isSealed} from '../../crypto/sealed-value.js'

/**
 * A term of the `terms` array: `*:word` for each word of a clear value (in whichever field: the
 * field of a word is read from `phrases`, so the index holds each word once), `FIELD:#token` for a
 * sealed value's blind-index tokens (a token is its field's own), `=key:value` for the special keys.
 */
export const ANY_FIELD = '*'

export function fieldTerm(field: string, word: string): string {
  return `${field}:${word}`
}

export function specialTerm(key: 'id' | 'externalId' | 'tags' | 'fieldsets', value: string): string {
  return `=${key}:${value}`
}

/** The entry of `phrases` for one field: `FIELD: w1 w2 … ` — a phrase matches where ` w1 w2 ` occurs. */
export function fieldPhrase(field: string, fieldWords: readonly string[]): string {
  return `${field}: ${fieldWords.join(' ')} `
}

export function phraseNeedle(phraseWords: readonly string[]): string {
  return ` ${phraseWords.join(' ')} `
}

export interface ObjectRow {
  customer_key: string
  id: string
  type: string
  customer_id: string | null
  parent_id: string | null
  state: string | null
  media_type: string | null
  external_id: string | null
  created: string
  last_updated: string
  /** created and lastUpdated as instants, for ranges and the sweep; 'infinity' when they do not parse. */
  created_at: string
  updated_at: string
  terms: string[]
  phrases: string[]
  /** Number values, for ranges on number fields (and date fields holding a number). */
  numbers: Record<string, number>
  /** Other values read as dates (epoch ms), for ranges on date fields. */
  dates: Record<string, number>
  body: ContextObject
}

/**
 * The row of an object: its exact values in columns for links and SQL, and the lower-cased terms
 * search compares case-insensitively, cut by the same tokenizer as every other adapter.
 */
export function objectRow(object: ContextObject, customerKey: string): ObjectRow {
  const body = canonical(object)
  const terms = new Set<string>([specialTerm('id', body.id.toLowerCase())])
  if (body.externalId !== undefined) terms.add(specialTerm('externalId', body.externalId.toLowerCase()))
  for (const tag of body.tags ?? []) terms.add(specialTerm('tags', tag.toLowerCase()))
  for (const fieldset of body.fieldsets ?? []) terms.add(specialTerm('fieldsets', fieldset.toLowerCase()))
  const phrases: string[] = []
  const numbers: Record<string, number> = {}
  const dates: Record<string, number> = {}
  for (const [field, value] of Object.entries(body.data)) {
    if (isSealed(value)) {
      // A sealed value (PII, ENCRYPTED) gives its blind-index tokens only: no clear word, no phrase,
      // no number or date (search refuses phrases and ranges on it, src/core/crypto/search.ts).
      for (const token of value.tokens ?? []) terms.add(fieldTerm(field, token))
      continue
    }
    const found = words(String(value))
    for (const word of found) terms.add(fieldTerm(ANY_FIELD, word))
    if (found.length > 0) phrases.push(fieldPhrase(field, found))
    if (typeof value === 'number') numbers[field] = value
    else {
      const date = fieldNumber(value, 'date')
      if (Number.isFinite(date)) dates[field] = date
    }
  }
  // Core refuses a NUL or a lone surrogate on every write path; a write that comes here without
  // core's checks is refused the same way rather than failed by the server or stored changed (COPY
  // would send a lone surrogate as U+FFFD).
  assertWellFormedText(body)
  return {
    customer_key: customerKey,
    id: body.id,
    type: body.type,
    customer_id: body.customerId ?? null,
    parent_id: body.parentId ?? null,
    state: body.state ?? null,
    media_type: body.mediaType ?? null,
    external_id: body.externalId ?? null,
    created: body.created,
    last_updated: body.lastUpdated,
    created_at: instant(body.created),
    updated_at: instant(body.lastUpdated),
    terms: [...terms],
    phrases,
    numbers,
    dates,
    body,
  }
}

/** The columns of ctx_objects in the order of an ObjectRow's fields, as INSERT and COPY name them. */
export const COLUMNS =
  'customer_key, id, type, customer_id, parent_id, state, media_type, external_id, created, last_updated, created_at, updated_at, terms, phrases, numbers, dates, body'

/**
 * A row as a line of COPY's text format, its columns in COLUMNS order: backslash, tab, newline and
 * carriage return escaped, null as \N, arrays as quoted-element literals, JSON as its text.
 */
export function copyLine(row: ObjectRow): string {
  return [
    copyText(row.customer_key),
    copyText(row.id),
    copyText(row.type),
    copyNullable(row.customer_id),
    copyNullable(row.parent_id),
    copyNullable(row.state),
    copyNullable(row.media_type),
    copyNullable(row.external_id),
    copyText(row.created),
    copyText(row.last_updated),
    row.created_at,
    row.updated_at,
    copyText(arrayLiteral(row.terms)),
    copyText(arrayLiteral(row.phrases)),
    copyText(JSON.stringify(row.numbers)),
    copyText(JSON.stringify(row.dates)),
    copyText(JSON.stringify(row.body)),
  ].join('\t') + '\n'
}

const COPY_SPECIAL = /[\\\t\n\r]/
const COPY_ESCAPES: Record<string, string> = {'\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r'}

function copyText(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (char) => COPY_ESCAPES[char]) : text
}

function copyNullable(text: string | null): string {
  return text === null ? '\\N' : copyText(text)
}

/** `{"a","b"}`: every element quoted, so none reads as NULL, with its quotes and backslashes escaped. */
function arrayLiteral(elements: readonly string[]): string {
  if (elements.length === 0) return '{}'
  if (!/["\\]/.test(elements.join(''))) return `{"${elements.join('","')}"}`
  return `{${elements.map((element) => `"${element.replace(/["\\]/g, '\\$&')}"`).join(',')}}`
}

let lastInstant = {text: '', value: 'infinity'}

/** An ISO instant as PostgreSQL reads it; a text Date.parse cannot read is later than everything. */
export function instant(text: string): string {
  // An import's or a seed's rows mostly share their instants: the last one is kept.
  if (text === lastInstant.text) return lastInstant.value
  const time = Date.parse(text)
  lastInstant = {text, value: Number.isNaN(time) ? 'infinity' : new Date(time).toISOString()}
  return lastInstant.value
}


/**
 * A link as a customer key: its ASCII letters lower-cased, as PostgreSQL's lower() folds a COLLATE
 * "C" column. Search compares links through lower(), so `customerId:ABC` finds the objects of the
 * key customerKeyOf('ABC'), which on Citus names the one shard holding them.
 */
export function customerKeyOf(link: string): string {
  return /[A-Z]/.test(link) ? link.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : link
}

/**
 * The customer each object belongs to, the key that keeps a customer's objects together (and the
 * distribution column on Citus): a customer's own id, else its customerId, else its parent's key
 * (a comment under an activity), else — for an object linked to no customer — its own id; each
 * folded by customerKeyOf. `storedKeys` answers for parents that are not among `objects`.
 */
export async function customerKeys(
  objects: readonly ContextObject[],
  storedKeys: (ids: string[]) => Promise<Map<string, string>>,
): Promise<string[]> {
  const inBatch = new Map(objects.map((object) => [object.id, object]))
  const outside = new Set<string>()
  for (const object of objects) {
    if (object.type !== 'customer' && object.customerId === undefined && object.parentId !== undefined && !inBatch.has(object.parentId)) {
      outside.add(object.parentId)
    }
  }
  const stored = outside.size > 0 ? await storedKeys([...outside]) : new Map<string, string>()
  const keyOf = (object: ContextObject, depth: number): string => {
    if (object.type === 'customer') return customerKeyOf(object.id)
    if (object.customerId !== undefined) return customerKeyOf(object.customerId)
    const parentId = object.parentId
    if (parentId !== undefined) {
      const parent = inBatch.get(parentId)
      if (parent && parent !== object && depth < 4) return keyOf(parent, depth + 1)
      const key = stored.get(parentId)
      if (key !== undefined) return key
    }
    return customerKeyOf(object.id)
  }
  return objects.map((object) => keyOf(object, 0))
}
