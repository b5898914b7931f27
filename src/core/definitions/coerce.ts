// Field values typed on a command line or read from CSV arrive as text; this turns them into the
// field's type or refuses them, naming the field and what it expects.
import {InvalidDataError} from '../errors.js'
import type {FieldValue} from '../model.js'
import {type Definitions, type FieldDefinition, fieldOf, INT32} from './model.js'

const INTEGER = /^[+-]?\d+$/
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const TRUE = new Set(['true', 'yes', 'y', '1', 'on'])
const FALSE = new Set(['false', 'no', 'n', '0', 'off'])

/** Coerces text to the type of `field`; validation of ranges, lengths and enums happens later. */
export function coerceFieldValue(field: FieldDefinition, text: string): FieldValue {
  const trimmed = text.trim()
  switch (field.dataType) {
    case 'string':
    case 'date':
      return text
    case 'integer': {
      const value = Number(trimmed)
      if (!INTEGER.test(trimmed) || value < INT32.min || value > INT32.max) throw refuse(field, text, `from ${INT32.min} to ${INT32.max}`)
      return value
    }
    case 'long': {
      // 64-bit in Context Service; JSON numbers are exact only up to 2^53, so ctx refuses beyond that rather than round.
      const value = Number(trimmed)
      if (!INTEGER.test(trimmed) || !Number.isSafeInteger(value)) throw refuse(field, text, `from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`)
      return value
    }
    case 'double': {
      const value = Number(trimmed)
      if (!NUMBER.test(trimmed) || !Number.isFinite(value)) throw refuse(field, text)
      return value
    }
    case 'boolean': {
      const lower = trimmed.toLowerCase()
      if (TRUE.has(lower)) return true
      if (FALSE.has(lower)) return false
      throw refuse(field, text)
    }
  }
}

function refuse(field: FieldDefinition, text: string, range?: string): InvalidDataError {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text
  const expected = `${article(field.dataType)} ${field.dataType}${range ? ` ${range}` : ''}`
  return new InvalidDataError(`field ${field.id} takes ${expected}; "${shown}" is not`, {
    where: field.id,
    hint: `Give ${field.id} ${field.dataType === 'boolean' ? 'true or false (yes/no, 1/0 also work)' : `${expected}`}.`,
    details: {field: field.id, dataType: field.dataType, value: text},
  })
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a'
}

/**
 * Parses repeated `--field ID=VALUE` assignments. An empty VALUE means "remove this field" and is
 * returned as null.
 */
export function parseFieldAssignments(assignments: readonly string[], definitions: Definitions): Record<string, FieldValue | null> {
  const out: Record<string, FieldValue | null> = {}
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    if (equals <= 0) {
      throw new InvalidDataError(`--field takes ID=VALUE, not "${assignment}"`, {hint: 'For example --field Context_City=Lyon.'})
    }
    const id = assignment.slice(0, equals).trim()
    const text = assignment.slice(equals + 1)
    const field = fieldOf(definitions, id)
    if (!field) {
      throw new InvalidDataError(`unknown field "${id}"`, {where: id, hint: 'Run `ctx fields list` to see the fields this store knows.'})
    }
    out[id] = text === '' ? null : coerceFieldValue(field, text)
  }
  return out
}
