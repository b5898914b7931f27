// The search language (README "Search"): `key:value` terms and bare words joined by AND / OR (AND by
// default, AND binds tighter), parentheses, quoted phrases, and ranges on dates and numbers. It
// parses to a small tree that every adapter evaluates; nothing in a query ever reaches a store as code.
import {UsageError} from '../errors.js'
import {isMediaType, isObjectType, MEDIA_TYPES, OBJECT_TYPES} from '../model.js'
import {words} from './words.js'

export const SPECIAL_KEYS = ['id', 'type', 'customerId', 'parentId', 'state', 'mediaType', 'tags', 'externalId', 'fieldsets'] as const
export type SpecialKey = (typeof SPECIAL_KEYS)[number]
export const TIME_KEYS = ['created', 'lastUpdated'] as const
export type TimeKey = (typeof TIME_KEYS)[number]
export type RangeOp = '<' | '<=' | '>' | '>='

/**
 * The query tree. What each node means, for every adapter (the search contract holds them to it):
 * - `words`: the words occur consecutively in `words(String(value))` of the field `key`, or of any
 *   field of the object whose definition is not `searchable: false` (an undefined field counts as
 *   searchable). Adapters that index store `words()` output rather than re-implementing it.
 * - `equals`: lower-case equality with the special key's value; for `tags` and `fieldsets`, with
 *   any element of the list. An absent key never matches.
 * - `range` on `created`/`lastUpdated`: compares instants. On a field: integer, long and double
 *   fields compare stored numbers; date fields compare instants, a plain date being UTC midnight.
 *   An object without the field never matches.
 * Results are ordered by lastUpdated descending, then id descending, and paged by cursor.ts.
 */
export type Filter =
  | {kind: 'and'; children: Filter[]}
  | {kind: 'or'; children: Filter[]}
  /** Whole words, in this order, in one field (`key`) or in any searchable field (key null). */
  | {kind: 'words'; key: string | null; words: string[]}
  /** Exact, case-insensitive equality on a special key; for `tags` and `fieldsets`, one of the list. The value is lower-case. */
  | {kind: 'equals'; key: SpecialKey; value: string}
  /**
   * A bound on created, lastUpdated or a date or number field. Values of time keys are ISO instants
   * (toISOString form); values of fields are the text given, a plain date being that UTC midnight.
   */
  | {kind: 'range'; key: string; op: RangeOp; value: string}

export const MAX_QUERY_LENGTH = 4096
const MAX_DEPTH = 32
const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i
const DAY_MS = 86_400_000
/** A run that may be a phone number written with spaces or parentheses: "+44 20 7946 0000", "(555) 123-4567". */
const PHONE_RUN = /[+(]?\d[\d .()-]*/y
const STATES = ['active', 'closed']

const SPECIAL_BY_LOWER = new Map<string, SpecialKey | TimeKey>([...SPECIAL_KEYS, ...TIME_KEYS].map((key) => [key.toLowerCase(), key]))

type Token =
  | {type: 'lparen' | 'rparen' | 'and' | 'or'; at: number}
  | {type: 'term'; at: number; key: string | null; op: RangeOp | null; value: string; quoted: boolean}

type Term = Extract<Token, {type: 'term'}>

/** Where each term of a parsed query came from, so later checks (unknown field...) can point at it. */
const origins = new WeakMap<Filter, {text: string; at: number}>()

export function isSpecialKey(key: string): key is SpecialKey {
  return (SPECIAL_KEYS as readonly string[]).includes(key)
}

export function isTimeKey(key: string): key is TimeKey {
  return (TIME_KEYS as readonly string[]).includes(key)
}

/** Parses a query; an empty query is null (match everything). Malformed input is a UsageError. */
export function parseQuery(text: string): Filter | null {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new UsageError(`the query is ${text.length} characters long; at most ${MAX_QUERY_LENGTH} are allowed`)
  }
  const tokens = tokenize(text)
  if (tokens.length === 0) return null
  const parser = new Parser(text, tokens)
  const filter = parser.parseOr(0)
  if (!parser.done()) parser.fail('this ")" closes no parenthesis')
  return filter
}

