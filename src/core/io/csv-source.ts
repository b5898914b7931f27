// Reading CSV as it comes from spreadsheets and other systems: BOM, delimiter and line ending
// detected from the head of the file, then csv-parse streaming the rest with constant memory, each
// row numbered by the line it starts on (quoted newlines included) for error messages and rejects.
import {createReadStream, statSync} from 'node:fs'
import {finished} from 'node:stream/promises'
import {open} from 'node:fs/promises'
import {Worker} from 'node:worker_threads'
import {CsvError, parse, type Parser} from 'csv-parse'
import {parse as parseSync} from 'csv-parse/sync'
import {InvalidDataError} from '../errors.js'

export const DELIMITERS = [',', ';', '\t', '|'] as const
export type Delimiter = (typeof DELIMITERS)[number]
export type LineEnding = '\n' | '\r\n' | '\r'

export interface CsvLayout {
  delimiter: Delimiter
  lineEnding: LineEnding
  bom: boolean
}

/** A cell that was written as `""`: an empty string, where a bare empty cell means "no value". */
export const QUOTED_EMPTY: unique symbol = Symbol('quoted empty cell')
export type Cell = string | typeof QUOTED_EMPTY

export interface CsvRow {
  /** The line of the file the row starts on, counting from 1. */
  line: number
  cells: Cell[]
}

const SNIFF_BYTES = 64 * 1024
const BOM = '\uFEFF'

/**
 * Reads the head of the file and guesses its layout from the header line (the line ending is
 * reported, and used for the rejects file; reading accepts any). A file that is not UTF-8
 * (a Latin-1 export, say) is refused here, before a single row is misread.
 */
export async function sniffCsv(path: string): Promise<CsvLayout> {
  const handle = await open(path, 'r')
  let head: string
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES)
    const {bytesRead} = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    const sample = buffer.subarray(0, bytesRead)
    // Refused naming the line and byte, as a bad byte further on is (checkUtf8).
    checkUtf8(new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}), sample, path, 0, 1)
    head = new TextDecoder('utf-8', {ignoreBOM: true}).decode(sample, {stream: true})
  } finally {
    await handle.close()
  }
  const bom = head.startsWith(BOM)
  return {bom, ...layoutOfHeader(bom ? head.slice(1) : head)}
}

/** The delimiter that occurs most often outside quotes on the first line, and how that line ends. */
export function layoutOfHeader(text: string): {delimiter: Delimiter; lineEnding: LineEnding} {
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]))
  let quoted = false
  let lineEnding: LineEnding = '\n'
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) {
      lineEnding = char === '\r' ? (text[index + 1] === '\n' ? '\r\n' : '\r') : '\n'
      break
    } else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1)
  }
  let delimiter: Delimiter = ','
  for (const candidate of DELIMITERS) if (counts.get(candidate)! > counts.get(delimiter)!) delimiter = candidate
  return {delimiter, lineEnding}
}

/** Files from this size up are parsed on a worker thread (see readCsv); below it, starting one costs more than it saves. */
export const WORKER_MIN_BYTES = 1024 * 1024

/**
 * Every row of the file, the header first, in batches: the rows of each chunk read (one await per
 * chunk rather than per row, bench P3). Rows keep their cells as written (ragged rows too: the
 * caller decides what a wrong cell count means). A file csv-parse cannot read past some point (an
 * unclosed quote) ends the iteration with an InvalidDataError naming the line.
 *
 * A file of WORKER_MIN_BYTES or more is parsed on a worker thread, a few batches ahead of the
 * caller: csv-parse is a third of a file-store import's time, and runs there while this thread
 * checks and stores the rows before. The rows and errors are the same either way; `inWorker`
 * chooses for tests.
 */
export function readCsv(path: string, layout: CsvLayout, onBytes?: (bytes: number) => void, inWorker?: boolean): CsvReader {
  if (!(inWorker ?? statSync(path).size >= WORKER_MIN_BYTES)) {
    const rows = parseCsvFile(path, layout, onBytes)
    return Object.assign(rows, {stop: () => void rows.return(undefined)})
  }
  const thread = startWorker(path, layout)
  return Object.assign(readCsvInWorker(thread, onBytes), {stop: () => stopWorker(thread.worker)})
}

