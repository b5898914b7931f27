// `ctx export`: the store (or one type of it) out as JSON Lines, the lossless format (carrying the
// store's own definitions on its first line), as CSV of one type, or as a Context Service export
// directory. Streamed batch by batch from store.scan, in link order then by created and id, so the
// same store always gives the same bytes. Every file holds customer data: 0600.
import {once} from 'node:events'
import {join} from 'node:path'
import type {Writable} from 'node:stream'
import {stringify} from 'csv-stringify/sync'
import {type Definitions, fieldsetOf} from '../definitions/model.js'
import {inFieldOrder} from '../definitions/order.js'
import {hasOwnDefinitions, ownDefinitions} from '../definitions/own.js'
import {InvalidDataError, UsageError} from '../errors.js'
import {BASE_FIELDSET, canonical, type ContextObject, LINK_ORDER, type ObjectType} from '../model.js'
import {allOf, equals, type Filter} from '../search/query.js'
import type {Store} from '../storage/store.js'
import {escapeFormula, formatFieldValue, formatList} from './cells.js'
import type {ExportFormat} from './formats.js'
import {CSV_KEYS} from './mapping.js'
import {CS_FILES, CS_TYPE_OF} from './context-service.js'
import {makeCustomerDirectory, writeCustomerFile} from './customer-file.js'
import {definitionsLine} from './definitions-line.js'

export interface ExportOptions {
  format: ExportFormat
  /** One type; CSV needs it, JSON Lines exports every type without it. */
  type?: ObjectType
  /** Only objects whose lastUpdated is at or after this ISO instant. */
  since?: string
  /** CSV: start with a byte order mark, for Excel. */
  bom?: boolean
  /** CSV: prefix cells that a spreadsheet would run as a formula with `'` (default on). */
  escapeFormulas?: boolean
  /** JSON Lines of every type: start with the store's own definitions, so another store can import it (default on). */
  definitions?: boolean
  onProgress?: (progress: ExportProgress) => void
}

export interface ExportProgress {
  exported: number
  total: number
}

export interface ExportSummary {
  file: string | null
  format: ExportFormat
  type: ObjectType | null
  since: string | null
  exported: number
  counts: Record<ObjectType, number>
  columns?: string[]
  /** JSON Lines: whether the first line carries the store's own definitions. */
  definitions?: boolean
  /** Context Service: the files written, with how many objects each holds. */
  files?: {file: string; type: ObjectType; exported: number}[]
  seconds: number
}

const BATCH = 1000

/** Writes the export to `path` (see writeCustomerFile, io/customer-file.ts). */
export async function exportToFile(store: Store, path: string, options: ExportOptions): Promise<ExportSummary> {
  const summary = await writeCustomerFile(path, (out) => exportObjects(store, out, options))
  return {...summary, file: path}
}

export async function exportObjects(store: Store, out: Writable, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now()
  if (options.format === 'cs-json') {
    throw new UsageError('a Context Service export is a directory: give -o DIR', {hint: 'For example: ctx export --format cs-json -o cs-export'})
  }
  if (options.format === 'csv' && !options.type) {
    throw new UsageError('a CSV export holds one type: give --type', {hint: 'Or export every type as JSON Lines (--format jsonl).'})
  }
  const types = options.type ? [options.type] : LINK_ORDER
  const where = allOf(options.type ? equals('type', options.type) : null, options.since ? ({kind: 'range', key: 'lastUpdated', op: '>=', value: options.since} satisfies Filter) : null)
  const total = options.onProgress ? await store.count(where ?? undefined) : 0
  const counts: Record<ObjectType, number> = {customer: 0, request: 0, activity: 0, comment: 0, feedback: 0}
  const csv = options.format === 'csv' ? await csvWriter(store, options.type!, options) : null
  let exported = 0
  const definitions = await store.definitions()
  const own = options.format === 'jsonl' && !options.type && options.definitions !== false ? ownDefinitions(definitions) : null
  const carried = own !== null && hasOwnDefinitions(own)
  // The header or definitions line goes out with the first batch, once the store has opened it: a
  // missing or wrong key fails the scan before anything is printed.
  let preamble = (csv?.header ?? '') + (carried ? definitionsLine(own) : '')
  for await (const batch of store.scan({types, since: options.since, batchSize: BATCH})) {
    await write(out, preamble + (csv ? csv.rows(batch) : batch.map((object) => `${JSON.stringify(inFieldOrder(canonical(object), definitions))}\n`).join('')))
    preamble = ''
    for (const object of batch) counts[object.type]++
    exported += batch.length
    options.onProgress?.({exported, total})
  }
  await write(out, preamble)
  return {
    file: null,
    format: options.format,
    type: options.type ?? null,
    since: options.since ?? null,
    exported,
    counts,
    ...(csv ? {columns: csv.columns} : {}),
    ...(options.format === 'jsonl' ? {definitions: carried} : {}),
    seconds: Math.round(performance.now() - started) / 1000,
  }
}

async function write(out: Writable, text: string): Promise<void> {
  // A destination that failed since the last write (a pipe whose reader left) stops the export.
  if (out.errored) throw out.errored
  if (text !== '' && !out.write(text)) await once(out, 'drain')
}

/**
 * The columns of a type's CSV: its object keys (CSV_KEYS), then the fields of every fieldset its
 * objects use — the base fieldset first, the others by id, each in its own field order — so the
 * columns depend on the definitions and the store, never on which objects come first.
 */
