// The rejects file of an import: every refused row as it was read, with its line number (or, from
// a Context Service export, its file and element index) and the reason, in a file that imports again
// once corrected: import skips the _line and _reason columns, and a Context Service import the
// _file, _index and _reason keys. It is created on the first rejected row only, so a clean import
// leaves no empty file behind; it holds customer data, so only its owner may read it (0600).
import {once} from 'node:events'
import {constants, createWriteStream, fchmodSync, fstatSync, type WriteStream} from 'node:fs'
import {access, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {finished} from 'node:stream/promises'
import {stringify, type Stringifier} from 'csv-stringify'
import {StorageError, UsageError} from '../errors.js'
import {type Cell, type CsvLayout, QUOTED_EMPTY} from './csv-source.js'
import {parseRecordJson} from './json-source.js'
import {isPlainObject, REJECT_LINE, REJECT_REASON} from './records.js'

export type RejectsShape = {kind: 'csv'; header: readonly Cell[]; layout: CsvLayout} | {kind: 'jsonl'} | {kind: 'cs-json'}

export class RejectsFile {
  private file: WriteStream | undefined
  private csv: Stringifier | undefined
  private failure: Error | undefined

  constructor(
    readonly path: string,
    private readonly shape: RejectsShape,
  ) {}

  get written(): boolean {
    return this.file !== undefined
  }

  /** Whether `error` is this file failing to be written. */
  failed(error: unknown): error is StorageError {
    return error !== undefined && error === this.failure
  }

  /** Adds a refused row: CSV cells as read, the JSON text of a line, or a Context Service element and its file. */
  async add(line: number, reason: string, original: readonly Cell[] | string | Record<string, unknown>, file?: string): Promise<void> {
    const first = !this.file
    this.open()
    if (this.shape.kind === 'csv') {
      const cells = (original as readonly Cell[]).map((cell) => (cell === QUOTED_EMPTY ? '' : cell))
      if (!this.csv!.write([String(line), reason, ...cells])) await once(this.csv!, 'drain')
    } else if (this.shape.kind === 'cs-json') {
      // A JSON array, as the export's own files are: corrected, it imports with --format cs-json.
      const {_file, _index, _reason, ...object} = original as Record<string, unknown>
      const text = JSON.stringify({_file: file, _index: line, _reason: reason, ...object})
      if (!this.file!.write(`${first ? '' : ',\n'}${text}`)) await once(this.file!, 'drain')
    } else {
      if (!this.file!.write(`${JSON.stringify(jsonReject(line, reason, original as string))}\n`)) await once(this.file!, 'drain')
    }
    if (this.failure) throw this.failure
  }

  async close(): Promise<void> {
    if (!this.file) return
    if (this.csv) this.csv.end()
    else this.file.end(this.shape.kind === 'cs-json' ? ']\n' : undefined)
    await finished(this.file).catch(() => undefined)
    if (this.failure) throw this.failure
  }

  private open(): void {
    if (this.file) return
    // 0600, also over an older rejects file of another mode: rejected rows are customer data.
    this.file = createWriteStream(this.path, {encoding: 'utf8', mode: 0o600})
    // A regular file's only: a device or a pipe (--rejects /dev/null) keeps its mode, which as root
    // was /dev/null's changed to 0600 for everyone.
    this.file.on('open', (fd: number) => {
      if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600)
    })
    this.file.on('error', (error: NodeJS.ErrnoException) => {
      this.failure = new StorageError(`cannot write the rejects file ${this.path}: ${error.message}`, {
        where: this.path,
        hint: 'Choose another place with --rejects FILE.',
      })
    })
    if (this.shape.kind === 'cs-json') this.file.write('[')
    if (this.shape.kind === 'csv') {
      const header = this.shape.header.map((cell) => (cell === QUOTED_EMPTY ? '' : cell))
      this.csv = stringify({delimiter: this.shape.layout.delimiter, bom: this.shape.layout.bom, record_delimiter: this.shape.layout.lineEnding})
      this.csv.pipe(this.file)
      this.csv.write([REJECT_LINE, REJECT_REASON, ...header])
    }
  }
}

/**
 * Refuses, before an import writes anything, a rejects file that cannot be made: a directory, in a
 * directory that does not exist or is not writable. Rejects are written once their rows have
 * committed, so finding out then left the good rows stored under an exit 7 saying the import failed.
 * And one of the files being read (`inputs`), which the rejects would overwrite as it is read.
 */
export async function checkRejectsPath(path: string, inputs: readonly string[]): Promise<void> {
  const refuse = (why: string) =>
    new StorageError(`cannot write the rejects file ${path}: ${why}; nothing was imported`, {where: path, hint: 'Choose another place with --rejects FILE.'})
  const existing = await stat(path).catch(() => null)
  if (existing?.isDirectory()) throw refuse('it is a directory')
  for (const input of existing ? inputs : []) {
    const read = await stat(input)
    if (read.ino === existing!.ino && read.dev === existing!.dev) {
      throw new UsageError(`--rejects ${path} is the file being imported: its rejects would overwrite it`, {where: path, hint: 'Choose another place with --rejects FILE.'})
    }
  }
  const directory = dirname(path)
  const parent = await stat(directory).catch(() => null)
  if (!parent?.isDirectory()) throw refuse(`there is no directory ${directory}`)
  await access(existing ? path : directory, constants.W_OK).catch(() => {
    throw refuse(existing ? 'it is not writable' : `the directory ${directory} is not writable`)
  })
}

/** The original object with _line and _reason in front, or its text when it was not a JSON object. */
function jsonReject(line: number, reason: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = parseRecordJson(text)
    if (isPlainObject(value)) {
      const {[REJECT_LINE]: _line, [REJECT_REASON]: _reason, ...object} = value
      return {[REJECT_LINE]: line, [REJECT_REASON]: reason, ...object}
    }
  } catch {
    // Not JSON at all, or nested too deep to write back: keep the text as it was.
  }
  return {[REJECT_LINE]: line, [REJECT_REASON]: reason, _text: text}
}
