// Context Service exports, as Cisco's import/export sample writes them (CiscoDevNet/
// context-service-sample-code, Import_Export_Sample_Code: Export.java, JsonArrayWriter.java,
// gsonutils/DataElementAdapter.java): a directory of customer.json, request.json and pod.json,
// each one JSON array written by Gson, compact or pretty. An object's fields are `dataElements`,
// each an object of one field key plus its `type` (and maybe `classification`):
// `{"Context_City": "Detroit", "type": "string"}`. Gson writes numbers as numbers or as text.
import {createReadStream} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {coerceFieldValue} from '../definitions/coerce.js'
import {DATA_TYPES, type DataType, type FieldDefinition} from '../definitions/model.js'
import {InvalidDataError, NotFoundError} from '../errors.js'
import type {FieldValue, ObjectType} from '../model.js'
import {checkedRecord, type ImportRecord, isPlainObject} from './records.js'

/** Context Service's names for object types, and the file of each in an export directory, in link order. */
export const CS_FILES: readonly {type: ObjectType; csType: string; file: string}[] = [
  {type: 'customer', csType: 'customer', file: 'customer.json'},
  {type: 'request', csType: 'request', file: 'request.json'},
  {type: 'activity', csType: 'pod', file: 'pod.json'},
  {type: 'comment', csType: 'detail.comment', file: 'detail.comment.json'},
  {type: 'feedback', csType: 'detail.feedback', file: 'detail.feedback.json'},
]

export const CS_TYPE_OF: Record<ObjectType, string> = Object.fromEntries(CS_FILES.map(({type, csType}) => [type, csType])) as Record<ObjectType, string>

/** A type in Context Service's words or ctx's, as an object's `type` or a file's name says it. */
const TYPES: Record<string, ObjectType> = {
  customer: 'customer',
  request: 'request',
  pod: 'activity',
  activity: 'activity',
  'detail.comment': 'comment',
  comment: 'comment',
  'detail.feedback': 'feedback',
  feedback: 'feedback',
}

const STATES: Record<string, 'active' | 'closed'> = {active: 'active', open: 'active', closed: 'closed', resolved: 'closed'}

/** The type a file of an export holds, by its name (`pod.json` → activity), or null. */
export function typeOfFile(path: string): ObjectType | null {
  return TYPES[basename(path).replace(/\.json$/i, '').toLowerCase()] ?? null
}

export interface ExportFile {
  path: string
  /** The type its objects are when they do not say (from the file's name). */
  type: ObjectType | null
  bytes: number
}

/**
 * The files of an export directory that ctx reads, in link order (customers, requests, pods, then
 * comments and feedback), and the names of the other files in it, which it leaves alone.
 */
export async function exportDirectoryFiles(dir: string): Promise<{files: ExportFile[]; ignored: string[]}> {
  const names = await readdir(dir)
  const files: ExportFile[] = []
  const used = new Set<string>()
  for (const type of ['customer', 'request', 'activity', 'comment', 'feedback'] as const) {
    for (const name of names.sort()) {
      if (used.has(name) || !name.toLowerCase().endsWith('.json') || typeOfFile(name) !== type) continue
      const stats = await stat(join(dir, name))
      if (!stats.isFile()) continue
      files.push({path: join(dir, name), type, bytes: stats.size})
      used.add(name)
    }
  }
  if (files.length === 0) {
    throw new NotFoundError(`${dir} holds no Context Service export: none of ${CS_FILES.map(({file}) => file).join(', ')}`, {
      where: dir,
      hint: 'Give the directory Cisco\'s export wrote (customer.json, request.json, pod.json), or one of its files.',
    })
  }
  return {files, ignored: names.filter((name) => !used.has(name)).sort()}
}

export interface ArrayElement {
  index: number
  value: unknown
}

/**
 * The elements of the one JSON array a file holds, each parsed on its own by stream-json, so memory
 * stays flat whatever the file's size. Numbers come as their text (Gson writes longs of 64 bits;
 * a JavaScript number would round them silently), and are typed by their data element. A file that
 * is not one JSON array, or that breaks off, is malformed: an InvalidDataError naming the file.
 */