/** The rows of a CSV file, and a way to give them up before reading them (which ends its thread). */
export interface CsvReader extends AsyncGenerator<CsvRow[]> {
  stop(): void
}

/** readCsv on this thread: what the worker runs too. */
export async function* parseCsvFile(path: string, layout: CsvLayout, onBytes?: (bytes: number) => void): AsyncGenerator<CsvRow[]> {
  const parser: Parser = parse({
    bom: true,
    delimiter: layout.delimiter,
    // Any line ending ends a row, whatever the header used: files stitched together mix them, and
    // some end their last line with a lone CR.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    // A blank line is skipped by csv-parse itself: let through, it made a record of one cell that
    // did not have the header's length, and csv-parse builds an error (~25 µs) for every such
    // record even when told to let them by. The lines skipped are counted from the next record's
    // raw text, which starts with their line breaks. Not info: it costs a context object per row.
    // Nor cast: csv-parse then builds a context per cell and reads six times slower; quoted empty
    // cells are found from the raw text instead.
    skip_empty_lines: true,
    raw: true,
  })
  // The file is fed chunk by chunk and each chunk's rows handed on before the next is read, so a
  // malformed end (csv-parse fails in its flush) never discards rows that came before it.
  const parsed: {record: Cell[]; raw: string}[] = []
  let failure: unknown
  parser.on('data', (row: {record: Cell[]; raw: string}) => parsed.push(row))
  parser.on('error', (error) => (failure ??= error))
  const settle = () => new Promise((resolve) => setImmediate(resolve))
  let nextLine = 1
  function rows(): CsvRow[] {
    const batch: CsvRow[] = []
    for (const {record, raw} of parsed.splice(0)) {
      // Lines are counted here, not taken from csv-parse, which counts a quoted CRLF as two lines.
      const line = nextLine + skippedLines(raw)
      if (record.includes('') && raw.includes('""')) markQuotedEmpty(record, raw, layout.delimiter)
      let breaks = 0
      for (const cell of record) if (typeof cell === 'string' && (cell.includes('\n') || cell.includes('\r'))) breaks += lineBreaks(cell)
      nextLine = line + breaks + 1
      batch.push({line, cells: record})
    }
    return batch
  }
  const input = createReadStream(path)
  // Every byte is checked, not only the head sniffCsv reads: csv-parse would turn a bad byte
  // anywhere into U+FFFD and store that in place of the text. The decoded text is not used.
  const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})
  // The line the next chunk starts on, as an editor counts lines, for naming where a bad byte is.
  let linesBefore = 1
  try {
    let bytes = 0
    for await (const chunk of input as AsyncIterable<Buffer>) {
      checkUtf8(utf8, chunk, path, bytes, linesBefore)
      linesBefore += newlines(chunk, chunk.length)
      parser.write(chunk)
      await settle()
      bytes += chunk.length
      onBytes?.(bytes)
      const batch = rows()
      if (batch.length > 0) yield batch
      if (failure) break
    }
    if (!failure) {
      checkUtf8(utf8, undefined, path, bytes, linesBefore)
      parser.end()
      await finished(parser).catch(() => undefined)
    }
    const last = rows()
    if (last.length > 0) yield last
    if (failure) throw failure
  } catch (error) {
    if (error instanceof CsvError) {
      const line = nextLine
      throw new InvalidDataError(`${path}:${line}: ${csvProblem(error)}; the file cannot be read past this point`, {
        where: `${path}:${line}`,
        hint: 'Fix the file (a quote is probably missing or doubled) and import it again; with --upsert, rows already written are not duplicated.',
        details: {line, csvError: error.code},
      })
    }
    throw error
  } finally {
    input.destroy()
    parser.destroy()
  }
}

