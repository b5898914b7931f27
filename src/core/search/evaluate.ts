// Evaluates a query tree against objects in memory: the search of the memory and file stores.
// Postgres compiles the same tree to SQL; the contract suite holds both to the same answers.
import {type DataType, type Definitions, type FieldDefinition, fieldOf} from '../definitions/model.js'
import {isSearchable} from '../definitions/model.js'
import {UsageError} from '../errors.js'
import type {ContextObject, FieldValue} from '../model.js'
import {type Filter, isSpecialKey, isTimeKey, queryTermError, type RangeOp, SPECIAL_KEYS, TIME_KEYS} from './query.js'
import {containsPhrase, words} from './words.js'
import {isSealed, isToken} from '../crypto/sealed-value.js'

const NUMERIC: readonly DataType[] = ['integer', 'long', 'double']
/** A date, or a date-time with its zone: a zoneless time would be read in the machine's zone. */
const DATE_OPERAND = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i

/** Refuses a query that names an unknown or unsearchable field, or a range on a text field. */
export function checkFilter(filter: Filter | null | undefined, definitions: Definitions): void {
  if (!filter) return
  switch (filter.kind) {
    case 'and':
    case 'or':
      for (const child of filter.children) checkFilter(child, definitions)
      return
    case 'equals':
      return
    case 'words':
    case 'range': {
      if (filter.key === null || isSpecialKey(filter.key) || isTimeKey(filter.key)) return
      const field = fieldOf(definitions, filter.key)
      if (!field) throw unknownField(filter, filter.key, definitions)
      if (!isSearchable(field)) {
        throw queryTermError(filter, `field ${filter.key} is not searchable`, filter.key, 'Its definition says searchable: false; search by another field.')
      }
      if (filter.kind === 'range') {
        if (field.dataType !== 'date' && !NUMERIC.includes(field.dataType)) {
          throw queryTermError(filter, `field ${filter.key} is ${field.dataType}; ranges work on dates and numbers`, filter.key)
        }
        if (Number.isNaN(rangeOperand(filter.value, field.dataType))) {
          const wanted = field.dataType === 'date' ? 'an ISO-8601 date such as 2026-01-31' : 'a number'
          throw queryTermError(filter, `the range on ${filter.key} needs ${wanted}, not "${filter.value}"`, filter.key)
        }
      }
    }
  }
}

function unknownField(filter: Filter, key: string, definitions: Definitions): UsageError {
  const lower = key.toLowerCase()
  const near = Object.keys(definitions.fields).find((id) => id.toLowerCase() === lower)
  const hint = near
    ? `Field ids are case-sensitive: did you mean ${near}?`
    : `Special keys: ${[...SPECIAL_KEYS.filter((special) => special !== 'fieldsets'), ...TIME_KEYS].join(', ')}. Fields: \`ctx fields list\`.`
  return queryTermError(filter, `the query names "${key}", which is neither a field nor one of the special keys`, key, hint)
}

type Match = (object: ContextObject) => boolean

/** A function answering whether an object matches, compiled once per query. */
export function matcher(filter: Filter | null | undefined, definitions: Definitions): Match {
  if (!filter) return () => true
  const unsearchable = new Set(Object.values(definitions.fields).filter((field) => !isSearchable(field)).map((field) => field.id))
  return compile(filter, definitions.fields, unsearchable)
}

function compile(filter: Filter, fields: Record<string, FieldDefinition>, unsearchable: ReadonlySet<string>): Match {
  switch (filter.kind) {
    case 'and': {
      // Cheap tests first: an object refused by `type:` or a date range is never cut into words.
      const ordered = [...filter.children].sort((a, b) => cost(a) - cost(b))
      const children = ordered.map((child) => compile(child, fields, unsearchable))
      return (object) => children.every((child) => child(object))
    }
    case 'or': {
      // A list of one link's values (the comments of ten thousand activities): one set lookup.
      const key = filter.children[0]?.kind === 'equals' ? filter.children[0].key : undefined
      if (key !== undefined && key !== 'tags' && key !== 'fieldsets' && filter.children.every((child) => child.kind === 'equals' && child.key === key)) {
        const values = new Set(filter.children.map((child) => (child as {value: string}).value))
        return (object) => {
          const found = object[key as keyof ContextObject]
          return typeof found === 'string' && values.has(found.toLowerCase())
        }
      }
      const children = filter.children.map((child) => compile(child, fields, unsearchable))
      return (object) => children.some((child) => child(object))
    }
    case 'equals': {
      const {key, value} = filter
      if (key === 'tags' || key === 'fieldsets') return (object) => (object[key] ?? []).some((item) => item.toLowerCase() === value)
      return (object) => {
        const found = object[key]
        return typeof found === 'string' && found.toLowerCase() === value
      }
    }
    case 'words': {
      const {key, words: needle} = filter
      const test = phraseTest(needle)
      if (key !== null) return (object) => fieldHas(object, key, test)
      return (object) => {
        for (const field in object.data) if (!unsearchable.has(field) && fieldHas(object, field, test)) return true
        return false
      }
    }
    case 'range': {
      const {key, op} = filter
      if (isTimeKey(key)) {
        // ctx writes instants as toISOString() does, and such strings sort as their instants do:
        // compare them as text, and parse only an instant written another way (kept from an import).
        const bound = new Date(filter.value).toISOString()
        const boundMs = Date.parse(bound)
        return (object) => {
          const at = object[key]
          return CANONICAL_INSTANT.test(at) ? compare(at, op, bound) : compare(Date.parse(at), op, boundMs)
        }
      }
      const dataType = fields[key]?.dataType
      if (!dataType) return () => false
      const bound = rangeOperand(filter.value, dataType)
      return (object) => {
        const value = object.data[key]
        return value !== undefined && compare(fieldNumber(value, dataType), op, bound)
      }
    }
  }
}