export async function csvColumns(store: Store, type: ObjectType, definitions: Definitions): Promise<string[]> {
  const used: string[] = []
  for (const id of Object.keys(definitions.fieldsets).sort()) {
    if (id === BASE_FIELDSET[type] || (await store.count(allOf(equals('type', type), equals('fieldsets', id)) ?? undefined)) > 0) used.push(id)
  }
  used.sort((a, b) => (a === BASE_FIELDSET[type] ? -1 : b === BASE_FIELDSET[type] ? 1 : 0))
  const fields = new Set<string>()
  for (const id of used) {
    const fieldset = fieldsetOf(definitions, id)!
    for (const field of [...fieldset.fields, ...(fieldset.inactiveFields ?? [])]) fields.add(field)
  }
  return [...CSV_KEYS[type], ...fields]
}

async function csvWriter(store: Store, type: ObjectType, options: ExportOptions) {
  const columns = await csvColumns(store, type, await store.definitions())
  const keys = CSV_KEYS[type] as readonly string[]
  const fields = new Set(columns.slice(keys.length))
  const escape = options.escapeFormulas === false ? (text: string) => text : escapeFormula
  const settings = {
    // An empty text value is written "" and a missing one as nothing, so import can tell them apart.
    cast: {string: (value: string) => (value === '' ? {value, quoted_empty: true} : value)},
  }
  const cell = (value: unknown): string | undefined => {
    if (value === undefined) return undefined
    if (Array.isArray(value)) return escape(formatList(value as string[]))
    return typeof value === 'string' ? escape(value) : formatFieldValue(value as number | boolean)
  }
  const row = (object: ContextObject): (string | undefined)[] => {
    for (const field of Object.keys(object.data)) {
      if (!fields.has(field)) {
        throw new InvalidDataError(`${type} ${object.id} has a value for ${field}, which no fieldset of a ${type} in this store lists`, {
          where: object.id,
          hint: 'Export JSON Lines instead (--format jsonl): it keeps every value.',
        })
      }
    }
    return [...keys.map((key) => cell(object[key as keyof ContextObject])), ...[...fields].map((field) => cell(object.data[field]))]
  }
  return {
    columns,
    header: stringify([columns], {bom: options.bom === true}),
    rows: (objects: readonly ContextObject[]) => stringify(objects.map(row), settings),
  }
}

export interface ContextServiceExportOptions {
  /** Gson's pretty printing (two-space indent) rather than one line per file. */
  pretty?: boolean
  onProgress?: (progress: ExportProgress) => void
}

/**
 * The store as a Context Service export directory, in the shape Cisco's sample writes: customer.json,
 * request.json and pod.json (always, as Cisco's import expects all three), and detail.comment.json
 * and detail.feedback.json when there are comments or feedback. Each file is one JSON array, written
 * object by object; data elements are `{"<field>": value, "type": dataType, "classification": ...}`. What ctx keeps beyond
 * Context Service's keys (externalId, closedAt, closeReason) rides along as keys Cisco's importer
 * ignores, so ctx → CS export → ctx loses nothing.
 */
export async function exportContextService(store: Store, dir: string, options: ContextServiceExportOptions = {}): Promise<ExportSummary> {
  const started = performance.now()
  await makeCustomerDirectory(dir)
  const definitions = await store.definitions()
  const total = options.onProgress ? await store.count() : 0
  const counts: Record<ObjectType, number> = {customer: 0, request: 0, activity: 0, comment: 0, feedback: 0}
  const files: NonNullable<ExportSummary['files']> = []
  let exported = 0
  for (const {type, file} of CS_FILES) {
    const path = join(dir, file)
    // No details: no file, not even one an earlier export left in DIR, which a re-import would read.
    const optional = type === 'comment' || type === 'feedback'
    const written = await writeCustomerFile(
      path,
      async (out) => {
        await write(out, '[')
        for await (const batch of store.scan({types: [type], batchSize: BATCH})) {
          const texts = batch.map((object) => contextServiceText(object, definitions, options.pretty === true))
          await write(out, `${counts[type] === 0 ? '' : ','}${texts.join(',')}`)
          counts[type] += batch.length
          exported += batch.length
          options.onProgress?.({exported, total})
        }
        await write(out, options.pretty ? '\n]\n' : ']')
        return counts[type]
      },
      (objects) => objects > 0 || !optional,
    )
    if (written === 0 && optional) continue
    files.push({file: path, type, exported: counts[type]})
  }
  return {file: dir, format: 'cs-json', type: null, since: null, exported, counts, files, seconds: Math.round(performance.now() - started) / 1000}
}

/** One object as Context Service writes it. */
export function contextServiceObject(object: ContextObject, definitions: Definitions): Record<string, unknown> {
  const out: Record<string, unknown> = {id: object.id, type: CS_TYPE_OF[object.type]}
  for (const key of ['customerId', 'parentId', 'state', 'mediaType', 'tags', 'fieldsets'] as const) if (object[key] !== undefined) out[key] = object[key]
  // With its classification (which Cisco's reader accepts), so `fields infer` on this export classifies as this store does.
  out.dataElements = Object.entries(object.data).map(([field, value]) => {
    const definition = definitions.fields[field]
    return {[field]: value, type: definition?.dataType ?? typeOf(value), ...(definition ? {classification: definition.classification} : {})}
  })
  out.created = object.created
  out.lastUpdated = object.lastUpdated
  for (const key of ['externalId', 'closedAt', 'closeReason'] as const) if (object[key] !== undefined) out[key] = object[key]
  return out
}

function contextServiceText(object: ContextObject, definitions: Definitions, pretty: boolean): string {
  const text = JSON.stringify(contextServiceObject(object, definitions), null, pretty ? 2 : undefined)
  return pretty ? `\n  ${text.replaceAll('\n', '\n  ')}` : text
}

/** The data type of a value whose field the store no longer defines. */
function typeOf(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double'
  return 'string'
}
