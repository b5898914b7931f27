// The search language of DESIGN §1: `key:value` terms and bare words joined by AND / OR (AND by
// default, AND binds tighter), parentheses, quoted phrases, and ranges on dates and numbers. It
// parses to a small tree that every adapter evaluates; nothing in a query ever reaches a store as code.
import {parseInstant} from '../clock.js'
import {UsageError} from '../errors.js'
import {words} from './words.js'

export const SPECIAL_KEYS = ['id', 'type', 'customerId', 'parentId', 'state', 'mediaType', 'tags', 'externalId', 'fieldsets'] as const
export type SpecialKey = (typeof SPECIAL_KEYS)[number]
export const TIME_KEYS = ['created', 'lastUpdated'] as const
export type TimeKey = (typeof TIME_KEYS)[number]
export type RangeOp = '<' | '<=' | '>' | '>='

export type Filter =
  | {kind: 'and'; children: Filter[]}
  | {kind: 'or'; children: Filter[]}
  /** Whole words, in this order, in one field (`key`) or in any searchable field (key null). */
  | {kind: 'words'; key: string | null; words: string[]}
  /** Exact, case-insensitive equality on a special key; for `tags` and `fieldsets`, one of the list. */
  | {kind: 'equals'; key: SpecialKey; value: string}
  /** A bound on created, lastUpdated or a date or number field; values of time keys are ISO instants. */
  | {kind: 'range'; key: string; op: RangeOp; value: string}

export const MAX_QUERY_LENGTH = 4096
const MAX_DEPTH = 32
const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/

type Token =
  | {type: 'lparen' | 'rparen' | 'and' | 'or'; at: number}
  | {type: 'term'; at: number; key: string | null; op: RangeOp | null; value: string; quoted: boolean}

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
  if (!parser.done()) parser.fail('unexpected ")"')
  return filter
}

/** Conjunction of filters, dropping nulls; null when nothing is left. */
export function allOf(...filters: (Filter | null | undefined)[]): Filter | null {
  const present = filters.filter((filter): filter is Filter => Boolean(filter))
  if (present.length === 0) return null
  return present.length === 1 ? present[0] : {kind: 'and', children: present}
}

export function equals(key: SpecialKey, value: string): Filter {
  return {kind: 'equals', key, value}
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  while (at < text.length) {
    const char = text[at]
    if (/\s/.test(char)) {
      at++
    } else if (char === '(' || char === ')') {
      tokens.push({type: char === '(' ? 'lparen' : 'rparen', at})
      at++
    } else if (char === '"') {
      const [value, end] = readQuoted(text, at)
      tokens.push({type: 'term', at, key: null, op: null, value, quoted: true})
      at = end
    } else {
      const start = at
      while (at < text.length && !/[\s()"]/.test(text[at])) at++
      const run = text.slice(start, at)
      if (run === 'AND' || run === 'OR') {
        tokens.push({type: run === 'AND' ? 'and' : 'or', at: start})
        continue
      }
      const keyed = /^([^:]+):(>=|<=|>|<)?(.*)$/.exec(run)
      if (keyed && KEY.test(keyed[1])) {
        const [, key, op, rest] = keyed
        if (rest === '' && text[at] === '"') {
          const [value, end] = readQuoted(text, at)
          tokens.push({type: 'term', at: start, key, op: (op as RangeOp) ?? null, value, quoted: true})
          at = end
        } else if (rest === '') {
          throw positioned(text, start, `"${key}:" needs a value`)
        } else {
          tokens.push({type: 'term', at: start, key, op: (op as RangeOp) ?? null, value: rest, quoted: false})
        }
      } else {
        tokens.push({type: 'term', at: start, key: null, op: null, value: run, quoted: false})
      }
    }
  }
  return tokens
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
      const inner = this.parseOr(depth + 1)
      const close = this.peek()
      if (close?.type !== 'rparen') this.fail('this parenthesis is never closed', token.at)
      this.at++
      return inner
    }
    if (token.type === 'term') {
      this.at++
      return termFilter(this.text, token)
    }
    return this.fail(`expected a term, found ${token.type === 'rparen' ? '")"' : token.type.toUpperCase()}`, token.at)
  }

  private peek(): Token | undefined {
    return this.tokens[this.at]
  }

  fail(message: string, at = this.tokens[this.at]?.at ?? this.text.length): never {
    throw positioned(this.text, at, message)
  }
}

function termFilter(text: string, token: Extract<Token, {type: 'term'}>): Filter {
  const {key, op, value} = token
  if (key === null) return wordsFilter(text, token, null)
  if (isTimeKey(key)) return timeFilter(text, token, key)
  if (isSpecialKey(key)) {
    if (op) throw positioned(text, token.at, `${key} takes a value, not a range`)
    return {kind: 'equals', key, value: value.trim().toLowerCase()}
  }
  if (op) return {kind: 'range', key, op, value: value.trim()}
  return wordsFilter(text, token, key)
}

function wordsFilter(text: string, token: Extract<Token, {type: 'term'}>, key: string | null): Filter {
  const found = words(token.value)
  if (found.length === 0) throw positioned(text, token.at, `"${token.value}" has no letters or digits to search for`)
  return {kind: 'words', key, words: found}
}

/** `created:>=2026-01-01`, or `created:2026-01-31` for that whole UTC day. */
function timeFilter(text: string, token: Extract<Token, {type: 'term'}>, key: string): Filter {
  const instant = (value: string) => {
    try {
      return parseInstant(value, key).toISOString()
    } catch {
      throw positioned(text, token.at, `${key} needs an ISO-8601 date or instant, not "${value}"`)
    }
  }
  if (token.op) return {kind: 'range', key, op: token.op, value: instant(token.value)}
  if (/^\d{4}-\d{2}-\d{2}$/.test(token.value)) {
    const start = instant(token.value)
    const end = new Date(Date.parse(start) + 86_400_000).toISOString()
    return {kind: 'and', children: [{kind: 'range', key, op: '>=', value: start}, {kind: 'range', key, op: '<', value: end}]}
  }
  const at = instant(token.value)
  return {kind: 'and', children: [{kind: 'range', key, op: '>=', value: at}, {kind: 'range', key, op: '<=', value: at}]}
}

function positioned(text: string, at: number, message: string): UsageError {
  const shown = text.length > 80 ? text.slice(Math.max(0, at - 30), at + 30) : text
  const caretAt = text.length > 80 ? Math.min(at, 30) : at
  return new UsageError(`bad query at column ${at + 1}: ${message}`, {
    where: `column ${at + 1}`,
    hint: `${shown}\n${' '.repeat(caretAt)}^\nQueries look like: Context_Last_Name:smith AND (mediaType:voice OR tags:vip)`,
  })
}
