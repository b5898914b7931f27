// The JSON Schemas of schemas/ that import checks records and mapping files against, each compiled
// once per process on first use (ajv is loaded only by commands that import).
import {readFileSync} from 'node:fs'
import type {Ajv, ErrorObject, ValidateFunction} from 'ajv'
import {createAjv} from '../definitions/ajv.js'
import {SCHEMAS_DIR} from '../definitions/model.js'

export type SchemaName = 'context-object' | 'mapping'

let ajv: Ajv | undefined
const compiled = new Map<SchemaName, ValidateFunction>()

export function schemaValidator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name)
  if (!validate) {
    ajv ??= createAjv(['date-time'], {allowUnionTypes: true})
    validate = ajv.compile(JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMAS_DIR), 'utf8')) as object)
    compiled.set(name, validate)
  }
  return validate
}

const NO_NUL = '^[^\\u0000]*$'

/** Schema errors in words: `mediaType must be equal to one of the allowed values (chat, email, …)`. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const seen = new Set<string>()
  for (const error of errors ?? []) {
    // if/then/not errors repeat what a more specific error already says, or say only "must NOT be valid".
    if (error.keyword === 'if') continue
    const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.')
    let message = error.message ?? 'is invalid'
    if (error.keyword === 'enum') message += ` (${(error.params.allowedValues as unknown[]).join(', ')})`
    if (error.keyword === 'additionalProperties') message = `has an unknown key "${String(error.params.additionalProperty)}"`
    if (error.keyword === 'false schema') message = 'is not a key this type of object has'
    // externalId and tags: keys PostgreSQL stores as text, which cannot hold a NUL.
    if (error.keyword === 'pattern' && error.params.pattern === NO_NUL) message = 'must not contain a NUL character (\\u0000)'
    seen.add(path ? `${path} ${message}` : message)
  }
  return [...seen].join('; ') || 'does not match its schema'
}