export async function* readJsonArray(path: string, onBytes?: (bytes: number) => void, batchSize = 256): AsyncGenerator<ArrayElement[]> {
  // Loaded here, from node_modules, by the commands that read an export: not in every command's start.
  const {default: streamArray} = await import('stream-json/streamers/stream-array.js')
  const input = createReadStream(path)
  const elements = streamArray.withParserAsStream({numberAsString: true, streamValues: false})
  let bytes = 0
  input.on('data', (chunk) => {
    bytes += chunk.length
    onBytes?.(bytes)
  })
  input.on('error', (error) => elements.destroy(error))
  input.pipe(elements)
  let batch: ArrayElement[] = []
  try {
    for await (const {key, value} of elements as AsyncIterable<{key: number; value: unknown}>) {
      batch.push({index: key, value})
      if (batch.length >= batchSize) {
        yield batch
        batch = []
      }
    }
    if (batch.length > 0) yield batch
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${path} does not exist`, {where: path})
    throw new InvalidDataError(`${path} is not a JSON array of objects: ${(error as Error).message}`, {
      where: path,
      hint: 'A Context Service export file is one JSON array ([{...},{...}]). Fix the file and import again (with --upsert, what was written is not duplicated).',
    })
  } finally {
    input.destroy()
    elements.destroy()
  }
}

/**
 * One object of a Context Service export as an import record. `fileType` is the type its file's
 * name says, for objects without a `type`. Keys ctx does not model (contributors, refUrl...) are
 * left behind; ctx keeps the id, links and timestamps, where Cisco's own import drops them.
 */
export function recordFromContextService(value: unknown, fileType: ObjectType | null): ImportRecord {
  if (!isPlainObject(value)) throw new InvalidDataError(`expected a JSON object, found ${describe(value)}`)
  const named = typeof value.type === 'string' ? TYPES[value.type.toLowerCase()] : undefined
  if (value.type !== undefined && !named) {
    throw new InvalidDataError(`unknown Context Service object type ${JSON.stringify(value.type)}`, {hint: `Expected one of ${CS_FILES.map(({csType}) => csType).join(', ')}.`})
  }
  const type = named ?? fileType
  if (!type) {
    throw new InvalidDataError('the object has no "type", and the file\'s name does not say one', {
      hint: 'Name the file customer.json, request.json, pod.json, detail.comment.json or detail.feedback.json, or give each object a "type".',
    })
  }
  if (!Array.isArray(value.dataElements)) throw new InvalidDataError(`"dataElements" must be an array, found ${describe(value.dataElements)}`)
  const object: Record<string, unknown> = {type}
  for (const key of ['id', 'customerId', 'parentId', 'tags', 'fieldsets', 'externalId', 'closeReason'] as const) {
    if (value[key] !== undefined && value[key] !== null) object[key] = value[key]
  }
  // The deprecated Pod class of the SDK named a pod's request `requestId`.
  if (object.parentId === undefined && typeof value.requestId === 'string') object.parentId = value.requestId
  if (typeof value.mediaType === 'string') object.mediaType = value.mediaType.toLowerCase()
  if (typeof value.state === 'string') object.state = STATES[value.state.toLowerCase()] ?? value.state
  for (const key of ['created', 'lastUpdated', 'closedAt'] as const) {
    const at = value[key]
    if (typeof at === 'string' && /^\d+$/.test(at)) object[key] = new Date(Number(at)).toISOString()
    else if (at !== undefined && at !== null) object[key] = at
  }
  object.data = dataFromElements(value.dataElements)
  return checkedRecord(object, true)
}

/** A data element: its field, value (as Gson wrote it) and declared type and classification. */
export interface DataElement {
  field: string
  value: unknown
  type: string
  classification?: string
}

/** Reads one element of `dataElements`: one field key, `type`, and maybe `classification`. */
export function readDataElement(element: unknown, position: number): DataElement {
  if (!isPlainObject(element)) throw new InvalidDataError(`dataElements[${position}] is ${describe(element)}, not an object`)
  const {type, classification, ...rest} = element
  const keys = Object.keys(rest)
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'no field key' : `${keys.length} field keys (${keys.join(', ')})`
    throw new InvalidDataError(`dataElements[${position}] has ${found}; each element holds one field and its "type"`)
  }
  const field = keys[0]
  if (typeof type !== 'string') throw new InvalidDataError(`dataElement ${field} has no "type"`, {where: field, hint: `Give it one of ${DATA_TYPES.join(', ')}.`})
  return {field, value: rest[field], type, ...(typeof classification === 'string' ? {classification} : {})}
}

function dataFromElements(elements: unknown[]): Record<string, FieldValue> {
  const data: Record<string, FieldValue> = {}
  elements.forEach((element, position) => {
    const {field, value, type} = readDataElement(element, position)
    if (value === null || value === undefined) return
    if (Object.hasOwn(data, field)) throw new InvalidDataError(`dataElement ${field} is given twice`, {where: field})
    data[field] = typedValue(field, value, type)
  })
  return data
}

/** A value as its element's `type` says, whether Gson wrote it as a number, text or true/false. */
function typedValue(field: string, value: unknown, type: string): FieldValue {
  if (!(DATA_TYPES as readonly string[]).includes(type)) {
    throw new InvalidDataError(`dataElement ${field} has the unknown type "${type}"`, {where: field, hint: `Expected one of ${DATA_TYPES.join(', ')}.`})
  }
  const dataType = type as DataType
  if (typeof value === 'boolean') {
    if (dataType === 'boolean') return value
    if (dataType === 'string') return String(value)
  } else if (typeof value === 'string') {
    if (dataType === 'date' && /^\d+$/.test(value)) return new Date(Number(value)).toISOString()
    const definition: FieldDefinition = {id: field, dataType, classification: 'UNENCRYPTED'}
    return coerceFieldValue(definition, value)
  }
  throw new InvalidDataError(`dataElement ${field} holds ${describe(value)}; a ${dataType} is expected`, {where: field})
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60)
}