function cost(filter: Filter): number {
  if (filter.kind === 'and' || filter.kind === 'or') return Math.max(...filter.children.map(cost))
  return filter.kind === 'words' ? 1 : 0
}

interface PhraseTest {
  needle: readonly string[]
  /** The needle is a blind-index token, which only sealed values hold. */
  token: boolean
  /** For plain-ASCII text: the exact answer (true/false), or null to cut the text into words. */
  ascii: (text: string) => boolean | null
}

function fieldHas(object: ContextObject, field: string, test: PhraseTest): boolean {
  const value: unknown = object.data[field]
  if (value === undefined) return false
  // A sealed value is found by the token of one word (src/core/crypto/search.ts asks for it), and a
  // token only in a sealed value: never by the text of its own, which is ciphertext.
  if (isSealed(value)) return test.needle.length === 1 && (value.tokens ?? []).includes(test.needle[0])
  if (test.token) return false
  const text = String(value)
  if (!NON_ASCII.test(text)) {
    const answer = test.ascii(text)
    if (answer !== null) return answer
  }
  return containsPhrase(words(text), test.needle)
}

const NON_ASCII = /[^\u0000-\u007F]/
const ALNUM = '[a-z0-9]'
const JOINER = "[@._+'-]"

/**
 * Most field values are plain ASCII, and cutting every one into words is most of a scan's time.
 * For ASCII text the phrase is decided by one regular expression instead: exactly, when every word
 * of the phrase has a letter (a word of words() is then a run that neither continues nor is continued
 * by letters, digits or a joiner followed by one); as a quick refusal otherwise (numbers may be
 * phone numbers, whose digits words() joins across separators). Text with other characters, which
 * normalisation may change, is always cut into words. test/core/search/words.test.ts checks that
 * both ways agree.
 */
function phraseTest(needle: readonly string[]): PhraseTest {
  if (needle.length === 1 && isToken(needle[0])) return {needle, token: true, ascii: () => false}
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  if (needle.every((word) => /[a-z]/.test(word) && !NON_ASCII.test(word))) {
    const whole = (word: string) => `(?<!${ALNUM})(?<!${ALNUM}${JOINER})${escape(word)}(?!${ALNUM})(?!${JOINER}${ALNUM})`
    const exact = new RegExp(needle.map(whole).join('[^a-z0-9]+'), 'i')
    return {needle, token: false, ascii: (text) => exact.test(text)}
  }
  // Up to two separator characters may stand between the digit groups of a phone number: "(20) 7946".
  const loose = needle.map((word) => (/^\d{7,}$/.test(word) ? [...word].join('\\D{0,2}') : escape(word)))
  const maybe = new RegExp(loose.join('[^a-z0-9]+'), 'i')
  return {needle, token: false, ascii: (text) => (maybe.test(text) ? null : false)}
}

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function compare<T extends number | string>(left: T, op: RangeOp, right: T): boolean {
  if (Number.isNaN(left)) return false
  switch (op) {
    case '<':
      return left < right
    case '<=':
      return left <= right
    case '>':
      return left > right
    case '>=':
      return left >= right
  }
}

/** What a range compares for a field's value; Postgres stores it for every field when written. */
export function fieldNumber(value: FieldValue, dataType: DataType): number {
  if (typeof value === 'number') return value
  return dataType === 'date' ? Date.parse(dateText(String(value))) : Number.NaN
}

/**
 * The number a range compares with: the value itself for numbers, epoch milliseconds for dates (a
 * plain date is its UTC midnight). NaN when the text is neither.
 */
export function rangeOperand(text: string, dataType: DataType): number {
  if (text.trim() === '') return Number.NaN
  if (dataType === 'date') return DATE_OPERAND.test(text) ? Date.parse(dateText(text)) : Number.NaN
  return NUMERIC.includes(dataType) ? Number(text) : Number.NaN
}

/** Date.parse reads a plain date as UTC but a zoneless date-time as local time: make both UTC. */
function dateText(text: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text
}
