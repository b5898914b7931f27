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

function lineAndColumn(text: string, offset: number): string {
  const before = text.replace(/^\uFEFF/, '').slice(0, offset).split('\n')
  return `${before.length}:${before.at(-1)!.length + 1}`
}