/** Conjunction of filters, dropping nulls; null when nothing is left. */
export function allOf(...filters: (Filter | null | undefined)[]): Filter | null {
  const present = filters.filter((filter): filter is Filter => Boolean(filter))
  if (present.length === 0) return null
  return present.length === 1 ? present[0] : {kind: 'and', children: present}
}

export function equals(key: SpecialKey, value: string): Filter {
  return {kind: 'equals', key, value: value.toLowerCase()}
}

/**
 * A usage error about one term of a parsed query, pointing at its column when the term came from
 * `parseQuery`; `fallback` names it otherwise.
 */
export function queryTermError(filter: Filter, message: string, fallback: string, hint?: string): UsageError {
  const origin = origins.get(filter)
  if (!origin) return new UsageError(message, {where: fallback, ...(hint ? {hint} : {})})
  return positioned(origin.text, origin.at, message, hint)
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < text.length) {
    const char = text[at]
    if (/\s/.test(char)) {
      at++
    } else if (char === '"') {
      const [value, end] = readQuoted(text, at)
      tokens.push({type: 'term', at, key: null, op: null, value, quoted: true})
      at = end
    } else if (phoneAt(text, at) !== null) {
      const phone = phoneAt(text, at)!
      tokens.push({type: 'term', at, key: null, op: null, value: phone, quoted: false})
      at += phone.length
    } else if (char === '(' || char === ')') {
      tokens.push({type: char === '(' ? 'lparen' : 'rparen', at})
      at++
    } else {
      const start = at
      while (at < text.length && !/[\s()"]/.test(text[at])) at++
      const run = text.slice(start, at)
      if (run === 'AND' || run === 'OR') {
        tokens.push({type: run === 'AND' ? 'and' : 'or', at: start})
        continue
      }
      if (run === 'NOT' || /^-[\p{L}\p{N}"(]/u.test(text.slice(start, start + 2)) || (run === '-' && /["(]/.test(text[at] ?? ''))) {
        throw positioned(text, start, 'there is no negation (NOT, -word) in this query language', 'Quote "NOT" or "-word" to search for the text itself.')
      }
      const keyed = /^([^:]+):(>=|<=|>|<)?(.*)$/s.exec(run)
      if (keyed && KEY.test(keyed[1]) && !/^\/\//.test(keyed[3])) {
        const [, rawKey, op, rest] = keyed
        const key = SPECIAL_BY_LOWER.get(rawKey.toLowerCase()) ?? rawKey
        const valueAt = start + run.length - rest.length
        if (rest === '' && text[at] === '"') {
          const [value, end] = readQuoted(text, at)
          tokens.push({type: 'term', at: start, key, op: (op as RangeOp) ?? null, value, quoted: true})
          at = end
        } else if (rest === '' && !op && phoneAt(text, at) !== null) {
          const phone = phoneAt(text, at)!
          tokens.push({type: 'term', at: start, key, op: null, value: phone, quoted: false})
          at += phone.length
        } else if (rest === '') {
          const grouped = text[at] === '('
          throw positioned(text, start, `"${printable(rawKey)}:" needs a value${grouped ? ' right after the colon' : ''}`, grouped ? `Repeat the key inside the parentheses: (${printable(rawKey)}:a OR ${printable(rawKey)}:b).` : undefined)
        } else {
          const phone = op ? null : phoneAt(text, valueAt)
          if (phone !== null && phone.length > rest.length) {
            tokens.push({type: 'term', at: start, key, op: null, value: phone, quoted: false})
            at = valueAt + phone.length
            continue
          }
          refuseWildcard(text, valueAt, rest)
          tokens.push({type: 'term', at: start, key, op: (op as RangeOp) ?? null, value: rest, quoted: false})
        }
      } else {
        refuseWildcard(text, start, run)
        tokens.push({type: 'term', at: start, key: null, op: null, value: run, quoted: false})
      }
    }
  }
  return tokens
}

/**
 * A phone number written with spaces or parentheses, starting at `at`: one term, as words() makes
 * it one word. Null when the text there is anything else (including a grouping parenthesis).
 */
function phoneAt(text: string, at: number): string | null {
  PHONE_RUN.lastIndex = at
  const match = PHONE_RUN.exec(text)
  if (!match) return null
  let run = match[0].replace(/[^\d)]+$/, '')
  while (run.endsWith(')') && count(run, ')') > count(run, '(')) run = run.slice(0, -1).replace(/[^\d)]+$/, '')
  if (!/[ ()]/.test(run) || count(run, '(') !== count(run, ')')) return null
  // Only a run that words() turns into one word is a phone number; anything else is lexed as usual.
  return words(run).length === 1 ? run : null
}

