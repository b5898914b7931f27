// Reads one object, or the definitions, out of a store file without parsing, or even reading, all
// of it: a `customers show` on a store of 10k objects read and parsed 4.7 MB of JSON to print one
// (bench P1). It relies on the layout FileStore writes (compact JSON, the stamp first, `objects`
// last); anything else answers `undefined`, and the caller parses the whole file, which reports
// what is wrong.
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'
import {definitionsDamage, objectDamage} from './shape.js'
import {type StateKeyring, STORE_FORMAT, STORE_FORMAT_VERSION} from './state.js'
import type {Definitions} from '../definitions/model.js'
import type {ContextObject} from '../model.js'

const CHUNK = 256 * 1024

/**
 * A store file's bytes, read from one descriptor as far as they are needed: every read is of the
 * same file, even when another process replaces it meanwhile (a rename leaves this one's inode).
 */
export class StoreFileBytes {
  private filled: number
  /** The bytes read so far, as one view: searched without making a view per search. */
  private inMemory: Buffer

  private constructor(
    private fd: number | null,
    private readonly bytes: Buffer,
    filled: number,
  ) {
    this.filled = filled
    this.inMemory = bytes.subarray(0, filled)
  }

  /**
   * The file at `path`, or null when there is none; other failures are thrown as they come. Anything
   * but a regular file is refused at once (ENXIO, or EISDIR for a directory): opened without
   * O_NONBLOCK, a FIFO waits forever for a writer.
   */
  static open(path: string): StoreFileBytes | null {
    let fd: number
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    try {
      const stats = fstatSync(fd)
      if (!stats.isFile()) {
        const code = stats.isDirectory() ? 'EISDIR' : 'ENXIO'
        throw Object.assign(new Error(`${path} is not a regular file`), {code})
      }
      return new StoreFileBytes(fd, Buffer.allocUnsafe(stats.size), 0)
    } catch (error) {
      closeSync(fd)
      throw error
    }
  }

  /** Bytes already in memory (tests). */
  static of(bytes: Buffer): StoreFileBytes {
    return new StoreFileBytes(null, bytes, bytes.length)
  }

  get size(): number {
    return this.bytes.length
  }

  /** How many bytes have been read so far. */
  get read(): number {
    return this.filled
  }

  /** All of the file; the descriptor is closed once it is read to the end. */
  all(): Buffer {
    this.fill(this.size)
    return this.bytes
  }

  /** The byte at `index`, reading on as needed; -1 past the end. */
  at(index: number): number {
    if (index >= this.filled) this.fill(index + 1)
    return index < this.filled ? this.bytes[index] : -1
  }

  /** Whether the bytes at `start` are `expected`. */
  matches(start: number, expected: Buffer): boolean {
    this.fill(start + expected.length)
    return this.bytes.subarray(start, start + expected.length).equals(expected)
  }

  /** Where `pattern` (bytes, or one byte) first occurs at or after `from`, reading on chunk by chunk; -1 when nowhere. */
  indexOf(pattern: Buffer | number, from: number): number {
    const length = typeof pattern === 'number' ? 1 : pattern.length
    let start = from
    for (;;) {
      const found = this.inMemory.indexOf(pattern, start)
      if (found >= 0 || this.filled === this.size) return found
      start = Math.max(from, this.filled - length + 1)
      this.fill(this.filled + CHUNK)
    }
  }

  /** The last `count` bytes, read on their own (the file's end, before the middle is needed). */
  last(count: number): Buffer {
    const start = Math.max(0, this.size - count)
    if (this.fd === null || this.filled === this.size) return this.bytes.subarray(start)
    const tail = Buffer.alloc(this.size - start)
    readSync(this.fd, tail, 0, tail.length, start)
    return tail
  }

  text(start: number, end: number): string {
    this.fill(end)
    return this.bytes.toString('utf8', start, end)
  }

  close(): void {
    if (this.fd === null) return
    closeSync(this.fd)
    this.fd = null
  }

  /** Reads on, in whole chunks, until at least `end` bytes (or all of them) are in. */
  private fill(end: number): void {
    if (end <= this.filled) return
    const target = Math.min(this.size, Math.max(end, this.filled + CHUNK))
    while (this.filled < target && this.fd !== null) {
      const read = readSync(this.fd, this.bytes, this.filled, target - this.filled, this.filled)
      if (read === 0) throw new Error('the store file became shorter while it was read')
      this.filled += read
    }
    this.inMemory = this.bytes.subarray(0, this.filled)
    if (this.filled === this.size) this.close()
  }
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPENERS = new Set([0x7b, 0x5b]) // { [
const CLOSERS = new Set([0x7d, 0x5d]) // } ]

const HEAD = Buffer.from(`{"format":"${STORE_FORMAT}","version":${STORE_FORMAT_VERSION},"mode":"`)
/** After the created instant, or the keyring (whose members and key ids never hold this): a top-level member. */
const DEFINITIONS_KEY = Buffer.from(',"definitions":')
const OBJECTS_KEY = Buffer.from(',"objects":{')
const KEYRING_KEY = Buffer.from(',"keyring":')
/** Ids as ctx writes them (UUIDs): nothing in them needs escaping in JSON. */
const PLAIN_ID = /^[0-9A-Za-z-]{1,64}$/

/** A store file with where its definitions and its objects map are. */
export class StoreFilePeek {
  private constructor(
    private readonly file: StoreFileBytes,
    private readonly definitionsAt: [start: number, end: number],
    private readonly objectsAt: number,
    private readonly keyringAt: [start: number, end: number] | null,
  ) {}

