// Reads one object, or the definitions, out of a store file's bytes without parsing the rest: a
// `customers show` on a store of 10k objects parsed 4.7 MB of JSON to print one (DESIGN §6 P1).
// It relies on the layout FileStore writes (compact JSON, the stamp first, `objects` last); anything
// else answers `undefined`, and the caller parses the whole file, which reports what is wrong.
import {STORE_FORMAT, STORE_FORMAT_VERSION} from './state.js'
import type {Definitions} from '../definitions/model.js'
import type {ContextObject} from '../model.js'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPENERS = new Set([0x7b, 0x5b]) // { [
const CLOSERS = new Set([0x7d, 0x5d]) // } ]

const HEAD = Buffer.from(`{"format":"${STORE_FORMAT}","version":${STORE_FORMAT_VERSION},"mode":"`)
const DEFINITIONS_KEY = Buffer.from('","definitions":')
const OBJECTS_KEY = Buffer.from(',"objects":{')
/** Ids as ctx writes them (UUIDs): nothing in them needs escaping in JSON. */
const PLAIN_ID = /^[0-9A-Za-z-]{1,64}$/

/** A store file's bytes with where its definitions and its objects map are. */
export class StoreFilePeek {
  private constructor(
    private readonly bytes: Buffer,
    private readonly definitionsAt: [start: number, end: number],
    private readonly objectsAt: number,
  ) {}

  /** The layout of a store file of this ctx's format, or undefined for anything else. */
  static of(bytes: Buffer): StoreFilePeek | undefined {
    if (!bytes.subarray(0, HEAD.length).equals(HEAD) || !endsWithTwoBraces(bytes)) return undefined
    // The mode and created strings lie between; an unescaped `","` cannot occur inside a string.
    const key = bytes.indexOf(DEFINITIONS_KEY, HEAD.length)
    if (key < 0) return undefined
    const start = key + DEFINITIONS_KEY.length
    const end = valueEnd(bytes, start)
    if (end < 0 || !bytes.subarray(end, end + OBJECTS_KEY.length).equals(OBJECTS_KEY)) return undefined
    return new StoreFilePeek(bytes, [start, end], end + OBJECTS_KEY.length - 1)
  }

  definitions(): Definitions | undefined {
    return this.parse(...this.definitionsAt) as Definitions | undefined
  }

  /** The object stored under `id`, null when the objects map has no such key, undefined when unsure. */
  object(id: string): ContextObject | null | undefined {
    if (!PLAIN_ID.test(id)) return undefined
    // `"ID":` followed by a value is a key: inside a string every quote is escaped. In the objects
    // map the only keys are ids (data keys are field ids, whose values are never objects).
    const key = this.bytes.indexOf(`"${id}":`, this.objectsAt)
    if (key < 0) return null
    const start = key + id.length + 3
    const opening = Buffer.from(`{"id":"${id}"`)
    if (!this.bytes.subarray(start, start + opening.length).equals(opening)) return undefined
    const end = valueEnd(this.bytes, start)
    return end < 0 ? undefined : (this.parse(start, end) as ContextObject | undefined)
  }

  private parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.bytes.toString('utf8', start, end))
    } catch {
      return undefined
    }
  }
}

/** The index just past the object or array that opens at `start`, or -1 when it does not close. */
function valueEnd(bytes: Buffer, start: number): number {
  let depth = 0
  for (let index = start; index < bytes.length; index++) {
    const byte = bytes[index]
    if (byte === QUOTE) {
      for (index++; index < bytes.length && bytes[index] !== QUOTE; index++) if (bytes[index] === BACKSLASH) index++
    } else if (OPENERS.has(byte)) {
      depth++
    } else if (CLOSERS.has(byte) && --depth === 0) {
      return index + 1
    }
  }
  return -1
}

/** The file ends as FileStore writes it, `}}` and a newline: a cut-off file does not. */
function endsWithTwoBraces(bytes: Buffer): boolean {
  let end = bytes.length
  if (bytes[end - 1] === 0x0a) end--
  return end >= 2 && bytes[end - 1] === 0x7d && bytes[end - 2] === 0x7d
}