/**
 * Refuses (exit 5, naming the line) a chunk that is not UTF-8 where it continues the chunks before;
 * `undefined` checks that the file did not end inside a character. Rows before the line are
 * handed on, as for any file that cannot be read past some point.
 */
function checkUtf8(decoder: InstanceType<typeof TextDecoder>, chunk: Buffer | undefined, path: string, offset: number, line: number): void {
  try {
    decoder.decode(chunk, {stream: chunk !== undefined})
  } catch {
    const at = chunk === undefined ? offset : offset + firstBadByte(chunk)
    const near = line + (chunk === undefined ? 0 : newlines(chunk, Math.max(0, firstBadByte(chunk))))
    throw new InvalidDataError(`${path}:${near}: not UTF-8 text (byte ${at}); the file cannot be read past this point`, {
      where: `${path}:${near}`,
      hint: 'Save it as UTF-8 (in a spreadsheet: "CSV UTF-8"), or convert it: iconv -f latin1 -t utf-8 FILE > NEW.csv',
      details: {line: near, byte: at},
    })
  }
}

/** The offset of the first byte of `chunk` that starts no valid UTF-8 sequence (a guess within 3 bytes for one split across chunks). */
function firstBadByte(chunk: Buffer): number {
  for (let index = 0; index < chunk.length; ) {
    const byte = chunk[index]
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0
    if (length === 0) return index
    for (let next = 1; next < length; next++) {
      if (index + next >= chunk.length) return index
      if ((chunk[index + next] & 0xc0) !== 0x80) return index
    }
    index += length
  }
  return 0
}

function newlines(chunk: Buffer, end: number): number {
  let count = 0
  for (let index = chunk.indexOf(0x0a); index >= 0 && index < end; index = chunk.indexOf(0x0a, index + 1)) count++
  return count
}

/** What the worker (csv-worker.ts) posts: a batch of rows, the end, or why it stopped. */
export type WorkerMessage =
  | {rows: WireRows; bytes: number}
  | {done: true; bytes: number}
  | {failure: {name: string; message: string; stack?: string; code?: string; where?: string; hint?: string; details?: Record<string, unknown>}}

/** Rows as they cross threads: QUOTED_EMPTY (a symbol, which cannot be posted) is null, and `marked` lists the rows holding one. */
export interface WireRows {
  lines: number[]
  cells: (string | null)[][]
  marked: number[]
}

/** How many batches the worker may parse ahead of its reader: a few chunks' rows in memory, not the file. */
export const WORKER_AHEAD = 8

/** A started worker and what it has posted so far. */
interface CsvThread {
  worker: Worker
  inbox: WorkerMessage[]
  wake?: () => void
}

/**
 * The thread's script: the build's bundle of csv-worker.ts (scripts/bundle.js), or the file
 * CTX_CSV_WORKER names — the unit tests' bundle of it from src/ (test/setup/csv-worker.ts), so
 * that they need no build.
 */
function workerFile(): string | URL {
  return process.env.CTX_CSV_WORKER || new URL('../../../dist/csv-worker.cjs', import.meta.url)
}

/**
 * The thread's young generation: what it parses lives only until it is posted, and with V8's
 * default the thread's heap grew to 38 MB holding ~6 MB (bench P2a's peak memory); at 4 MB it
 * stays near 16 MB. Its old generation is left as it is: a row may be as long as a file.
 */
const WORKER_LIMITS = {maxYoungGenerationSizeMb: 4}

/**
 * The worker starts when readCsv is called, not when its rows are first asked for, so it boots
 * while the caller gets ready; it is listened to from the start, for a Worker drops messages that
 * come before a listener. It holds the process open only while rows are awaited: a reader given up
 * unread does not keep ctx from exiting.
 */
