// How one value is written in a CSV cell and read back, shared by export and import so the two can
// never disagree: lists (tags, fieldsets), field values, and the formula escape.
import type {FieldValue} from '../model.js'

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), the set
 * csv-stringify's own escape_formulas uses. We escape ourselves rather than with that option
 * because it is one-way: a value that already starts with `'=` would come back as `=`. Here a cell
 * gets one more `'` whenever its value is quotes followed by a formula character, and import takes
 * exactly one off such a cell, so every value survives export → import.
 */
const FORMULA = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

export function escapeFormula(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text
}

export function unescapeFormula(text: string): string {
  return text.startsWith("'") && FORMULA.test(text.slice(1)) ? text.slice(1) : text
}

/** The separator of list cells: `vip|gold`. */
export const LIST_SEPARATOR = '|'

/**
 * A list as one cell: items joined by `|`, or as a JSON array when an item could not survive that
 * (it holds `|`, is empty, has surrounding space, or the first starts with `[`); `[]` for an empty list.
 */
export function formatList(items: readonly string[]): string {
  const plain = items.length > 0 && items.every((item) => item !== '' && item.trim() === item && !item.includes(LIST_SEPARATOR)) && !items[0].startsWith('[')
  return plain ? items.join(LIST_SEPARATOR) : JSON.stringify(items)
}

/** Reads a list cell written by formatList, or typed by hand as `a|b` or `a | b`. */
export function parseList(text: string): string[] {
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed
    } catch {
      // Not JSON: a hand-typed list whose first item starts with "[".
    }
  }
  return text
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** A field value as cell text: numbers in JavaScript's shortest round-trip form, booleans as true/false. */
export function formatFieldValue(value: FieldValue): string {
  return typeof value === 'string' ? value : String(value)
}
