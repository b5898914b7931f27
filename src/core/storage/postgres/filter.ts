// Compiles the search tree (src/core/search/query.ts) to a SQL condition on ctx_objects `o`, with
// every value a $n parameter. Each term hits an index (the GIN index on `terms`, or a btree on a
// link column or a time), and gives exactly the answer of the in-memory matcher in evaluate.ts:
// where the index holds a word without its field (rows.ts), the field's word sequence decides.
import {type DataType, type Definitions, fieldOf, isSearchable} from '../../definitions/model.js'
import {rangeOperand} from '../../search/evaluate.js'
import {type Filter, isTimeKey, type SpecialKey} from '../../search/query.js'
import {isToken} from '../../crypto/sealed-value.js'
import {ANY_FIELD, fieldTerm, phraseNeedle, specialTerm} from './rows.js'

const NUMERIC: readonly DataType[] = ['integer', 'long', 'double']

/** Collects query parameters; `add` returns the placeholder to write in the SQL. */
export class Params {
  readonly values: unknown[] = []

  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/**
 * Special keys compared on their column, lower-cased (through an index for the links). PostgreSQL's
 * lower() folds ASCII as JavaScript does, which covers ctx's ids and enums; the other special keys
 * (id, externalId, tags, fieldsets) are terms lower-cased in JavaScript.
 */
const COLUMNS: Partial<Record<SpecialKey, string>> = {
  type: 'o.type',
  customerId: 'lower(o.customer_id)',
  parentId: 'lower(o.parent_id)',
  state: 'lower(o.state)',
  mediaType: 'lower(o.media_type)',
}

/** Whether compiling `filter` needs the definitions (field types, which fields are searchable). */
export function needsDefinitions(filter: Filter | null | undefined): boolean {
  if (!filter) return false
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.children.some(needsDefinitions)
    case 'words':
      return true
    case 'range':
      return !isTimeKey(filter.key)
    case 'equals':
      return false
  }
}

/** The condition for `filter` (checked already by checkFilter); `TRUE` for no filter. */
export function compileFilter(filter: Filter | null | undefined, params: Params, definitions: Definitions | null): string {
  if (!filter) return 'TRUE'
  const unsearchable = definitions
    ? Object.values(definitions.fields)
        .filter((field) => !isSearchable(field))
        .map((field) => field.id)
    : []
  return compile(filter, params, definitions, unsearchable)
}

