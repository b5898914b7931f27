// The definitions a JSON Lines export carries: its first line, `{"type": "definitions", "fields":
// [...], "fieldsets": [...]}` (the `fields apply` format with a type that no object has). Import
// applies them before the objects, so a backup of a store with custom fields imports into a new one.
import type {DefinitionsFile} from '../definitions/model.js'
import {readJsonLines} from './json-source.js'
import {isPlainObject} from './records.js'

export const DEFINITIONS_TYPE = 'definitions'

export function definitionsLine(file: DefinitionsFile): string {
  return `${JSON.stringify({type: DEFINITIONS_TYPE, fields: file.fields ?? [], fieldsets: file.fieldsets ?? []})}\n`
}

/** The definitions the file's first line carries, and that line's number; null when it carries none. */
export async function readLeadingDefinitions(path: string): Promise<{line: number; definitions: DefinitionsFile} | null> {
  const lines = readJsonLines(path)
  try {
    const first = await lines.next()
    if (first.done) return null
    let value: unknown
    try {
      value = JSON.parse(first.value.text)
    } catch {
      return null
    }
    if (!isPlainObject(value) || value.type !== DEFINITIONS_TYPE) return null
    const {type: _type, ...definitions} = value
    return {line: first.value.line, definitions: definitions as DefinitionsFile}
  } finally {
    await lines.return(undefined)
  }
}
