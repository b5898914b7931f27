// Reading JSON Lines a record at a time with constant memory, line by line (Context Service
// exports, one JSON array per file, are streamed by stream-json: context-service.ts).
import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

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
