// How the columns of a CSV file become objects: by default a column named after a field id or an
// object key fills it; a mapping file (schemas/mapping.schema.json) renames, ignores, transforms and
// adds constant defaults. A header that names nothing refuses the whole file before a row is read.
import {readFile} from 'node:fs/promises'
import {coerceFieldValue} from '../definitions/coerce.js'
import {type Definitions, type FieldDefinition, fieldOf} from '../definitions/model.js'
import {InvalidDataError} from '../errors.js'
import {MAX_JSON_DEPTH, nestsDeeper} from '../json-file.js'
import type {FieldValue, ObjectType} from '../model.js'
import {unescapeFormula, parseList} from './cells.js'
import {type Cell, QUOTED_EMPTY} from './csv-source.js'
import {checkedRecord, type ImportRecord, REJECT_LINE, REJECT_REASON, type RecordKey} from './records.js'
import {describeSchemaErrors, schemaValidator} from './schemas.js'

export type Transform = 'trim' | 'lower' | 'upper' | {date: string}

export interface Mapping {
  type?: ObjectType
  columns?: Record<string, string | null | {to: string; transform?: Transform[]}>
  transform?: Transform[]
  defaults?: Record<string, FieldValue>
}

/** The object keys a CSV of each type has columns for, in the order export writes them. */
export const CSV_KEYS: Record<ObjectType, readonly RecordKey[]> = {
  customer: ['id', 'externalId', 'tags', 'fieldsets', 'created', 'lastUpdated'],
  request: ['id', 'externalId', 'customerId', 'state', 'tags', 'fieldsets', 'created', 'lastUpdated', 'closedAt', 'closeReason'],
  activity: ['id', 'externalId', 'customerId', 'parentId', 'mediaType', 'tags', 'fieldsets', 'created', 'lastUpdated'],
  comment: ['id', 'externalId', 'parentId', 'state', 'tags', 'fieldsets', 'created', 'lastUpdated'],
  feedback: ['id', 'externalId', 'parentId', 'state', 'tags', 'fieldsets', 'created', 'lastUpdated'],
}

const LIST_KEYS = new Set<RecordKey>(['tags', 'fieldsets'])

type Target = {key: RecordKey} | {field: FieldDefinition}

interface Column {
  index: number
  header: string
  target: Target
  transforms: Transform[]
  /** The mapping's default for this column's target: it fills the column's empty cells. */
  fallback?: Default
}

interface Default {
  target: Target
  value: FieldValue
  from: string
}

/** What each column of one file fills, worked out once from its header. */
export interface ColumnPlan {
  type: ObjectType
  width: number
  columns: Column[]
  defaults: Default[]
}

export async function loadMapping(path: string): Promise<Mapping> {
  let parsed: unknown
  try {
    const text = await readFile(path, 'utf8')
    if (nestsDeeper(text, MAX_JSON_DEPTH)) throw new Error(`it nests deeper than ${MAX_JSON_DEPTH} levels`)
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message
    throw new InvalidDataError(`cannot read the mapping file ${path}: ${reason}`, {where: path})
  }
  const validate = schemaValidator('mapping')
  if (!validate(parsed)) {
    throw new InvalidDataError(`the mapping file ${path} is not valid: ${describeSchemaErrors(validate.errors)}`, {
      where: path,
      hint: 'See "Mapping files" in docs/formats.md for the mapping format (schemas/mapping.schema.json).',
    })
  }
  return parsed as Mapping
}

/** Resolves every header cell to a field or key; refuses unknown, duplicate and mistyped targets. */
export function planColumns(header: readonly Cell[], type: ObjectType, definitions: Definitions, mapping: Mapping = {}, file = 'the file'): ColumnPlan {
  const names = header.map((cell) => (cell === QUOTED_EMPTY ? '' : cell.trim()))
  const mapped = mapping.columns ?? {}
  for (const name of Object.keys(mapped)) {
    if (!names.includes(name)) {
      throw new InvalidDataError(`the mapping names a column "${name}" that ${file} does not have`, {
        where: name,
        hint: `The columns are: ${names.join(', ')}.`,
      })
    }
  }
  const columns: Column[] = []
  const unknown: string[] = []
  const filled = new Map<string, string>()
  names.forEach((name, index) => {
    if (name === REJECT_LINE || name === REJECT_REASON) return
    const entry = Object.hasOwn(mapped, name) ? mapped[name] : name
    if (entry === null) return
    const to = typeof entry === 'string' ? entry : entry.to
    const target = resolveTarget(to, type, definitions)
    if (!target) {
      unknown.push(to === name ? `"${name}"` : `"${name}" (mapped to "${to}")`)
      return
    }
    const id = targetId(target)
    if (filled.has(id)) {
      throw new InvalidDataError(`columns "${filled.get(id)}" and "${name}" both fill ${id}`, {where: name, hint: 'Map one of them to null to ignore it.'})
    }
    filled.set(id, name)
    const transforms = [...(mapping.transform ?? []), ...(typeof entry === 'object' ? (entry.transform ?? []) : [])]
    columns.push({index, header: name, target, transforms})
  })
  if (unknown.length > 0) {
    throw new InvalidDataError(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in ${file}: not a field or key of a ${type}`, {
      where: unknown[0],
      hint: `Columns are field ids (ctx fields list) or ${CSV_KEYS[type].join(', ')}; a mapping file (--mapping) can rename or ignore the others.`,
      details: {columns: unknown},
    })
  }
  const defaults = Object.entries(mapping.defaults ?? {}).map(([to, value]): Default => {
    const target = resolveTarget(to, type, definitions)
    if (!target) throw new InvalidDataError(`the mapping's default for "${to}": not a field or key of a ${type}`, {where: to})
    return {target, value, from: `the default for ${targetId(target)}`}
  })
  for (const fallback of defaults) {
    const column = columns.find((candidate) => targetId(candidate.target) === targetId(fallback.target))
    if (column) column.fallback = fallback
  }
  return {type, width: names.length, columns, defaults}
}

