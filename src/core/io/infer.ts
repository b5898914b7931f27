// `ctx fields infer`: the definitions an export needs and the store lacks, as a `fields apply` file
// for an admin to review and apply. It reads a Context Service export (its directory or one file),
// JSON Lines or a CSV header, and writes nothing to the store. A field is typed by its data
// elements' `type` (JSON Lines: by its values; CSV: text) and classified as they say, else
// UNENCRYPTED.
import {stat} from 'node:fs/promises'
import {planDefinitions} from '../definitions/manage.js'
import {
  type Classification,
  type DataType,
  type Definitions,
  type DefinitionsFile,
  type FieldDefinition,
  type FieldsetDefinition,
  INT32,
  isBaseFieldset,
} from '../definitions/model.js'
import {checkDefinitionsFile} from '../definitions/schema-check.js'
import {InvalidDataError, NotFoundError} from '../errors.js'
import {BASE_FIELDSET, OBJECT_TYPES, type ObjectType} from '../model.js'
import {exportDirectoryFiles, readDataElement, readJsonArray, typeOfFile} from './context-service.js'
import {readCsv, sniffCsv} from './csv-source.js'
import {readLeadingDefinitions} from './definitions-line.js'
import {importFormatOf, type ImportFormat} from './formats.js'
import {readJsonLines} from './json-source.js'
import {CSV_KEYS} from './mapping.js'
import {isPlainObject, REJECT_LINE, REJECT_REASON} from './records.js'

export interface InferOptions {
  path: string
  format?: ImportFormat
  /** CSV: the fieldset its new columns go into (default `imported`). */
  fieldset?: string
}

export interface InferResult {
  /** Objects (or, for CSV, header columns) read. */
  read: number
  definitions: Required<DefinitionsFile>
  /** Fields whose elements disagree on their type, with the type chosen. */
  warnings: string[]
}

const CLASSIFICATIONS: readonly Classification[] = ['UNENCRYPTED', 'ENCRYPTED', 'PII']
const DEFAULT_CSV_FIELDSET = 'imported'

/** What the export says of one field. */
interface Seen {
  dataType: DataType
  classification: Classification | null
}

class Inference {
  readonly fields = new Map<string, Seen>()
  /** Fieldset → the new fields it must hold. */
  readonly fieldsets = new Map<string, Set<string>>()
  readonly warnings: string[] = []
  read = 0

  constructor(private readonly known: Definitions) {}

  /** One object: its type, fieldsets, and each field with its type and classification. */
  object(type: ObjectType, fieldsets: readonly string[], fields: Iterable<{field: string; dataType: DataType; classification?: string}>): void {
    this.read++
    const named = fieldsets.length > 0 ? fieldsets : [BASE_FIELDSET[type]]
    const unknown = named.filter((id) => !this.known.fieldsets[id])
    for (const id of unknown) if (!this.fieldsets.has(id)) this.fieldsets.set(id, new Set())
    // A field the fieldsets do not hold goes to the first fieldset the store lacks, else the first of its own, else the first named.
    const target = unknown[0] ?? named.find((id) => !isBaseFieldset(id)) ?? named[0]
    for (const {field, dataType, classification} of fields) {
      const held = named.some((id) => this.known.fieldsets[id]?.fields.includes(field) || this.fieldsets.get(id)?.has(field))
      if (!this.known.fields[field]) this.seeField(field, dataType, classification)
      if (held) continue
      if (!this.fieldsets.has(target)) this.fieldsets.set(target, new Set())
      this.fieldsets.get(target)!.add(field)
    }
  }

  private seeField(field: string, dataType: DataType, classification: string | undefined): void {
    const given = (CLASSIFICATIONS as readonly string[]).includes(classification ?? '') ? (classification as Classification) : null
    const seen = this.fields.get(field)
    if (!seen) {
      this.fields.set(field, {dataType, classification: given})
      return
    }
    if (seen.dataType !== dataType) {
      const wider = widerType(seen.dataType, dataType)
      if (wider !== seen.dataType && !this.warnings.some((warning) => warning.startsWith(`${field} `))) {
        this.warnings.push(`${field} is given as ${seen.dataType} and as ${dataType}: ${wider} chosen; review it`)
      }
      seen.dataType = wider
    }
    // The strictest classification any element gives.
    if (given && (!seen.classification || CLASSIFICATIONS.indexOf(given) > CLASSIFICATIONS.indexOf(seen.classification))) seen.classification = given
  }

  result(): InferResult {
    // Sorted by id, so the same export gives the same file whatever order its objects come in.
    const byId = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
    const fields: FieldDefinition[] = [...this.fields].sort(byId).map(([id, seen]) => ({id, dataType: seen.dataType, classification: seen.classification ?? 'UNENCRYPTED', searchable: true}))
    const fieldsets: FieldsetDefinition[] = []
    for (const [id, added] of [...this.fieldsets].sort(byId)) {
      const stored = this.known.fieldsets[id]
      if (stored && added.size === 0) continue
      const fieldIds = [...added].sort()
      // A fieldset the store has gains the fields; apply updates it (and keeps what it held).
      fieldsets.push(stored ? {...stored, fields: [...stored.fields, ...fieldIds]} : {id, fields: fieldIds})
    }
    return {read: this.read, definitions: {fields, fieldsets}, warnings: this.warnings}
  }
}