function compile(filter: Filter, params: Params, definitions: Definitions | null, unsearchable: string[]): string {
  switch (filter.kind) {
    case 'or': {
      const listed = oneColumnAnyOf(filter.children)
      if (listed) return `${listed.column} = ANY(${params.add(listed.values)}::text[])`
      // Single words in named fields (a phone number's spellings, phone.ts): one overlap of the
      // GIN index rather than a bitmap OR of many probes, which the planner prices above a scan.
      const single = filter.children.filter(isOneFieldWord)
      const rest = single.length > 1 ? filter.children.filter((child) => !isOneFieldWord(child)) : filter.children
      const parts = single.length > 1 ? anyOfFieldWords(single, params) : []
      parts.push(...rest.map((child) => compile(child, params, definitions, unsearchable)))
      return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`
    }
    case 'and': {
      const found = filter.children.some(foundByTerms)
      const parts = filter.children.map((child) => (found && child.kind === 'equals' && child.key === 'type' ? checkedType(child.value, params) : compile(child, params, definitions, unsearchable)))
      return `(${parts.join(' AND ')})`
    }
    case 'equals': {
      const column = COLUMNS[filter.key]
      if (column) return `${column} = ${params.add(filter.value)}`
      return `o.terms @> ${params.add([specialTerm(filter.key as 'id', filter.value)])}::text[]`
    }
    case 'words':
      return filter.key === null ? anyField(filter.words, params, unsearchable) : inField(filter.key, filter.words, params)
    case 'range': {
      const op = filter.op
      if (isTimeKey(filter.key)) {
        // Instants compared as instants; one that does not parse ('infinity') matches no range.
        const column = filter.key === 'created' ? 'o.created_at' : 'o.updated_at'
        return `(isfinite(${column}) AND ${column} ${op} ${params.add(filter.value)}::timestamptz)`
      }
      const dataType = definitions ? fieldOf(definitions, filter.key)?.dataType : undefined
      if (dataType === undefined || (dataType !== 'date' && !NUMERIC.includes(dataType))) return 'FALSE'
      const value = dataType === 'date' ? `coalesce(o.numbers -> ${params.add(filter.key)}, o.dates -> $${params.values.length})` : `o.numbers -> ${params.add(filter.key)}`
      return `(${value})::float8 ${op} ${params.add(rangeOperand(filter.value, dataType))}::float8`
    }
  }
}

/** Whether the terms index alone finds the rows `filter` matches (words, ids, tags: every branch of an OR). */
export function foundByTerms(filter: Filter | null | undefined): boolean {
  if (!filter) return false
  switch (filter.kind) {
    case 'words':
      return true
    case 'equals':
      return COLUMNS[filter.key] === undefined
    case 'or':
      return filter.children.every(foundByTerms)
    case 'and':
      return filter.children.some(foundByTerms)
    case 'range':
      return false
  }
}

/**
 * `type = T` checked on rows found otherwise (`IS TRUE` is no condition an index answers). ANDed
 * with words, the planner took the link-order index's entry of every object of the type to AND
 * with the terms index, estimating a word's rows from the statistics' least common element: a
 * customer's email among 20k customers read 26,000 index entries (7-48 ms) for the 2 rows the
 * terms index found (0.7 ms without; P6).
 */
function checkedType(type: string, params: Params): string {
  return `(o.type = ${params.add(type)}) IS TRUE`
}

/** Whether `filter` requires one of a list of parents or customers (an OR of parentId or customerId equalities). */
export function namesLinkList(filter: Filter | null | undefined): boolean {
  if (!filter) return false
  if (filter.kind === 'and') return filter.children.some(namesLinkList)
  return isLinkList(filter)
}

/**
 * A filter that is, or is an AND of, a link list and other conditions: the `FROM` of the rows the
 * list names, one index probe per id, and the rest as a condition on them (TRUE when nothing else);
 * null when no list is at the top. Probing per id (a LATERAL subquery the planner cannot flatten)
 * leaves the planner no plan to misjudge: with `lower(parent_id) = ANY(1000 ids)` among 2.5M
 * objects it scanned the whole table, and ANDed with `type` it read the link-order index's entry
 * of every comment, for each id (P7).
 */
export function linkListQuery(filter: Filter | null | undefined, params: Params, definitions: Definitions | null): {from: string; rest: string} | null {
  if (!filter) return null
  const list = isLinkList(filter) ? filter : filter.kind === 'and' ? filter.children.find(isLinkList) : undefined
  if (!list || list.kind !== 'or') return null
  const {column, values} = oneColumnAnyOf(list.children)!
  const from = `unnest(${params.add([...new Set(values)])}::text[]) AS l(key) CROSS JOIN LATERAL (SELECT * FROM ctx_objects o WHERE ${column} = l.key OFFSET 0) o`
  const others = filter === list ? [] : (filter as {children: Filter[]}).children.filter((child) => child !== list)
  return {from, rest: others.length === 0 ? 'TRUE' : compileFilter({kind: 'and', children: others}, params, definitions)}
}

function isLinkList(filter: Filter): boolean {
  if (filter.kind !== 'or') return false
  const first = filter.children[0]
  return first?.kind === 'equals' && (first.key === 'parentId' || first.key === 'customerId') && oneColumnAnyOf(filter.children) !== null
}

/**
 * The column of a link equality the filter requires (`customerId:C`, alone or ANDed with more), or
 * null: its rows are ordered through that link's index.
 */
export function linkEquality(filter: Filter | null | undefined): string | null {
  if (!filter) return null
  if (filter.kind === 'equals' && (filter.key === 'customerId' || filter.key === 'parentId')) return COLUMNS[filter.key]!
  if (filter.kind !== 'and') return null
  for (const child of filter.children) {
    const column = linkEquality(child)
    if (column) return column
  }
  return null
}

/**
 * An OR of equalities on one column (the comments on a thousand activities: parentId = A OR
 * parentId = B ...) as one `column = ANY(array)`: the planner then probes the column's index for
 * each value, where a long OR led it to walk the newest-first index and test every row (P7).
 */
function oneColumnAnyOf(children: readonly Filter[]): {column: string; values: string[]} | null {
  const first = children[0]
  if (children.length < 2 || first?.kind !== 'equals') return null
  const column = COLUMNS[first.key]
  if (!column) return null
  const values: string[] = []
  for (const child of children) {
    if (child.kind !== 'equals' || child.key !== first.key) return null
    values.push(child.value)
  }
  return {column, values}
}

function isOneFieldWord(filter: Filter): filter is Filter & {kind: 'words'; key: string} {
  return filter.kind === 'words' && filter.key !== null && filter.words.length === 1
}

/**
 * Words in one field: a sealed value's token through the index alone; clear words through their
 * `*:word` terms, then on the field's word sequence, which holds them in that field (and in order,
 * for a phrase).
 */
function inField(field: string, phrase: string[], params: Params): string {
  if (phrase.length === 1 && isToken(phrase[0])) return `o.terms @> ${params.add([fieldTerm(field, phrase[0])])}::text[]`
  const indexed = `o.terms @> ${params.add(phrase.map((word) => fieldTerm(ANY_FIELD, word)))}::text[]`
  return `(${indexed} AND EXISTS (SELECT 1 FROM unnest(o.phrases) AS p(words) WHERE starts_with(p.words, ${params.add(`${field}: `)}) AND strpos(p.words, ${params.add(phraseNeedle(phrase))}) > 0))`
}

/**
 * An OR of single words, each in a named field: the tokens in one overlap of their terms; the clear
 * words in one overlap of their `*:word` terms, then one pass over the word sequences for a field
 * holding its word.
 */
function anyOfFieldWords(children: readonly (Filter & {kind: 'words'; key: string})[], params: Params): string[] {
  const tokens = children.filter((child) => isToken(child.words[0]))
  const clear = children.filter((child) => !isToken(child.words[0]))
  const parts = tokens.length > 0 ? [`o.terms && ${params.add(tokens.map((child) => fieldTerm(child.key, child.words[0])))}::text[]`] : []
  if (clear.length === 0) return parts
  const indexed = `o.terms && ${params.add([...new Set(clear.map((child) => fieldTerm(ANY_FIELD, child.words[0])))])}::text[]`
  const held = clear.map((child) => `(starts_with(p.words, ${params.add(`${child.key}: `)}) AND strpos(p.words, ${params.add(phraseNeedle(child.words))}) > 0)`)
  parts.push(`(${indexed} AND EXISTS (SELECT 1 FROM unnest(o.phrases) AS p(words) WHERE ${held.join(' OR ')}))`)
  return parts
}

/**
 * Words in any searchable field. The `*:word` terms find candidates through the index; when a
 * phrase or an unsearchable field is involved, the word sequences of the searchable fields decide.
 * Searchability is read at query time, so changing a field's flag needs no re-indexing.
 */
function anyField(phrase: string[], params: Params, unsearchable: string[]): string {
  const indexed = `o.terms @> ${params.add(phrase.map((word) => fieldTerm(ANY_FIELD, word)))}::text[]`
  if (phrase.length === 1 && unsearchable.length === 0) return indexed
  const skip = unsearchable.length === 0 ? '' : ` AND split_part(p.words, ':', 1) <> ALL(${params.add(unsearchable)}::text[])`
  return `(${indexed} AND EXISTS (SELECT 1 FROM unnest(o.phrases) AS p(words) WHERE strpos(p.words, ${params.add(phraseNeedle(phrase))}) > 0${skip}))`
}

/**
 * The customer keys a filter confines its matches to — `customerId:C`, or a list of them, alone or
 * ANDed with more — or null. Every object linked to customer C has the key customerKeyOf(C), which
 * is C's lower() as the filter compares it, so on Citus `customer_key = ANY(keys)` sends the query
 * to the shards of those customers alone.
 */
export function customerKeysOf(filter: Filter | null | undefined): string[] | null {
  if (!filter) return null
  if (filter.kind === 'equals' && filter.key === 'customerId') return [filter.value]
  if (filter.kind === 'or') {
    const listed = oneColumnAnyOf(filter.children)
    return listed && filter.children[0].kind === 'equals' && filter.children[0].key === 'customerId' ? listed.values : null
  }
  if (filter.kind !== 'and') return null
  for (const child of filter.children) {
    const keys = customerKeysOf(child)
    if (keys) return keys
  }
  return null
}
