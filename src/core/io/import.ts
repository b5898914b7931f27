// `ctx import`: streams a CSV, JSON Lines or Context Service export (its directory or one of its
// files) into the store. Every record is checked like any other write (fieldsets, size, links);
// good ones are written in batches of the store's importBatchSize, bad ones go to the rejects file
// with their line (or file and element) and reason.
import {stat} from 'node:fs/promises'
import {dirname, basename, extname, join} from 'node:path'
import {applyDefinitions, type DefinitionsPlan, planDefinitions} from '../definitions/manage.js'
import type {Definitions} from '../definitions/model.js'
import {checkDefinitionsFile} from '../definitions/schema-check.js'
import {ConflictError, type CtxError, InvalidDataError, NotFoundError, StorageError, UsageError} from '../errors.js'
import {newOrderedId} from '../ids.js'
import {requireChangeable} from '../changes.js'
import {closedRequest, resolveLinks} from '../links.js'
import {BASE_FIELDSET, canonical, type ContextObject, type FieldValue, type ObjectType} from '../model.js'
import {applyChanges, checkObject, type DataChanges, nextTimestamp, type Session} from '../objects.js'
import {type Cell, type CsvLayout, type CsvReader, type CsvRow, readCsv, sniffCsv, WORKER_MIN_BYTES} from './csv-source.js'
import {importFormatOf, type ImportFormat} from './formats.js'
import {CS_TYPE_OF, exportDirectoryFiles, type ExportFile, readJsonArray, recordFromContextService, typeOfFile} from './context-service.js'
import {parseRecordJson, readJsonLines} from './json-source.js'
import {readLeadingDefinitions} from './definitions-line.js'
import {type ColumnPlan, loadMapping, planColumns, recordFromCells} from './mapping.js'
import {commitsWhole, type StoreReader} from '../storage/store.js'
import {type ImportWriter, PendingWrites} from './pending.js'
import {type ImportRecord, isPlainObject, recordFromObjectJson} from './records.js'
import {checkRejectsPath, RejectsFile, type RejectsShape} from './rejects.js'
import {schemaValidator} from './schemas.js'

export interface ImportOptions {
  file: string
  format?: ImportFormat
  /** CSV: the type of every row (required, or from the mapping). JSON: import only this type. */
  type?: ObjectType
  mapping?: string
  /** Update objects whose id or (type, externalId) is already stored, instead of refusing them. */
  upsert?: boolean
  /** Check everything, write nothing to the store. */
  dryRun?: boolean
  /** Where refused rows go; default beside the input. In a dry run, only when given. */
  rejects?: string
  /** JSON Lines: apply the definitions the file carries (its first line) before its objects; default true. */
  definitions?: boolean
  onProgress?: (progress: ImportProgress) => void
}

export interface ImportProgress {
  read: number
  rejected: number
  bytes: number
  totalBytes: number
}

export interface RejectedRow {
  /** The line; for a Context Service file, the element's index in its array. */
  line: number
  /** Context Service: the file and the element's index (from 0) in its array. */
  file?: string
  index?: number
  reason: string
}

/** What an import, or one file of a Context Service export directory, did with its records. */
export interface ImportCounts {
  read: number
  created: number
  updated: number
  unchanged: number
  /** JSON records of another type than --type. */
  skipped: number
  rejected: number
}

/** What one file of a Context Service export directory gave. */
export interface FileCounts extends ImportCounts {
  file: string
  type: ObjectType | null
}

export interface ImportSummary extends ImportCounts {
  file: string
  format: ImportFormat
  type: ObjectType | null
  rejectsFile: string | null
  /** The first few rejected rows, for a quick look; the rejects file has them all. */
  firstRejects: RejectedRow[]
  /** CSV only: what was detected. */
  layout?: CsvLayout
  /** Context Service: the counts of each file read, in the order read. */
  files?: FileCounts[]
  /** Context Service directory: the files in it that are not part of an export, left alone. */
  ignored?: string[]
  /** JSON Lines that carry definitions: what applying them created and updated (null when left out). */
  definitions?: DefinitionsPlan | null
  seconds: number
  dryRun: boolean
}

const FIRST_REJECTS = 10

