// Reading JSON imports a record at a time with constant memory: JSON Lines line by line, and
// Context Service exports either as one top-level array or as a sequence of objects, split into
// elements here (no listed library streams JSON) and each handed to JSON.parse.
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

/**
 * The elements of a top-level JSON array, or the values of a sequence of JSON values (one per line
 * or not), as text. Only the structure is followed here (strings, escapes, nesting); each element
 * is parsed on its own, so one bad element is one rejected record. A file that ends inside a value
 * or inside the array is malformed: an InvalidDataError naming the line where that value starts.
 */
export async function* readJsonValues(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<JsonText> {
  const input = createReadStream(path, {encoding: 'utf8'})
  let mode: 'start' | 'array' | 'sequence' | 'done' = 'start'
  let depth = 0
  let inString = false
  let escaped = false
  let inValue = false
  let scalar = false
  let buffer = ''
  let valueLine = 0
  let line = 1
  let bytes = 0
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      bytes += Buffer.byteLength(chunk)
      let start = inValue ? 0 : -1
      const out: JsonText[] = []
      for (let index = 0; index < chunk.length; index++) {
        const char = chunk[index]
        if (char === '\n') line++
        if (!inValue) {
          if (char === '\uFEFF' || char === ' ' || char === '\t' || char === '\n' || char === '\r') continue
          if (mode === 'start' && char === '[') {
            mode = 'array'
            continue
          }
          if (mode === 'start') mode = 'sequence'
          if (mode === 'array' && char === ',') continue
          if (mode === 'array' && char === ']') {
            mode = 'done'
            continue
          }
          if (mode === 'done') throw malformed(path, line, 'there is more after the end of the top-level array')
          inValue = true
          valueLine = line
          start = index
          scalar = char !== '{' && char !== '[' && char !== '"'
        }
        if (inString) {
          if (escaped) escaped = false
          else if (char === '\\') escaped = true
          else if (char === '"') inString = false
          if (inString || depth > 0 || scalar) continue
        } else if (scalar) {
          // A bare number, true, null...: it ends at the next separator, which is not part of it.
          if (char !== ',' && char !== ']' && !/\s/.test(char)) continue
          out.push({line: valueLine, text: buffer + chunk.slice(start, index)})
          buffer = ''
          inValue = false
          scalar = false
          if (char === ']' && mode === 'array') mode = 'done'
          continue
        } else if (char === '"') {
          inString = true
          continue
        } else if (char === '{' || char === '[') {
          depth++
          continue
        } else if (char === '}' || char === ']') {
          depth--
          if (depth > 0) continue
        } else continue
        // The value ends at `index`.
        out.push({line: valueLine, text: buffer + chunk.slice(start, index + 1)})
        buffer = ''
        inValue = false
        scalar = false
      }
      if (inValue) buffer += chunk.slice(start)
      onBytes?.(bytes)
      yield* out
    }
    if (inValue && scalar && mode !== 'array') yield {line: valueLine, text: buffer}
    else if (inValue) throw malformed(path, valueLine, 'the value that starts here is never closed')
    else if (mode === 'array') throw malformed(path, 1, 'the top-level array is never closed')
  } finally {
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

function malformed(path: string, line: number, problem: string): InvalidDataError {
  return new InvalidDataError(`${path}:${line}: ${problem}; the file cannot be read past this point`, {
    where: `${path}:${line}`,
    hint: 'The file was cut short or is not JSON; fix it and import again (with --upsert, what was written is not duplicated).',
    details: {line},
  })
}