function count(text: string, char: string): number {
  return text.split(char).length - 1
}

/** `smith*` would silently search for `smith`: say that words match whole instead. */
function refuseWildcard(text: string, valueAt: number, value: string): void {
  const star = value.indexOf('*')
  if (star >= 0) {
    throw positioned(text, valueAt + star, 'there are no wildcards: words match whole', 'Search for the whole word, or quote "*" to search for the text itself.')
  }
}

function readQuoted(text: string, start: number): [string, number] {
  let value = ''
  let at = start + 1
  while (at < text.length) {
    const char = text[at]
    if (char === '\\' && at + 1 < text.length) {
      value += text[at + 1]
      at += 2
    } else if (char === '"') {
      return [value, at + 1]
    } else {
      value += char
      at++
    }
  }
  throw positioned(text, start, 'this quote is never closed')
}

class Parser {
  private at = 0

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  done(): boolean {
    return this.at >= this.tokens.length
  }

  parseOr(depth: number): Filter {
    const children = [this.parseAnd(depth)]
    while (this.peek()?.type === 'or') {
      this.at++
      children.push(this.parseAnd(depth))
    }
    return children.length === 1 ? children[0] : {kind: 'or', children}
  }

  private parseAnd(depth: number): Filter {
    const children = [this.parseUnary(depth)]
    for (;;) {
      const next = this.peek()
      if (next?.type === 'and') {
        this.at++
        children.push(this.parseUnary(depth))
      } else if (next && (next.type === 'term' || next.type === 'lparen')) {
        children.push(this.parseUnary(depth))
      } else {
        break
      }
    }
    return children.length === 1 ? children[0] : {kind: 'and', children}
  }

  private parseUnary(depth: number): Filter {
    const token = this.peek()
    if (!token) this.fail('the query ends where a term was expected', this.text.length)
    if (token.type === 'lparen') {
      if (depth >= MAX_DEPTH) this.fail(`parentheses nest deeper than ${MAX_DEPTH}`, token.at)
      this.at++
      if (this.peek()?.type === 'rparen') this.fail('these parentheses hold nothing', token.at)
      const inner = this.parseOr(depth + 1)
      const close = this.peek()
      if (close?.type !== 'rparen') this.fail('this parenthesis is never closed', token.at)
      this.at++
      return inner
    }
    if (token.type === 'term') {
      this.at++
      const filter = termFilter(this.text, token)
      origins.set(filter, {text: this.text, at: token.at})
      return filter
    }
    const found = token.type === 'rparen' ? '")"' : token.type.toUpperCase()
    return this.fail(`expected a term, found ${found}`, token.at)
  }

  private peek(): Token | undefined {
    return this.tokens[this.at]
  }

  fail(message: string, at = this.tokens[this.at]?.at ?? this.text.length): never {
    throw positioned(this.text, at, message)
  }
}

function termFilter(text: string, token: Term): Filter {
  const {key, op, value} = token
  if (key === null) return wordsFilter(text, token, null)
  if (isTimeKey(key)) return timeFilter(text, token, key)
  if (isSpecialKey(key)) {
    if (op) throw positioned(text, token.at, `${key} takes a value, not a range`)
    return {kind: 'equals', key, value: specialValue(text, token, key)}
  }
  if (op) return {kind: 'range', key, ...dayBound(op, value.trim())}
  return wordsFilter(text, token, key)
}