interface SourceItem {
  line: number
  /** Context Service: the file the element is in (its index is `line`). */
  file?: string
  /** As read: CSV cells, a JSON line's text, or a Context Service element. */
  original: readonly Cell[] | string | Record<string, unknown>
  record(): ImportRecord
}

interface Source {
  /**
   * The items from the start of the file, in batches (a CSV chunk's rows): reading waits once per
   * batch, not per row (bench P3). Each call reads the file afresh.
   */
  items(): AsyncGenerator<SourceItem[]>
  /** Ends what reading started ahead and never read (an import that stopped before its rows). */
  close?(): void
  rejects: RejectsShape
  layout?: CsvLayout
  type: ObjectType | null
  /** Context Service: the files read, in order. */
  files?: ExportFile[]
  ignored?: string[]
  /** JSON Lines: the definitions line, skipped as an object. */
  definitionsLine?: number
}

class DryRunDone extends Error {}

export async function importFile(session: Session, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now()
  const input = await inspectInput(options.file)
  const format = input.files ? directoryFormat(options.file, options.format) : importFormatOf(options.file, options.format)
  const keepRejects = !options.dryRun || options.rejects !== undefined
  const rejectsPath = options.rejects ?? defaultRejectsPath(options.file, REJECTS_EXTENSION[format])
  if (keepRejects) await checkRejectsPath(rejectsPath, input.files ? input.files.map(({path}) => path) : [options.file])
  const carried = format === 'jsonl' ? await readLeadingDefinitions(options.file) : null
  let plan: DefinitionsPlan | null = null
  let definitions = await session.store.definitions()
  if (carried && options.definitions !== false) {
    // Applied before the objects, in a transaction of their own: re-running an import applies them again, changing nothing.
    const source = `${options.file}:${carried.line}`
    if (options.dryRun) {
      const planned = planDefinitions(definitions, checkDefinitionsFile(carried.definitions, source))
      plan = await applyDefinitions(session.store, carried.definitions, {dryRun: true, source})
      definitions = planned.after
    } else {
      plan = await applyDefinitions(session.store, carried.definitions, {source})
      definitions = await session.store.definitions()
    }
  }
  const progress: ImportProgress = {read: 0, rejected: 0, bytes: 0, totalBytes: input.bytes}
  const onBytes = (bytes: number) => (progress.bytes = bytes)
  const source = await openSource(format, options, input, definitions, onBytes)
  if (carried) source.definitionsLine = carried.line
  // Compiled now rather than at the first row: meanwhile a big CSV's reading thread starts up.
  schemaValidator('context-object')

  const summary: ImportSummary = {
    file: options.file,
    format,
    type: source.type,
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    rejected: 0,
    rejectsFile: null,
    firstRejects: [],
    ...(source.layout ? {layout: source.layout} : {}),
    ...(source.files ? {files: source.files.map(({path, type}) => ({file: path, type, ...emptyCounts()}))} : {}),
    ...(source.ignored ? {ignored: source.ignored} : {}),
    ...(carried ? {definitions: plan} : {}),
    seconds: 0,
    dryRun: Boolean(options.dryRun),
  }
  const rejects = new RejectsFile(rejectsPath, source.rejects)
  const run: ImportRun = {
    session,
    source,
    importer: new RecordImporter(session, definitions, Boolean(options.upsert), options.type),
    progress,
    onProgress: options.onProgress,
    // Committed (or checked, on a dry run): now count it and write its rejects.
    async settle(outcome) {
      summary.read += outcome.read
      for (const kind of ['created', 'updated', 'unchanged', 'skipped'] as const) summary[kind] += outcome.counts[kind]
      for (const [file, counts] of outcome.files) {
        const entry = summary.files?.find((each) => each.file === file)
        if (entry) for (const kind of ['read', 'created', 'updated', 'unchanged', 'skipped', 'rejected'] as const) entry[kind] += counts[kind]
      }
      for (const {item, reason} of outcome.rejected) {
        summary.rejected++
        progress.rejected++
        const where = item.file === undefined ? {line: item.line} : {line: item.line, file: item.file, index: item.line}
        if (summary.firstRejects.length < FIRST_REJECTS) summary.firstRejects.push({...where, reason})
        if (keepRejects) await rejects.add(item.line, reason, item.original, item.file)
      }
      options.onProgress?.(progress)
    },
  }
  try {
    try {
      await importRows(run, Boolean(options.dryRun))
    } finally {
      source.close?.()
      await rejects.close()
    }
  } catch (error) {
    // Rejects are written once their rows committed: the rows before stay stored, and say so.
    if (!rejects.failed(error) || options.dryRun) throw error
    const n = (count: number) => count.toLocaleString('en-US')
    const {read, created, updated, unchanged, skipped} = summary
    const done = `${n(created)} created, ${n(updated)} updated, ${n(unchanged)} unchanged, ${n(read - created - updated - unchanged - skipped)} rejected`
    throw new StorageError(`${error.message}; the first ${n(read)} rows of ${options.file} were imported before it (${done})`, {
      where: error.where,
      hint:
        'They stay stored. Make room, or choose another place with --rejects FILE, then import the rows after them. ' +
        'Import the whole file again only with --upsert and rows that carry an id or externalId: rows without either would be stored twice.',
    })
  }
  options.onProgress?.(progress)
  if (!options.dryRun) await session.store.refreshStatistics?.(summary.created + summary.updated)
  summary.rejectsFile = rejects.written ? rejects.path : null
  summary.seconds = Math.round(performance.now() - started) / 1000
  return summary
}

