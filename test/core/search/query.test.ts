import {describe, expect, it} from 'vitest'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import {UsageError} from '../../../src/core/errors.js'
import {checkFilter, matcher} from '../../../src/core/search/evaluate.js'
import {type Filter, MAX_QUERY_LENGTH, parseQuery} from '../../../src/core/search/query.js'
import {searchFixtures} from '../../contract/search-contract.js'

const words = (key: string | null, ...list: string[]): Filter => ({kind: 'words', key, words: list})

function usageError(run: () => unknown): UsageError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error('expected a usage error')
}

describe('parseQuery', () => {
  it('reads nothing as no filter at all', () => {
    expect(parseQuery('')).toBeNull()
    expect(parseQuery('   \t ')).toBeNull()
  })

  it('joins terms by AND by default, and binds AND tighter than OR', () => {
    expect(parseQuery('a b')).toEqual({kind: 'and', children: [words(null, 'a'), words(null, 'b')]})
    expect(parseQuery('a OR b c')).toEqual({kind: 'or', children: [words(null, 'a'), {kind: 'and', children: [words(null, 'b'), words(null, 'c')]}]})
    expect(parseQuery('a AND b OR c')).toEqual({kind: 'or', children: [{kind: 'and', children: [words(null, 'a'), words(null, 'b')]}, words(null, 'c')]})
  })

  it('groups with parentheses', () => {
    expect(parseQuery('(a OR b) c')).toEqual({kind: 'and', children: [{kind: 'or', children: [words(null, 'a'), words(null, 'b')]}, words(null, 'c')]})
    expect(parseQuery('((a))')).toEqual(words(null, 'a'))
  })

  it('reads AND and OR as operators only in capitals', () => {
    expect(parseQuery('a or b')).toEqual({kind: 'and', children: [words(null, 'a'), words(null, 'or'), words(null, 'b')]})
    expect(parseQuery('"OR"')).toEqual(words(null, 'or'))
  })

  it('keeps a quoted phrase together, with backslash escapes, on one field or any', () => {
    expect(parseQuery('"Late  Delivery"')).toEqual(words(null, 'late', 'delivery'))
    expect(parseQuery('Context_Title:"late delivery"')).toEqual(words('Context_Title', 'late', 'delivery'))
    expect(parseQuery('"say \\"hi\\""')).toEqual(words(null, 'say', 'hi'))
  })

  it('reads an email address and a phone number written with spaces as one term', () => {
    expect(parseQuery('Ada@Example.com')).toEqual(words(null, 'ada@example.com'))
    expect(parseQuery('+44 20 7946 0000')).toEqual(words(null, '442079460000'))
    expect(parseQuery('(555) 123-4567 smith')).toEqual({kind: 'and', children: [words(null, '5551234567'), words(null, 'smith')]})
    expect(parseQuery('Context_Work_Phone:+44 20 7946 0000')).toEqual(words('Context_Work_Phone', '442079460000'))
    expect(parseQuery('(+44 20 7946 0000 OR x)')).toEqual({kind: 'or', children: [words(null, '442079460000'), words(null, 'x')]})
    // Short digit groups are separate words; parentheses around them still group.
    expect(parseQuery('1234 5678')).toEqual({kind: 'and', children: [words(null, '1234'), words(null, '5678')]})
    expect(parseQuery('(555 OR 1234567)')).toEqual({kind: 'or', children: [words(null, '555'), words(null, '1234567')]})
  })

  it('reads special keys in any case as exact, lower-cased values', () => {
    expect(parseQuery('TYPE:Customer')).toEqual({kind: 'equals', key: 'type', value: 'customer'})
    expect(parseQuery('tags:"Needs Callback"')).toEqual({kind: 'equals', key: 'tags', value: 'needs callback'})
    expect(parseQuery('externalId:CRM-42')).toEqual({kind: 'equals', key: 'externalId', value: 'crm-42'})
    expect(parseQuery('fieldsets:acme.extra')).toEqual({kind: 'equals', key: 'fieldsets', value: 'acme.extra'})
  })

  it('reads a day as that whole UTC day, and a bound on a day as whole days', () => {
    expect(parseQuery('created:2026-01-31')).toEqual({
      kind: 'and',
      children: [
        {kind: 'range', key: 'created', op: '>=', value: '2026-01-31T00:00:00.000Z'},
        {kind: 'range', key: 'created', op: '<', value: '2026-02-01T00:00:00.000Z'},
      ],
    })
    expect(parseQuery('lastUpdated:>2026-01-31')).toEqual({kind: 'range', key: 'lastUpdated', op: '>=', value: '2026-02-01T00:00:00.000Z'})
    expect(parseQuery('lastUpdated:<=2026-12-31')).toEqual({kind: 'range', key: 'lastUpdated', op: '<', value: '2027-01-01T00:00:00.000Z'})
    expect(parseQuery('lastUpdated:<2026-02-01')).toEqual({kind: 'range', key: 'lastUpdated', op: '<', value: '2026-02-01T00:00:00.000Z'})
    expect(parseQuery('lastUpdated:>=2026-01-31T10:00:00+01:00')).toEqual({kind: 'range', key: 'lastUpdated', op: '>=', value: '2026-01-31T09:00:00.000Z'})
    expect(parseQuery('Acme_Renewal:>2026-02-28')).toEqual({kind: 'range', key: 'Acme_Renewal', op: '>=', value: '2026-03-01'})
    expect(parseQuery('Acme_Score:>7')).toEqual({kind: 'range', key: 'Acme_Score', op: '>', value: '7'})
  })

  it('treats a pasted URL as words, not as a key', () => {
    expect(parseQuery('https://crm.example.com/a')).toEqual(words(null, 'https', 'crm.example.com', 'a'))
  })

  it('points at the column of what is wrong', () => {
    const cases: [string, number][] = [
      ['(lovelace OR smith', 1],
      ['lovelace OR smith)', 18],
      ['lovelace OR', 12],
      ['a "open', 3],
      ['a type:nope', 3],
      ['a created:2026-13-01', 3],
      ['a b c smi*', 10],
      ['Context_Last_Name:smi*', 22],
      ['a NOT b', 3],
      ['a -b', 3],
      ['a AND OR b', 7],
      ['a ()', 3],
      ['x Context_Last_Name:', 3],
    ]
    for (const [query, column] of cases) {
      const error = usageError(() => parseQuery(query))
      expect(error.where, query).toBe(`column ${column}`)
      expect(error.hint, query).toContain(`\n    ${' '.repeat(column - 1)}^`)
    }
  })

  it('points at the column of an unknown or unsearchable field once checked against definitions', () => {
    const definitions = baseDefinitions()
    const unknown = usageError(() => checkFilter(parseQuery('lovelace Nope:x'), definitions))
    expect(unknown.where).toBe('column 10')
    const wrongCase = usageError(() => checkFilter(parseQuery('context_last_name:x'), definitions))
    expect(wrongCase.hint).toContain('Context_Last_Name')
    expect(usageError(() => checkFilter(parseQuery('a (b OR Context_Visible:true)'), definitions)).where).toBe('column 9')
    expect(usageError(() => checkFilter(parseQuery('Context_Title:>5'), definitions)).where).toBe('column 1')
  })

  it('refuses a query longer than the limit and nesting deeper than 32', () => {
    usageError(() => parseQuery('a'.repeat(MAX_QUERY_LENGTH + 1)))
    expect(parseQuery('a '.repeat(MAX_QUERY_LENGTH / 2 - 1))).toMatchObject({kind: 'and'})
    usageError(() => parseQuery(`${'('.repeat(33)}a${')'.repeat(33)}`))
    expect(parseQuery(`${'('.repeat(32)}a${')'.repeat(32)}`)).toEqual(words(null, 'a'))
  })

  it('never echoes control or bidirectional characters back to the terminal', () => {
    const error = usageError(() => parseQuery('\u001B]8;;x\u0007 \u202E "open'))
    expect(error.hint).not.toMatch(/[\u001B\u0007\u202E]/)
  })
})