/** Numbers widen (integer → long → double); any other disagreement is text. */
function widerType(a: DataType, b: DataType): DataType {
  const numeric: DataType[] = ['integer', 'long', 'double']
  if (numeric.includes(a) && numeric.includes(b)) return numeric[Math.max(numeric.indexOf(a), numeric.indexOf(b))]
  return 'string'
}

export async function inferDefinitions(definitions: Definitions, options: InferOptions): Promise<InferResult> {
  let isDirectory: boolean
  try {
    isDirectory = (await stat(options.path)).isDirectory()
  } catch {
    throw new NotFoundError(`${options.path} does not exist`, {where: options.path})
  }
  const format = isDirectory ? 'cs-json' : importFormatOf(options.path, options.format)
  if (format === 'csv') return inferFromCsvHeader(definitions, options)
  if (format === 'jsonl') return inferFromJsonLines(definitions, options.path)
  const inference = new Inference(definitions)
  const files = isDirectory ? (await exportDirectoryFiles(options.path)).files : [{path: options.path, type: typeOfFile(options.path)}]
  for (const {path, type: fileType} of files) {
    for await (const elements of readJsonArray(path)) {
      for (const {index, value} of elements) {
        const where = `${path} element ${index}`
        if (!isPlainObject(value)) throw new InvalidDataError(`${where} is not a JSON object`, {where})
        const type = (typeof value.type === 'string' ? typeOfFile(`${value.type}.json`) : null) ?? fileType ?? 'customer'
        const fieldsets = Array.isArray(value.fieldsets) ? value.fieldsets.filter((id): id is string => typeof id === 'string') : []
        const elementsOf = Array.isArray(value.dataElements) ? value.dataElements : []
        const fields = elementsOf.map((element, position) => {
          const {field, type: dataType, classification} = readDataElement(element, position)
          return {field, dataType: asDataType(dataType, field, where), classification}
        })
        inference.object(type, fieldsets, fields)
      }
    }
  }
  return inference.result()
}

function asDataType(type: string, field: string, where: string): DataType {
  if (['string', 'integer', 'long', 'double', 'boolean', 'date'].includes(type)) return type as DataType
  throw new InvalidDataError(`${where}: dataElement ${field} has the unknown type "${type}"`, {where})
}

async function inferFromJsonLines(definitions: Definitions, path: string): Promise<InferResult> {
  // Definitions the file carries are applied by import: what they define is not missing.
  const carried = await readLeadingDefinitions(path)
  const known = carried ? planDefinitions(definitions, checkDefinitionsFile(carried.definitions, `${path}:${carried.line}`)).after : definitions
  const inference = new Inference(known)
  for await (const {line, text} of readJsonLines(path)) {
    if (line === carried?.line) continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new InvalidDataError(`${path}:${line}: not JSON: ${(error as Error).message}`, {where: `${path}:${line}`})
    }
    if (!isPlainObject(value)) continue
    const type = (OBJECT_TYPES as readonly string[]).includes(value.type as string) ? (value.type as ObjectType) : 'customer'
    const fieldsets = Array.isArray(value.fieldsets) ? value.fieldsets.filter((id): id is string => typeof id === 'string') : []
    const data = isPlainObject(value.data) ? value.data : {}
    const fields = Object.entries(data)
      .filter(([, item]) => item !== null)
      .map(([field, item]) => ({field, dataType: typeOfValue(item)}))
    inference.object(type, fieldsets, fields)
  }
  return inference.result()
}

function typeOfValue(value: unknown): DataType {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'double'
    return value >= INT32.min && value <= INT32.max ? 'integer' : 'long'
  }
  return 'string'
}

/** A CSV: its header's columns that are neither object keys nor defined fields become text fields of one fieldset. */
async function inferFromCsvHeader(definitions: Definitions, options: InferOptions): Promise<InferResult> {
  const layout = await sniffCsv(options.path)
  const rows = readCsv(options.path, layout, undefined, false)
  const first = await rows.next()
  await rows.return(undefined)
  const header = first.done || first.value.length === 0 ? [] : first.value[0].cells.filter((cell): cell is string => typeof cell === 'string')
  const keys = new Set<string>([...Object.values(CSV_KEYS).flat(), REJECT_LINE, REJECT_REASON])
  const columns = header.map((cell) => cell.trim()).filter((cell) => cell !== '' && !keys.has(cell) && !definitions.fields[cell])
  const inference = new Inference(definitions)
  inference.object('customer', [options.fieldset ?? DEFAULT_CSV_FIELDSET], columns.map((field) => ({field, dataType: 'string' as const})))
  return {...inference.result(), read: header.length}
}
