// Field and fieldset definitions in ctx_definitions, one row each, in the order they were given.
import type {Definitions} from '../../definitions/model.js'
import type {Queryable} from './schema.js'

export interface DefinitionRow {
  kind: string
  id: string
  body: never
}

/** The rows of ctx_definitions, in order, as one json array: for reading them along with other things. */
export const DEFINITION_ROWS_JSON = `(SELECT coalesce(json_agg(json_build_object('kind', kind, 'id', id, 'body', body) ORDER BY kind, position), '[]') FROM ctx_definitions)`

export async function readDefinitions(db: Queryable): Promise<Definitions> {
  const {rows} = await db.query<DefinitionRow>('SELECT kind, id, body FROM ctx_definitions ORDER BY kind, position')
  return definitionsFrom(rows)
}

export function definitionsFrom(rows: readonly DefinitionRow[]): Definitions {
  const definitions: Definitions = {fields: {}, fieldsets: {}}
  for (const row of rows) {
    if (row.kind === 'field') definitions.fields[row.id] = row.body
    else definitions.fieldsets[row.id] = row.body
  }
  return definitions
}

/** Replaces every definition. */
export async function writeDefinitions(db: Queryable, definitions: Definitions): Promise<void> {
  const rows = [
    ...Object.entries(definitions.fields).map(([id, body], position) => ({kind: 'field', id, position, body})),
    ...Object.entries(definitions.fieldsets).map(([id, body], position) => ({kind: 'fieldset', id, position, body})),
  ]
  await db.query('DELETE FROM ctx_definitions')
  await db.query(
    `INSERT INTO ctx_definitions (kind, id, position, body)
     SELECT kind, id, position, body FROM json_to_recordset($1::json) AS r(kind text, id text, position integer, body json)`,
    [JSON.stringify(rows)],
  )
}