/** Where rows come from, the rules, and what happens once a transaction committed. */
interface ImportRun {
  session: Session
  source: Source
  importer: RecordImporter
  progress: ImportProgress
  onProgress: ((progress: ImportProgress) => void) | undefined
  settle(outcome: BatchOutcome): Promise<void>
}

/** Items as read, and (when the store fetches ahead) their records, made together. */
interface Chunk {
  items: SourceItem[]
  records: (ImportRecord | CtxError)[] | null
}

/**
 * The one way rows go in; the store's importBatchSize is the rows a transaction commits.
 *
 * Infinity (file, memory: each commit rewrites the whole file, so batching would make an import
 * quadratic) makes the whole import one transaction, reading the file inside it chunk by chunk;
 * each row's record is made as its row comes and is garbage before the next (fewer objects alive
 * at each collection; bench P3), and writes go straight to the transaction, which holds them.
 *
 * A number (a database) makes a transaction per that many rows. A batch is read, and its records
 * made, before its transaction, while the previous one is written, so parsing overlaps the
 * database's work (bench P2); its reads are fetched ahead and its writes held back to go as one
 * statement (PendingWrites).
 *
 * A dry run is one transaction on any store, rolled back at its end. A store may run a
 * transaction's work again (Postgres retries serialization failures): the work reads its rows from
 * the start each time and writes no rejects, which are written once it committed.
 */
async function importRows(run: ImportRun, dryRun: boolean): Promise<void> {
  const {store} = run.session
  const heldBack = !commitsWhole(store)
  for await (const commit of transactions(run, dryRun ? Number.POSITIVE_INFINITY : store.capabilities.importBatchSize, heldBack)) {
    let outcome = emptyOutcome()
    try {
      await store.transaction(async (tx) => {
        outcome = emptyOutcome()
        const pending = heldBack ? new PendingWrites(tx) : null
        try {
          for await (const chunk of commit()) {
            if (pending && chunk.records) await pending.readAhead(...lookupsOf(chunk.records))
            await importChunk(run.importer, pending ?? tx, chunk, outcome, pending)
          }
          await pending?.flush()
        } catch (error) {
          await pending?.settled()
          throw error
        }
        if (dryRun) throw new DryRunDone()
      })
    } catch (error) {
      if (!(error instanceof DryRunDone)) throw error
    }
    await run.settle(outcome)
  }
}

/**
 * The transactions' rows: each a function giving them from the start. With `size` Infinity, one
 * that reads the whole source afresh each time; otherwise one per `size` rows, read (the next one
 * while the previous is written) before its transaction.
 */
async function* transactions(run: ImportRun, size: number, withRecords: boolean): AsyncGenerator<() => AsyncIterable<Chunk>> {
  if (!Number.isFinite(size)) {
    yield () => chunksOf(run, withRecords)
    return
  }
  const chunks = chunksOf(run, withRecords)
  const nextBatch = batchReader(chunks, size)
  let upcoming = nextBatch()
  try {
    for (;;) {
      const batch = await upcoming
      if (batch.items.length === 0) break
      upcoming = nextBatch()
      upcoming.catch(() => undefined)
      yield async function* () {
        yield batch
      }
    }
  } finally {
    await upcoming.catch(() => undefined)
    await chunks.return(undefined)
  }
}

