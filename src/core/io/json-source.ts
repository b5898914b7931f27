// Reading JSON Lines a record at a time with constant memory, line by line (Context Service
// exports, one JSON array per file, are streamed by stream-json: context-service.ts).
import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
import {InvalidDataError} from '../errors.js'
import {MAX_JSON_DEPTH, nestsDeeper} from '../json-file.js'

export interface JsonText {
  /** The line of the file the value starts on. */
  line: number
  text: string
}

/** Each non-blank line of a JSON Lines file, with its line number. */
export async function* readJsonLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<JsonText> {
  const input = createReadStream(path, {encoding: 'utf8'})
  const lines = createInterface({input, crlfDelay: Number.POSITIVE_INFINITY})
  let line = 0
  let bytes = 0
  try {
    for await (const text of lines) {
      line++
      bytes += Buffer.byteLength(text) + 1
      onBytes?.(bytes)
      const trimmed = line === 1 ? text.replace(/^\uFEFF/, '') : text
      if (trimmed.trim() !== '') yield {line, text: trimmed}
    }
  } finally {
    lines.close()
    input.destroy()
  }
}

/** A record's JSON text parsed, or an InvalidDataError when it is not JSON or nests too deep. */
export function parseRecordJson(text: string): unknown {
  if (nestsDeeper(text, MAX_JSON_DEPTH)) throw new InvalidDataError(`nested deeper than ${MAX_JSON_DEPTH} levels; a context object needs far fewer`)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InvalidDataError(`not JSON: ${(error as Error).message}`)
  }
}