describe('the query language under random and hostile input', () => {
  // Seeded, so a failure names a reproducible input.
  function random(seed: number) {
    let state = seed
    return () => {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
    }
  }
  const pieces = ['(', ')', '"', '\\', ':', '>', '>=', '<', '<=', '*', '-', '+', ' ', ' ', ' ', 'AND', 'OR', 'NOT', 'and', 'smith', 'Ada',
    'type:', 'tags:', 'created:', 'lastUpdated:', 'Context_Last_Name:', 'Acme_Score:', 'Nope:', 'id:', '2026-01-31', '2026-02-30', '12:30',
    '555', '0100', '(555)', '+44', '@', '.', "'", ';', 'DROP TABLE', '--', '\u0000', '\n', 'é', 'ß', '\u202E', '😀', 'ﬁ', '%', '$1', '\\"']

  it('either parses or is a usage error, and a parsed query evaluates without throwing', () => {
    const next = random(20260131)
    const definitions = baseDefinitions()
    definitions.fields.Acme_Score = {id: 'Acme_Score', dataType: 'integer', classification: 'UNENCRYPTED'}
    const objects = searchFixtures()
    let parsed = 0
    for (let round = 0; round < 4000; round++) {
      const length = 1 + Math.floor(next() * 12)
      const query = Array.from({length}, () => pieces[Math.floor(next() * pieces.length)]).join(next() < 0.5 ? ' ' : '')
      let filter: Filter | null
      try {
        filter = parseQuery(query)
        checkFilter(filter, definitions)
      } catch (error) {
        expect(error, JSON.stringify(query)).toBeInstanceOf(UsageError)
        continue
      }
      parsed++
      const matches = matcher(filter, definitions)
      for (const object of objects) expect(typeof matches(object)).toBe('boolean')
    }
    // The generator must exercise both outcomes, or it tests nothing.
    expect(parsed).toBeGreaterThan(400)
    expect(parsed).toBeLessThan(3600)
  })

  it('is a usage error for arbitrary unicode noise, never anything else', () => {
    const next = random(7)
    for (let round = 0; round < 2000; round++) {
      const query = Array.from({length: Math.floor(next() * 40)}, () => String.fromCodePoint(Math.floor(next() * 0x2_0000))).join('')
      try {
        parseQuery(query)
      } catch (error) {
        expect(error, JSON.stringify(query)).toBeInstanceOf(UsageError)
      }
    }
  })
})