/** The source's chunks from its start, counted as read, with their records when asked. */
async function* chunksOf(run: ImportRun, withRecords: boolean): AsyncGenerator<Chunk> {
  run.progress.read = 0
  for await (const items of run.source.items()) {
    run.progress.read += items.length
    run.onProgress?.(run.progress)
    yield {items, records: withRecords ? items.map((item) => recordOf(item)) : null}
    // A file read from memory resolves every await at once: a turn of the event loop per chunk
    // lets a Ctrl-C (SIGINT) be handled while the rows are read, not only once all are stored.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/**
 * Imports a chunk's records (made here from its items when not made ahead) through `writer`;
 * refused rows go to the outcome. A failure of writes handed to the store before (`pending`) stops
 * the import at whichever row meets it, never refusing that row for it.
 */
async function importChunk(importer: RecordImporter, writer: ImportWriter, chunk: Chunk, outcome: BatchOutcome, pending: PendingWrites | null): Promise<void> {
  const {items, records} = chunk
  for (let index = 0; index < items.length; index++) {
    const record = records ? records[index] : recordOf(items[index])
    const item = items[index]
    let kind: Outcome | 'rejected'
    try {
      if (record instanceof Error) throw record
      kind = await importer.import(writer, record)
      outcome.counts[kind]++
    } catch (error) {
      if (!isRowProblem(error) || (pending?.failure !== undefined && error === pending.failure)) throw error
      outcome.rejected.push({item, reason: error.message})
      kind = 'rejected'
    }
    if (item.file !== undefined) {
      let counts = outcome.files.get(item.file)
      if (!counts) outcome.files.set(item.file, (counts = emptyCounts()))
      counts.read++
      counts[kind]++
    }
  }
  outcome.read += items.length
}

interface BatchOutcome {
  read: number
  counts: Record<Outcome, number>
  rejected: {item: SourceItem; reason: string}[]
  /** Context Service: the counts of each file. */
  files: Map<string, Record<Outcome | 'rejected' | 'read', number>>
}

function emptyOutcome(): BatchOutcome {
  return {read: 0, counts: {created: 0, updated: 0, unchanged: 0, skipped: 0}, rejected: [], files: new Map()}
}

function emptyCounts(): Record<Outcome | 'rejected' | 'read', number> {
  return {read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0}
}

/** Reads the chunks `size` items at a time, carrying what is left of a chunk over to the next call. */
function batchReader(chunks: AsyncIterator<Chunk>, size: number): () => Promise<Chunk> {
  let queue: Chunk = {items: [], records: null}
  let at = 0
  return async () => {
    const batch: Chunk = {items: [], records: []}
    while (batch.items.length < size) {
      if (at >= queue.items.length) {
        const next = await chunks.next()
        if (next.done) break
        queue = next.value
        at = 0
        continue
      }
      const end = Math.min(queue.items.length, at + size - batch.items.length)
      batch.items.push(...queue.items.slice(at, end))
      batch.records!.push(...queue.records!.slice(at, end))
      at = end
    }
    return batch
  }
}

/** The record of an item, or the row problem that stops it becoming one. */
function recordOf(item: SourceItem): ImportRecord | CtxError {
  try {
    return item.record()
  } catch (error) {
    if (isRowProblem(error)) return error
    throw error
  }
}

/** What a batch will look up: ids and links, and (type, externalId) pairs. */
function lookupsOf(records: readonly (ImportRecord | CtxError)[]): [string[], [ObjectType, string][]] {
  const ids: string[] = []
  const externalIds: [ObjectType, string][] = []
  for (const record of records) {
    if (record instanceof Error) continue
    const {id, customerId, parentId, externalId} = record.keys
    for (const value of [id, customerId, parentId]) if (typeof value === 'string') ids.push(value)
    if (externalId !== undefined) externalIds.push([record.type, externalId])
  }
  return [ids, externalIds]
}

/** Errors that refuse one record; anything else (storage, bugs) stops the import. */
function isRowProblem(error: unknown): error is CtxError {
  return error instanceof InvalidDataError || error instanceof NotFoundError || error instanceof ConflictError
}

/** A directory is a Context Service export: the one format that comes as a directory. */
function directoryFormat(path: string, given: ImportFormat | undefined): ImportFormat {
  if (given && given !== 'cs-json') {
    throw new UsageError(`${path} is a directory; only a Context Service export (cs-json) comes as one`, {where: path, hint: 'Give the file to import, or leave --format out.'})
  }
  return 'cs-json'
}

/** What is to be read: a file, or a Context Service export directory and its files; looked at once. */
interface ImportInput {
  /** The bytes to read: the file's, or the export's files'. */
  bytes: number
  /** A directory: the export's files, in link order, and what else it holds. */
  files?: ExportFile[]
  ignored?: string[]
}

async function inspectInput(file: string): Promise<ImportInput> {
  try {
    const stats = await stat(file)
    if (stats.isDirectory()) {
      const {files, ignored} = await exportDirectoryFiles(file)
      return {bytes: files.reduce((total, {bytes}) => total + bytes, 0), files, ignored}
    }
    if (!stats.isFile()) throw new UsageError(`${file} is not a file`, {where: file})
    return {bytes: stats.size}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${file} does not exist`, {where: file})
    throw error
  }
}

const REJECTS_EXTENSION = {csv: 'csv', jsonl: 'jsonl', 'cs-json': 'json'} as const

/** `customers.csv` → `customers.rejects.csv`, beside it; an export directory `export/` → `export.rejects.json` beside it. */
export function defaultRejectsPath(file: string, extension: string): string {
  const name = basename(file).replace(/[\\/]+$/, '')
  return join(dirname(file), `${basename(name, extname(name))}.rejects.${extension}`)
}

async function openSource(format: ImportFormat, options: ImportOptions, input: ImportInput, definitions: Definitions, onBytes: (bytes: number) => void): Promise<Source> {
  if (format === 'csv') return openCsvSource(options, input, definitions, onBytes)
  if (format === 'cs-json') return openContextServiceSource(options, input, onBytes)
  const source: Source = {items, rejects: {kind: 'jsonl'}, type: options.type ?? null}
  async function* items(): AsyncGenerator<SourceItem[]> {
    let chunk: SourceItem[] = []
    for await (const {line, text} of readJsonLines(options.file, onBytes)) {
      if (line === source.definitionsLine) continue
      chunk.push({line, original: text, record: () => recordFromObjectJson(parseRecordJson(text))})
      if (chunk.length === JSON_LINES_CHUNK) {
        yield chunk
        chunk = []
      }
    }
    if (chunk.length > 0) yield chunk
  }
  return source
}

/** JSON Lines are handed on this many at a time, as a CSV's rows come a chunk at a time. */
const JSON_LINES_CHUNK = 256

/**
 * A Context Service export: the files of its directory in link order (customers first, so what
 * links to them finds them), or the one file given. Items are numbered by their index in their
 * file's array.
 */
async function openContextServiceSource(options: ImportOptions, input: ImportInput, onBytes: (bytes: number) => void): Promise<Source> {
  const files = input.files ?? [{path: options.file, type: typeOfFile(options.file), bytes: input.bytes}]
  const {ignored} = input
  async function* items(): AsyncGenerator<SourceItem[]> {
    let done = 0
    for (const {path, type, bytes} of files) {
      for await (const elements of readJsonArray(path, (bytes) => onBytes(done + bytes))) {
        yield elements.map(({index, value}) => ({
          line: index,
          file: path,
          original: (isPlainObject(value) ? {...value, type: value.type ?? (type ? CS_TYPE_OF[type] : undefined)} : {_value: value}) as Record<string, unknown>,
          record: () => recordFromContextService(value, type),
        }))
      }
      done += bytes
    }
  }
  return {items, rejects: {kind: 'cs-json'}, type: options.type ?? null, files, ...(ignored ? {ignored} : {})}
}

/**
 * Reads the header and plans the columns before anything is written: a bad header refuses the
 * file. The header comes from the rows' reader, which starts now (a big file's reading thread boots
 * while the import gets ready), so the file is parsed once; a source read again starts over.
 */
async function openCsvSource(options: ImportOptions, input: ImportInput, definitions: Definitions, onBytes: (bytes: number) => void): Promise<Source> {
  const mapping = options.mapping === undefined ? undefined : await loadMapping(options.mapping)
  if (options.type && mapping?.type && options.type !== mapping.type) {
    throw new UsageError(`--type ${options.type} and the mapping's type ${mapping.type} disagree`, {hint: 'Leave one of them out.'})
  }
  const type = options.type ?? mapping?.type
  if (!type) throw new UsageError('a CSV import needs --type (customer, request, activity, comment or feedback)', {hint: 'Or set "type" in the mapping file.'})
  const layout = await sniffCsv(options.file)
  const inWorker = input.bytes >= WORKER_MIN_BYTES
  let ahead: CsvReader | undefined = readCsv(options.file, layout, onBytes, inWorker)
  let first: IteratorResult<CsvRow[]>
  let plan: ColumnPlan | null
  try {
    first = await ahead.next()
    plan = first.done ? null : planColumns(first.value[0].cells, type, definitions, mapping, options.file)
  } catch (error) {
    ahead.stop()
    throw error
  }
  if (!plan) ahead = undefined
  const header = first.done ? [] : first.value[0].cells
  // What the first chunk holds after the header, handed on first by the reader that read it.
  let firstRows = first.done ? [] : first.value.slice(1)
  const itemsOf = (rows: CsvRow[]): SourceItem[] => rows.map(({line, cells}) => ({line, original: cells, record: () => recordFromCells(plan!, cells)}))
  async function* items(): AsyncGenerator<SourceItem[]> {
    if (!plan) return
    const reader = ahead
    ahead = undefined
    if (reader) {
      const rows = firstRows
      firstRows = []
      if (rows.length > 0) yield itemsOf(rows)
      for await (const chunk of reader) yield itemsOf(chunk)
      return
    }
    let rest = false
    for await (const rows of readCsv(options.file, layout, onBytes, inWorker)) {
      yield itemsOf(rest ? rows : rows.slice(1))
      rest = true
    }
  }
  return {items, close: () => ahead?.stop(), rejects: {kind: 'csv', header, layout}, layout, type}
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped'

/** The rules of one record: find what it updates, merge, check links and fields, stage the write. */
class RecordImporter {
  /** When the import happens: created and lastUpdated of new objects that do not carry their own. */
  private readonly now: string
  private readonly nowMs: number

  constructor(
    private readonly session: Session,
    private readonly definitions: Definitions,
    private readonly upsert: boolean,
    private readonly only: ObjectType | undefined,
  ) {
    this.now = nextTimestamp(session.clock)
    this.nowMs = Date.parse(this.now)
  }

  async import(writer: ImportWriter, record: ImportRecord): Promise<Outcome> {
    if (this.only && record.type !== this.only) return 'skipped'
    const stored = await this.storedFor(writer, record)
    if (!stored) {
      const {object, request} = await this.checkedNew(writer, record)
      await writer.insert([object])
      // New work (no timestamps of its own) counts as an update of its request (rule 3); restored history does not.
      if (record.keys.created === undefined && record.keys.lastUpdated === undefined) await this.touch(writer, request, object.lastUpdated)
      return 'created'
    }
    const merged = merge(stored, record)
    if (sameObject(merged, {...stored, lastUpdated: merged.lastUpdated})) return 'unchanged'
    await requireChangeable(writer, stored.id, stored.type, `change ${stored.type} ${stored.id}`)
    const changed = {...merged, lastUpdated: record.keys.lastUpdated ?? nextTimestamp(this.session.clock, stored.lastUpdated)}
    const {object, links} = await resolveLinks(writer, changed, {allowClosed: true})
    if (links.request?.state === 'closed') throw closedRequest(links.request, `move ${object.type} ${object.id} into it`)
    await checkObject(object, this.definitions, stored)
    await writer.update(object)
    if (record.keys.lastUpdated === undefined) await this.touch(writer, links.request, object.lastUpdated)
    return 'updated'
  }

  /** The stored object a record is about: same id, or with --upsert the same (type, externalId). */
  private async storedFor(reader: StoreReader, record: ImportRecord): Promise<ContextObject | null> {
    const {id, externalId} = record.keys
    const byId = id === undefined ? null : await reader.get(id)
    const byExternal = externalId === undefined ? null : await reader.getByExternalId(record.type, externalId)
    const stored = byId ?? byExternal
    if (!stored) return null
    if (byId && byId.type !== record.type) throw new ConflictError(`id ${id} already belongs to a ${byId.type}, not a ${record.type}`, {where: id})
    if (byId && byExternal && byId.id !== byExternal.id) {
      throw new ConflictError(`externalId "${externalId}" belongs to ${record.type} ${byExternal.id}, but the record's id is ${id}`, {where: externalId})
    }
    if (!this.upsert) {
      const what = byId ? `${record.type} ${id}` : `a ${record.type} with externalId "${externalId}" (${stored.id})`
      throw new ConflictError(`${what} already exists`, {where: stored.id, hint: 'Import with --upsert to update existing objects.'})
    }
    return stored
  }

  private async checkedNew(reader: StoreReader, record: ImportRecord): Promise<{object: ContextObject; request: ContextObject | null}> {
    const now = this.now
    const keys = record.keys
    // Every key named rather than spreads, then made canonical once: the store keeps that very
    // object instead of copying it again (bench P3).
    const draft = canonical({
      id: keys.id ?? newOrderedId(this.nowMs),
      type: record.type,
      customerId: keys.customerId,
      parentId: keys.parentId,
      state: keys.state ?? defaultsFor(record.type).state,
      mediaType: keys.mediaType,
      tags: keys.tags,
      fieldsets: keys.fieldsets ?? [BASE_FIELDSET[record.type]],
      data: newData(record.data),
      externalId: keys.externalId,
      created: keys.created ?? now,
      lastUpdated: keys.lastUpdated ?? now,
      closedAt: keys.closedAt,
      closeReason: keys.closeReason,
    })
    const {object, links} = await resolveLinks(reader, draft, {allowClosed: true})
    // History may be restored under a closed request (it was written before the request closed);
    // new work may not (rule 2).
    const request = links.request
    if (request?.state === 'closed' && Date.parse(object.created) > Date.parse(request.closedAt ?? request.lastUpdated)) {
      throw closedRequest(request, `add a ${object.type} created after it closed`)
    }
    await checkObject(object, this.definitions)
    return {object, request}
  }

  /** Moves an active request's lastUpdated up to `at`, so the auto-close sweep sees the work done in it. */
  private async touch(writer: ImportWriter, request: ContextObject | null, at: string): Promise<void> {
    if (!request || request.state !== 'active' || request.lastUpdated >= at) return
    await writer.update({...request, lastUpdated: at})
  }
}

/** What a new object of each type is unless it says otherwise; shared, so never to be changed. */
const DEFAULTS: Record<ObjectType, Readonly<Partial<ContextObject>>> = {
  customer: {},
  request: {state: 'active'},
  activity: {},
  comment: {state: 'closed'},
  feedback: {state: 'closed'},
}

function defaultsFor(type: ObjectType): Readonly<Partial<ContextObject>> {
  return DEFAULTS[type]
}

/** A new object's data: the record's own values when it removes nothing, since canonical() copies them anyway. */
function newData(changes: DataChanges): Record<string, FieldValue> {
  for (const key in changes) if (changes[key] === null) return applyChanges({}, changes)
  return changes as Record<string, FieldValue>
}

/** The stored object as the record would leave it (timestamps aside). */
function merge(stored: ContextObject, record: ImportRecord): ContextObject {
  if (record.whole) {
    return {
      ...defaultsFor(record.type),
      ...record.keys,
      id: stored.id,
      type: stored.type,
      fieldsets: record.keys.fieldsets ?? [BASE_FIELDSET[record.type]],
      data: applyChanges({}, record.data),
      created: record.keys.created ?? stored.created,
      lastUpdated: record.keys.lastUpdated ?? stored.lastUpdated,
    }
  }
  const merged: ContextObject = {...stored, ...record.keys, id: stored.id, data: applyChanges(stored.data, record.data)}
  for (const key of record.cleared) {
    if (key !== 'id' && key !== 'fieldsets' && key !== 'created' && key !== 'lastUpdated') delete merged[key]
  }
  return merged
}

function sameObject(a: ContextObject, b: ContextObject): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}