/** The value of a special key, refusing values that can never match (type:custmer). */
function specialValue(text: string, token: Term, key: SpecialKey): string {
  const value = token.value.trim().toLowerCase()
  const allowed = key === 'type' ? OBJECT_TYPES : key === 'mediaType' ? MEDIA_TYPES : key === 'state' ? STATES : null
  const known = key === 'type' ? isObjectType(value) : key === 'mediaType' ? isMediaType(value) : key === 'state' ? STATES.includes(value) : true
  if (allowed && !known) {
    throw positioned(text, token.at, `${key} is one of ${allowed.join(', ')}, not "${printable(token.value)}"`)
  }
  if (value === '') throw positioned(text, token.at, `"${key}:" needs a value`)
  return value
}

function wordsFilter(text: string, token: Term, key: string | null): Filter {
  const found = words(token.value)
  if (found.length === 0) throw positioned(text, token.at, `"${printable(token.value)}" has no letters or digits to search for`)
  return {kind: 'words', key, words: found}
}

/**
 * `created:>=2026-01-01`, `created:2026-01-31` (that whole UTC day), or an instant. A plain date
 * stands for its whole day: `>2026-01-31` starts on February 1st, `<=2026-01-31` ends with January 31st.
 */
function timeFilter(text: string, token: Term, key: TimeKey): Filter {
  const value = token.value.trim()
  const epoch = instant(text, token, key, value)
  if (token.op) {
    const {op, value: bound} = dayBound(token.op, value)
    return {kind: 'range', key, op, value: bound === value ? new Date(epoch).toISOString() : `${bound}T00:00:00.000Z`}
  }
  const day = PLAIN_DATE.test(value)
  const start = new Date(epoch).toISOString()
  const children: Filter[] = [
    {kind: 'range', key, op: '>=', value: start},
    day ? {kind: 'range', key, op: '<', value: new Date(epoch + DAY_MS).toISOString()} : {kind: 'range', key, op: '<=', value: start},
  ]
  return {kind: 'and', children}
}

/** Epoch milliseconds of an ISO-8601 date or instant with a zone; no calendar overflow (no February 30th). */
function instant(text: string, token: Term, key: string, value: string): number {
  const parts = PLAIN_DATE.exec(value) ?? INSTANT.exec(value)
  const epoch = parts ? Date.parse(PLAIN_DATE.test(value) ? `${value}T00:00:00Z` : value) : Number.NaN
  if (!parts || Number.isNaN(epoch) || !realDay(Number(parts[1]), Number(parts[2]), Number(parts[3]))) {
    throw positioned(text, token.at, `${key} needs an ISO-8601 date or instant such as 2026-01-31 or 2026-01-31T09:00:00Z, not "${printable(value)}"`)
  }
  return epoch
}

function realDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A bound on a plain date covers whole days: `> D` is `>= D+1`, `<= D` is `< D+1`. Other values pass unchanged. */
function dayBound(op: RangeOp, value: string): {op: RangeOp; value: string} {
  const parts = PLAIN_DATE.exec(value)
  if (!parts || (op !== '>' && op !== '<=') || !realDay(Number(parts[1]), Number(parts[2]), Number(parts[3]))) return {op, value}
  const next = new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)
  return {op: op === '>' ? '>=' : '<', value: next}
}

/** Query text as it is safe to print: control and bidirectional characters shown as �. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '\uFFFD')
}

function positioned(text: string, at: number, message: string, advice?: string): UsageError {
  const long = text.length > 80
  const shown = printable(long ? text.slice(Math.max(0, at - 30), at + 30) : text)
  const caretAt = long ? Math.min(at, 30) : at
  return new UsageError(`bad query at column ${at + 1}: ${message}`, {
    where: `column ${at + 1}`,
    hint: `${advice ?? 'Queries look like: Context_Last_Name:smith AND (mediaType:voice OR tags:vip)'}\n    ${shown}\n    ${' '.repeat(caretAt)}^`,
  })
}
