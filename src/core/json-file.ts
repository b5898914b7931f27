// Reading a JSON file a user hands ctx (definitions, one field, one fieldset): a missing file is
// "not found", malformed JSON is invalid data naming file:line:column.
import {readFile} from 'node:fs/promises'
import {InvalidDataError, NotFoundError} from './errors.js'

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new NotFoundError(`no file ${path}`, {where: path})
    throw new InvalidDataError(`cannot read ${path}: ${(error as Error).message}`, {where: path})
  }
  if (nestsDeeper(text, MAX_JSON_DEPTH)) {
    throw new InvalidDataError(`${path}: nested deeper than ${MAX_JSON_DEPTH} levels; nothing ctx reads nests that deep`, {where: path})
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const message = (error as Error).message
    const position = /position (\d+)/.exec(message)
    const where = position ? `${path}:${lineAndColumn(text, Number(position[1]))}` : path
    throw new InvalidDataError(`${where}: not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})`, {
      where,
      hint: 'Check the file with a JSON linter; definitions files follow schemas/definitions.schema.json.',
    })
  }
}

/**
 * The deepest a file ctx reads may nest (a context object needs 4 levels, a definitions file 5).
 * Deeper JSON parses, but walking it (JSON.stringify, schema checks) overflows the stack.
 */
export const MAX_JSON_DEPTH = 64

/** Whether brackets outside strings open more than `limit` deep, found without parsing. */
export function nestsDeeper(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (inString) {
      if (char === 0x5c) index++
      else if (char === 0x22) inString = false
    } else if (char === 0x22) inString = true
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true
    } else if (char === 0x7d || char === 0x5d) depth--
  }
  return false
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.replace(/^\uFEFF/, '').slice(0, offset).split('\n')
  return `${before.length}:${before.at(-1)!.length + 1}`
}