function startWorker(path: string, layout: CsvLayout): CsvThread {
  const worker = new Worker(workerFile(), {workerData: {path, layout}, resourceLimits: WORKER_LIMITS})
  const thread: CsvThread = {worker, inbox: []}
  const deliver = (message: WorkerMessage) => {
    thread.inbox.push(message)
    thread.wake?.()
  }
  worker.on('message', deliver)
  worker.on('error', (error: Error) => deliver({failure: {name: error.name, message: error.message, stack: error.stack}}))
  worker.on('exit', (code) => deliver({failure: {name: 'Error', message: `the CSV reader's thread stopped (exit code ${code}) before the end of ${path}`}}))
  // After the listeners: adding a 'message' listener refs the worker again.
  worker.unref()
  return thread
}

async function* readCsvInWorker(thread: CsvThread, onBytes?: (bytes: number) => void): AsyncGenerator<CsvRow[]> {
  const {worker, inbox} = thread
  try {
    for (;;) {
      if (inbox.length === 0) {
        worker.ref()
        while (inbox.length === 0) await new Promise<void>((resolve) => (thread.wake = resolve))
        worker.unref()
      }
      const message = inbox.shift()!
      if ('done' in message) {
        onBytes?.(message.bytes)
        return
      }
      if ('failure' in message) throw rebuilt(message.failure)
      worker.postMessage('more')
      onBytes?.(message.bytes)
      yield fromWire(message.rows)
    }
  } finally {
    stopWorker(worker)
  }
}

function stopWorker(worker: Worker): void {
  // Nothing it says now matters, but an 'error' with no listener would be thrown in this thread.
  worker.removeAllListeners().on('error', () => undefined)
  void worker.terminate()
}

export function toWire(rows: readonly CsvRow[]): WireRows {
  const wire: WireRows = {lines: [], cells: [], marked: []}
  rows.forEach(({line, cells}, index) => {
    wire.lines.push(line)
    if (cells.includes(QUOTED_EMPTY)) {
      wire.marked.push(index)
      wire.cells.push(cells.map((cell) => (typeof cell === 'string' ? cell : null)))
    } else wire.cells.push(cells as string[])
  })
  return wire
}

function fromWire({lines, cells, marked}: WireRows): CsvRow[] {
  const rows = lines.map((line, index) => ({line, cells: cells[index] as Cell[]}))
  for (const index of marked) rows[index].cells = cells[index].map((cell) => cell ?? QUOTED_EMPTY)
  return rows
}

/** The worker's error as this thread's: a CSV the reader refused stays an InvalidDataError (exit 5); a file error keeps its code. */
function rebuilt(failure: Extract<WorkerMessage, {failure: unknown}>['failure']): Error {
  if (failure.name === 'InvalidDataError') return new InvalidDataError(failure.message, failure)
  const error = Object.assign(new Error(failure.message), failure.code === undefined ? {} : {code: failure.code})
  if (failure.stack) error.stack = failure.stack
  return error
}

/** Re-reads one row's raw text, noting which empty cells were written `""`. */
function markQuotedEmpty(record: Cell[], raw: string, delimiter: Delimiter): void {
  const [cells] = parseSync(raw.replace(/^[\r\n]+/, ''), {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    cast: (value, context) => (value === '' && context.quoting ? QUOTED_EMPTY : value),
  }) as Cell[][]
  cells?.forEach((cell, index) => {
    if (cell === QUOTED_EMPTY && record[index] === '') record[index] = QUOTED_EMPTY
  })
}

/** The blank lines csv-parse skipped before a record: the line breaks its raw text starts with. */
function skippedLines(raw: string): number {
  const first = raw.charCodeAt(0)
  if (first !== 10 && first !== 13) return 0
  let end = 0
  while (raw.charCodeAt(end) === 10 || raw.charCodeAt(end) === 13) end++
  return lineBreaks(raw.slice(0, end))
}

function lineBreaks(text: string): number {
  let count = 0
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (char === 10) count++
    else if (char === 13) {
      count++
      if (text.charCodeAt(index + 1) === 10) index++
    }
  }
  return count
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value starts on this line and its closing quote never comes'
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a closing quote is followed by more text in the same cell'
    default:
      return error.message
  }
}