function resolveTarget(to: string, type: ObjectType, definitions: Definitions): Target | null {
  if ((CSV_KEYS[type] as readonly string[]).includes(to)) return {key: to as RecordKey}
  const field = fieldOf(definitions, to)
  return field ? {field} : null
}

function targetId(target: Target): string {
  return 'key' in target ? target.key : target.field.id
}

/**
 * One CSV row as an import record. Every problem in the row is reported at once. A bare empty cell
 * means "no value" (and clears it on update); a quoted empty cell `""` is an empty text value; a
 * mapping's default fills a target whose cell is empty, or that no column (or a failed transform)
 * leaves without a value. Per row only the texts array is allocated besides the record: an import
 * makes one per row (bench P3).
 */
export function recordFromCells(plan: ColumnPlan, cells: readonly Cell[]): ImportRecord {
  if (cells.length !== plan.width) {
    throw new InvalidDataError(`the row has ${cells.length} cell${cells.length === 1 ? '' : 's'} where the header has ${plan.width}`)
  }
  const problems: string[] = []
  // Each column's text (null: empty), or undefined where a transform refused it.
  const texts: (string | null | undefined)[] = new Array(plan.columns.length)
  for (let at = 0; at < plan.columns.length; at++) {
    const column = plan.columns[at]
    const cell = cells[column.index]
    const quoted = cell === QUOTED_EMPTY
    let text = quoted ? '' : unescapeFormula(cell)
    try {
      for (const transform of column.transforms) text = applyTransform(transform, text)
    } catch (error) {
      problems.push(`${column.header}: ${(error as Error).message}`)
      continue
    }
    const keepsEmpty = quoted && 'field' in column.target && column.target.field.dataType === 'string'
    texts[at] = text === '' && !keepsEmpty ? null : text
  }

  const object: Record<string, unknown> = {type: plan.type}
  const cleared: RecordKey[] = []
  const data: Record<string, FieldValue | null> = {}
  const fill = (target: Target, text: string | null, value: FieldValue | undefined, from: string) => {
    try {
      if ('field' in target) {
        data[target.field.id] = text === null ? null : value !== undefined && typeof value !== 'string' ? value : coerceFieldValue(target.field, text)
      } else if (text === null) {
        cleared.push(target.key)
      } else {
        object[target.key] = LIST_KEYS.has(target.key) ? parseList(text) : text
      }
    } catch (error) {
      problems.push(`${from}: ${(error as Error).message}`)
    }
  }
  // Targets in the order of their columns, then the defaults no column filled, in the mapping's order.
  for (let at = 0; at < plan.columns.length; at++) {
    const text = texts[at]
    if (text === undefined) continue
    const {target, fallback, header} = plan.columns[at]
    if (text === null && fallback) fill(target, String(fallback.value), fallback.value, fallback.from)
    else fill(target, text, undefined, header)
  }
  for (const fallback of plan.defaults) {
    const at = plan.columns.findIndex((column) => column.fallback === fallback)
    if (at === -1 || texts[at] === undefined) fill(fallback.target, String(fallback.value), fallback.value, fallback.from)
  }
  if (problems.length > 0) throw new InvalidDataError(problems.join('; '))
  const record = checkedRecord(object, false, cleared)
  record.data = data
  return record
}

export function applyTransform(transform: Transform, text: string): string {
  if (transform === 'trim') return text.trim()
  if (transform === 'lower') return text.toLowerCase()
  if (transform === 'upper') return text.toUpperCase()
  return text === '' ? text : parseDate(text, transform.date)
}

const DATE_TOKENS: Record<string, string> = {YYYY: '(\\d{4})', MM: '(\\d{1,2})', DD: '(\\d{1,2})', HH: '(\\d{1,2})', mm: '(\\d{2})', ss: '(\\d{2})'}

/** Text in a day-first or other fixed pattern (`DD/MM/YYYY`, `MM-DD-YYYY HH:mm`) as ISO-8601, read as UTC. */
export function parseDate(text: string, pattern: string): string {
  const order: string[] = []
  const source = pattern.replace(/YYYY|MM|DD|HH|mm|ss|[.*+?^${}()|[\]\\]/g, (token) => {
    if (DATE_TOKENS[token]) {
      order.push(token)
      return DATE_TOKENS[token]
    }
    return `\\${token}`
  })
  const match = new RegExp(`^${source}$`).exec(text.trim())
  const parts: Record<string, number> = {YYYY: 0, MM: 1, DD: 1, HH: 0, mm: 0, ss: 0}
  if (match) order.forEach((token, index) => (parts[token] = Number(match[index + 1])))
  const at = new Date(Date.UTC(parts.YYYY, parts.MM - 1, parts.DD, parts.HH, parts.mm, parts.ss))
  const valid = match && at.getUTCFullYear() === parts.YYYY && at.getUTCMonth() === parts.MM - 1 && at.getUTCDate() === parts.DD && parts.HH < 24
  if (!valid) throw new InvalidDataError(`"${text}" is not a date in the form ${pattern}`)
  const iso = at.toISOString()
  return order.includes('HH') ? iso.replace('.000Z', 'Z') : iso.slice(0, 10)
}
