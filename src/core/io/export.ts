// `ctx export`: the store (or one type of it) out as JSON Lines, the lossless format, or as CSV of
// one type. Streamed batch by batch from store.scan, in link order then by created and id, so the
// same store always gives the same bytes.
import {once} from 'node:events'
import {createWriteStream} from 'node:fs'
import {rename, rm} from 'node:fs/promises'
import type {Writable} from 'node:stream'
import {finished} from 'node:stream/promises'
import {stringify} from 'csv-stringify/sync'
import {type Definitions, fieldsetOf} from '../definitions/model.js'
import {InvalidDataError, StorageError, UsageError} from '../errors.js'
import {BASE_FIELDSET, canonical, type ContextObject, LINK_ORDER, type ObjectType} from '../model.js'
import {allOf, equals, type Filter} from '../search/query.js'
import type {Store} from '../storage/store.js'
import {escapeFormula, formatFieldValue, formatList} from './cells.js'
import type {ExportFormat} from './formats.js'
import {CSV_KEYS} from './mapping.js'

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
  seconds: number
}

const BATCH = 1000

/** Writes the export to `path` through a temporary file renamed into place, so a failed export leaves no half file. */
export async function exportToFile(store: Store, path: string, options: ExportOptions): Promise<ExportSummary> {
  const partial = `${path}.partial-${process.pid}`
  const out = createWriteStream(partial, {encoding: 'utf8'})
  const failed = new Promise<never>((_, reject) => out.once('error', (error) => reject(new StorageError(`cannot write ${path}: ${error.message}`, {where: path}))))
  failed.catch(() => undefined)
  try {
    const summary = await Promise.race([exportObjects(store, out, options), failed])
    out.end()
    await Promise.race([finished(out), failed])
    await rename(partial, path)
    return {...summary, file: path}
  } catch (error) {
    out.destroy()
    await rm(partial, {force: true})
    throw error
  }
}

export async function exportObjects(store: Store, out: Writable, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now()
  if (options.format === 'csv' && !options.type) {
    throw new UsageError('a CSV export holds one type: give --type', {hint: 'Or export every type as JSON Lines (--format jsonl).'})
  }
  const types = options.type ? [options.type] : LINK_ORDER
  const where = allOf(options.type ? equals('type', options.type) : null, options.since ? ({kind: 'range', key: 'lastUpdated', op: '>=', value: options.since} satisfies Filter) : null)
  const total = options.onProgress ? await store.count(where ?? undefined) : 0
  const counts: Record<ObjectType, number> = {customer: 0, request: 0, activity: 0, comment: 0, feedback: 0}
  const csv = options.format === 'csv' ? await csvWriter(store, options.type!, options) : null
  let exported = 0
  if (csv) await write(out, csv.header)
  for await (const batch of store.scan({types, since: options.since, batchSize: BATCH})) {
    await write(out, csv ? csv.rows(batch) : batch.map((object) => `${JSON.stringify(canonical(object))}\n`).join(''))
    for (const object of batch) counts[object.type]++
    exported += batch.length
    options.onProgress?.({exported, total})
  }
  return {
    file: null,
    format: options.format,
    type: options.type ?? null,
    since: options.since ?? null,
    exported,
    counts,
    ...(csv ? {columns: csv.columns} : {}),
    seconds: Math.round(performance.now() - started) / 1000,
  }
}

async function write(out: Writable, text: string): Promise<void> {
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