  /** The layout of a store file of this ctx's format, or undefined for anything else. */
  static of(file: StoreFileBytes): StoreFilePeek | undefined {
    if (!file.matches(0, HEAD) || !endsAsWritten(file)) return undefined
    // The mode and created strings, and the keyring, lie between; an unescaped `,"` cannot occur inside a string.
    const key = file.indexOf(DEFINITIONS_KEY, HEAD.length)
    if (key < 0) return undefined
    const start = key + DEFINITIONS_KEY.length
    const end = valueEnd(file, start)
    if (end < 0 || !file.matches(end, OBJECTS_KEY)) return undefined
    // The keyring, when there is one, ends right where the definitions key starts. It is not
    // scanned for its end here: it is ~130 bytes a customer, and stepping through it was most of a
    // peek (bench P1). keyring() parses just that span, and a span that is not one whole value
    // (the keyring ending elsewhere) does not parse.
    const keyringKey = file.indexOf(KEYRING_KEY, HEAD.length)
    const keyringAt: [number, number] | null = keyringKey >= 0 && keyringKey < key ? [keyringKey + KEYRING_KEY.length, key] : null
    return new StoreFilePeek(file, [start, end], end + OBJECTS_KEY.length - 1, keyringAt)
  }

  /** The keyring (null: the store has none yet), or undefined when it does not parse. */
  keyring(): StateKeyring | null | undefined {
    if (this.parsedKeyring === undefined) this.parsedKeyring = this.keyringAt ? (this.parse(...this.keyringAt) as StateKeyring | undefined) ?? false : null
    return this.parsedKeyring === false ? undefined : this.parsedKeyring
  }

  /** Parsed once: false when it did not parse. */
  private parsedKeyring: StateKeyring | null | false | undefined

  /** The definitions, or undefined when unsure (the whole parse then finds and reports any damage). */
  definitions(): Definitions | undefined {
    const definitions = this.parse(...this.definitionsAt)
    return definitionsDamage(definitions) === undefined ? (definitions as Definitions) : undefined
  }

  /** The object stored under `id`, null when the objects map has no such key, undefined when unsure. */
  object(id: string): ContextObject | null | undefined {
    if (!PLAIN_ID.test(id)) return undefined
    // `"ID":` followed by a value is a key: inside a string every quote is escaped. In the objects
    // map the only keys are ids (data keys are field ids, whose values are never objects).
    const key = this.file.indexOf(Buffer.from(`"${id}":`), this.objectsAt)
    if (key < 0) return null
    const start = key + id.length + 3
    if (!this.file.matches(start, Buffer.from(`{"id":"${id}"`))) return undefined
    const end = valueEnd(this.file, start)
    const object = end < 0 ? undefined : this.parse(start, end)
    return objectDamage(object, id) === undefined ? (object as ContextObject) : undefined
  }

  private parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.file.text(start, end))
    } catch {
      return undefined
    }
  }
}

/**
 * The index just past the object or array that opens at `start`, or -1 when it does not close.
 * Strings, most of a store's bytes, are skipped by a search for their closing quote rather than byte
 * by byte: this runs once or twice a start, before V8 has compiled it, and a peek that stepped
 * through the definitions (~6 KB) and an object a byte at a time took ~2-5 ms instead of ~1.3
 * (bench P1).
 */
function valueEnd(file: StoreFileBytes, start: number): number {
  let depth = 0
  for (let index = start; ; index++) {
    const byte = file.at(index)
    if (byte === -1) return -1
    if (byte === QUOTE) {
      index = stringEnd(file, index + 1)
      if (index < 0) return -1
    } else if (OPENERS.has(byte)) {
      depth++
    } else if (CLOSERS.has(byte) && --depth === 0) {
      return index + 1
    }
  }
}

/** The index of the quote that closes a string whose text starts at `from` (after its opening quote), or -1. */
function stringEnd(file: StoreFileBytes, from: number): number {
  for (let start = from; ; ) {
    const quote = file.indexOf(QUOTE, start)
    if (quote < 0) return -1
    // Escaped when an odd number of backslashes runs up to it.
    let backslashes = 0
    while (quote - backslashes - 1 >= from && file.at(quote - backslashes - 1) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote
    start = quote + 1
  }
}

/** The file ends as FileStore writes it, `}}` and a newline: a cut-off file does not. */
function endsAsWritten(file: StoreFileBytes): boolean {
  const tail = file.last(3).toString('latin1')
  return tail.endsWith('}}\n') || tail.endsWith('}}')
}
