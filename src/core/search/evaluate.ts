// Evaluates a query tree against one object in memory: the search of the memory and file stores.
// Postgres compiles the same tree to SQL; the contract suite holds both to the same answers.
import type {Definitions} from '../definitions/model.js'
import {isSearchable} from '../definitions/model.js'
import {UsageError} from '../errors.js'
import type {ContextObject, FieldValue} from '../model.js'
import {type Filter, isSpecialKey, isTimeKey, type RangeOp} from './query.js'
import {containsPhrase, words} from './words.js'

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
      const field = definitions.fields[filter.key]
      if (!field) {
        throw new UsageError(`the query names "${filter.key}", which is neither a field nor one of the special keys`, {
          where: filter.key,
          hint: 'Special keys: id, type, customerId, parentId, state, mediaType, tags, externalId, created, lastUpdated. Fields: `ctx fields list`.',
        })
      }
      if (!isSearchable(field)) throw new UsageError(`field ${filter.key} is not searchable`, {where: filter.key})
      if (filter.kind === 'range' && !['date', 'integer', 'long', 'double'].includes(field.dataType)) {
        throw new UsageError(`field ${filter.key} is ${field.dataType}; ranges work on dates and numbers`, {where: filter.key})
      }
      if (filter.kind === 'range') rangeOperand(filter.value, field.dataType, filter.key)
    }
  }
}

/** A function answering whether an object matches; word lists are computed once per object and field. */
export function matcher(filter: Filter | null | undefined, definitions: Definitions): (object: ContextObject) => boolean {
  if (!filter) return () => true
  return (object) => {
    const cache = new Map<string, string[]>()
    const fieldWords = (key: string) => {
      let found = cache.get(key)
      if (!found) {
        const value = object.data[key]
        found = value === undefined ? [] : words(String(value))
        cache.set(key, found)
      }
      return found
    }
    return evaluate(filter, object, definitions, fieldWords)
  }
}

function evaluate(filter: Filter, object: ContextObject, definitions: Definitions, fieldWords: (key: string) => string[]): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.children.every((child) => evaluate(child, object, definitions, fieldWords))
    case 'or':
      return filter.children.some((child) => evaluate(child, object, definitions, fieldWords))
    case 'equals': {
      if (filter.key === 'tags' || filter.key === 'fieldsets') {
        return (object[filter.key] ?? []).some((item) => item.toLowerCase() === filter.value)
      }
      const value = object[filter.key]
      return typeof value === 'string' && value.toLowerCase() === filter.value
    }
    case 'words': {
      if (filter.key !== null) return containsPhrase(fieldWords(filter.key), filter.words)
      return Object.keys(object.data).some(
        (key) => isSearchable(definitions.fields[key]) && containsPhrase(fieldWords(key), filter.words),
      )
    }
    case 'range': {
      if (isTimeKey(filter.key)) return compare(object[filter.key], filter.op, filter.value)
      const field = definitions.fields[filter.key]
      const value = object.data[filter.key]
      if (!field || value === undefined) return false
      return compareField(value, filter.op, rangeOperand(filter.value, field.dataType, filter.key))
    }
  }
}

function compare<T extends string | number>(left: T, op: RangeOp, right: T): boolean {
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

function compareField(value: FieldValue, op: RangeOp, operand: number): boolean {
  const left = rangeValue(value)
  return !Number.isNaN(left) && compare(left, op, operand)
}

/** What a range compares for a field value: numbers as they are, anything else as a date (epoch ms). Postgres stores it per field. */
export function rangeValue(value: FieldValue): number {
  return typeof value === 'number' ? value : Date.parse(String(value))
}

/** The number a range compares with: the value itself for numbers, epoch milliseconds for dates. */
export function rangeOperand(text: string, dataType: string, key: string): number {
  const value = dataType === 'date' ? Date.parse(text) : Number(text)
  if (Number.isNaN(value) || text === '') {
    throw new UsageError(`the range on ${key} needs ${dataType === 'date' ? 'an ISO-8601 date' : 'a number'}, not "${text}"`, {where: key})
  }
  return value
}
