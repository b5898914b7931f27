// Checks every definition that enters a store: first against the JSON Schemas in schemas/ (ajv),
// then the rules a schema cannot say (ids unique, fieldsets naming known fields...). Problems name
// the definition, the property and the value, and all of them are reported at once (exit 5).
import {readFileSync} from 'node:fs'
import type {Ajv, ErrorObject, ValidateFunction} from 'ajv'
import {InvalidDataError} from '../errors.js'
import {unstorableText, unstorableTextPath} from '../model.js'
import {SPECIAL_KEYS, TIME_KEYS} from '../search/query.js'
import {createAjv} from './ajv.js'
import {type DefinitionKind, type Definitions, type DefinitionsFile, type FieldDefinition, fieldOf, type FieldsetDefinition} from './model.js'
import {SCHEMAS_DIR} from './model.js'

export interface DefinitionProblem {
  /** "field Custom_Score", "fieldset acme.support", "fields[3]" or "the file". */
  definition: string
  /** The property at fault, as a path (enum[1].value); absent when the whole definition is. */
  property?: string
  value?: unknown
  message: string
}

const SCHEMA_FILES = {field: 'field.schema.json', fieldset: 'fieldset.schema.json', file: 'definitions.schema.json'} as const
type SchemaName = keyof typeof SCHEMA_FILES
const ID_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,127}$'
/** Search reads special keys in any case (lastupdated:), so a field may not take one in any case. */
const RESERVED_IDS = new Set<string>([...SPECIAL_KEYS, ...TIME_KEYS].map((key) => key.toLowerCase()))

let ajv: Ajv | undefined
const validators = new Map<SchemaName, ValidateFunction>()

function validator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name)
  if (!validate) {
    if (!ajv) {
      ajv = createAjv(['regex'])
      for (const file of Object.values(SCHEMA_FILES)) ajv.addSchema(JSON.parse(readFileSync(new URL(file, SCHEMAS_DIR), 'utf8')) as object)
    }
    validate = ajv.getSchema(`https://ctx.local/schemas/${SCHEMA_FILES[name]}`)!
    validators.set(name, validate)
  }
  return validate
}

/** A definitions file (`fields apply -f`): schema, then ids unique within the file. */
/** `source` (a file name) prefixes error messages when the definitions came from a file. */
export function checkDefinitionsFile(input: unknown, source?: string): DefinitionsFile {
  const problems = schemaProblems('file', input)
  if (problems.length === 0) {
    const file = input as DefinitionsFile
    problems.push(...duplicateIds('field', (file.fields ?? []).map((field) => field.id)))
    problems.push(...duplicateIds('fieldset', (file.fieldsets ?? []).map((fieldset) => fieldset.id)))
  }
  if (problems.length > 0) throw definitionsError(problems, source)
  return input as DefinitionsFile
}

export function checkFieldDefinition(input: unknown, source?: string): FieldDefinition {
  const problems = schemaProblems('field', input)
  if (problems.length > 0) throw definitionsError(problems, source)
  return input as FieldDefinition
}

export function checkFieldsetDefinition(input: unknown, source?: string): FieldsetDefinition {
  const problems = schemaProblems('fieldset', input)
  if (problems.length > 0) throw definitionsError(problems, source)
  return input as FieldsetDefinition
}

/**
 * The rules across definitions, checked on the whole set a store would hold after a change: ids
 * unique regardless of case (fieldset usage is looked up case-insensitively), no field id that search
 * reserves, fieldsets naming only known fields and each field once, enum values unique, and patterns
 * that compile the way ajv compiles them (Unicode mode), and text that is well-formed Unicode.
 */
export function crossCheck(definitions: Definitions): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [
    ...duplicateIds('field', Object.keys(definitions.fields)),
    ...duplicateIds('fieldset', Object.keys(definitions.fieldsets)),
    ...textProblems(definitions),
  ]
  for (const field of Object.values(definitions.fields)) {
    const definition = `field ${field.id}`
    if (RESERVED_IDS.has(field.id.toLowerCase())) {
      problems.push({definition, property: 'id', value: field.id, message: 'is a special key of search; choose another id'})
    }
    if (field.pattern !== undefined) {
      try {
        new RegExp(field.pattern, 'u')
      } catch (error) {
        problems.push({definition, property: 'pattern', value: field.pattern, message: `is not a valid regular expression: ${(error as Error).message}`})
      }
    }
    const seen = new Set<string>()
    for (const [index, item] of (field.enum ?? []).entries()) {
      if (seen.has(item.value)) problems.push({definition, property: `enum[${index}].value`, value: item.value, message: 'appears twice'})
      seen.add(item.value)
    }
  }
  for (const fieldset of Object.values(definitions.fieldsets)) {
    const definition = `fieldset ${fieldset.id}`
    const active = new Set(fieldset.fields)
    for (const [property, ids] of [['fields', fieldset.fields], ['inactiveFields', fieldset.inactiveFields ?? []]] as const) {
      for (const [index, id] of ids.entries()) {
        if (!fieldOf(definitions, id)) problems.push({definition, property: `${property}[${index}]`, value: id, message: 'names a field that is not defined'})
        if (property === 'inactiveFields' && active.has(id)) {
          problems.push({definition, property: `${property}[${index}]`, value: id, message: 'is also in fields; a field is either active or inactive'})
        }
      }
    }
  }
  return problems
}

/** Definitions holding text no store of ctx keeps (unstorableTextPath): a NUL, a lone surrogate. */
function textProblems(definitions: Definitions): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  for (const [kind, held] of [['field', definitions.fields], ['fieldset', definitions.fieldsets]] as const) {
    for (const definition of Object.values(held)) {
      const found = unstorableTextPath(definition)
      if (found) problems.push({definition: `${kind} ${definition.id}`, property: found.path.join('.'), message: unstorableText(found.text)})
    }
  }
  return problems
}

/** What `ctx migrate` checks of the definitions it copies: a store an older ctx wrote may hold such text. */
export function assertWellFormedDefinitions(definitions: Definitions, source?: string): void {
  const problems = textProblems(definitions)
  if (problems.length > 0) throw definitionsError(problems, source)
}

export function assertCrossChecked(definitions: Definitions, source?: string): void {
  const problems = crossCheck(definitions)
  if (problems.length > 0) throw definitionsError(problems, source)
}

export function definitionsError(problems: DefinitionProblem[], source?: string): InvalidDataError {
  const listed = problems.slice(0, 8).map(describeProblem)
  const more = problems.length > 8 ? `; and ${problems.length - 8} more` : ''
  const first = problems[0]
  const prefix = source === undefined ? '' : `${source}: `
  return new InvalidDataError(`${prefix}${listed.join('; ')}${more}`, {
    where: first ? `${prefix}${first.definition}${first.property ? ` ${first.property}` : ''}` : source,
    hint: 'Definitions follow schemas/field.schema.json and schemas/fieldset.schema.json; `ctx fields show ID --json` prints a valid one.',
    details: {problems},
  })
}

export function describeProblem(problem: DefinitionProblem): string {
  const value = problem.value === undefined ? '' : ` ${shown(problem.value)}`
  return `${problem.definition}: ${problem.property ?? ''}${problem.property ? value : ''} ${problem.message}`.replace(/\s+/g, ' ').trim()
}

function duplicateIds(kind: DefinitionKind, ids: readonly string[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const seen = new Map<string, string>()
  for (const id of ids) {
    const key = id.toLowerCase()
    const earlier = seen.get(key)
    if (earlier === undefined) seen.set(key, id)
    else problems.push({definition: `${kind} ${id}`, property: 'id', value: id, message: earlier === id ? 'is defined twice' : `differs from ${kind} ${earlier} only in case`})
  }
  return problems
}

function schemaProblems(name: SchemaName, input: unknown): DefinitionProblem[] {
  const validate = validator(name)
  if (validate(input)) return []
  const problems: DefinitionProblem[] = []
  for (const error of validate.errors ?? []) {
    const problem = fromAjv(error, name, input)
    const duplicate = problems.some((known) => known.definition === problem.definition && known.property === problem.property)
    if (!duplicate) problems.push(problem)
  }
  return problems
}

/** An ajv error in the words of definitions: which one, which property, what value, what is wrong. */
function fromAjv(error: ErrorObject, name: SchemaName, input: unknown): DefinitionProblem {
  const path = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
  let definition: string
  let rest: string[]
  if (name === 'file') {
    const [list, index, ...inner] = path
    const item = list !== undefined && index !== undefined ? (input as Record<string, unknown[]>)[list]?.[Number(index)] : undefined
    const id = (item as {id?: unknown} | undefined)?.id
    definition = index === undefined ? 'the file' : typeof id === 'string' ? `${list === 'fields' ? 'field' : 'fieldset'} ${id}` : `${list}[${index}]`
    rest = index === undefined ? path : inner
  } else {
    const id = (input as {id?: unknown} | null)?.id
    definition = typeof id === 'string' ? `${name} ${id}` : `the ${name}`
    rest = path
  }
  let value = valueAt(input, path)
  let property = rest
  let message = error.message ?? 'is not valid'
  const dependency = /\/dependencies\/(\w+)\//.exec(error.schemaPath)
  if (error.keyword === 'required') {
    property = [...rest, String(error.params.missingProperty)]
    value = undefined
    message = 'is required'
  } else if (error.keyword === 'additionalProperties') {
    property = [...rest, String(error.params.additionalProperty)]
    value = undefined
    message = 'is not a property ctx knows'
  } else if (dependency) {
    property = [dependency[1]]
    value = undefined
    message = `applies only to string fields, not to dataType ${shown(valueAt(input, [...path]))}`
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`
  } else if (error.keyword === 'pattern' && error.params.pattern === ID_PATTERN) {
    message = 'must start with a letter and hold only letters, digits, _ . - (at most 128 characters)'
  } else if (error.propertyName !== undefined || error.keyword === 'propertyNames') {
    const locale = error.propertyName ?? String(error.params.propertyName)
    return {definition, property: propertyPath([...rest, locale]), message: 'is not a locale such as en_US or fr'}
  } else if (error.keyword === 'format' && error.params.format === 'regex') {
    message = 'is not a valid regular expression'
  } else if (error.keyword === 'uniqueItems') {
    message = `lists ${shown((value as unknown[])[error.params.i as number])} twice`
  }
  return {definition, ...(property.length > 0 ? {property: propertyPath(property)} : {}), ...(value === undefined ? {} : {value}), message}
}

function propertyPath(segments: readonly string[]): string {
  return segments.reduce((out, segment) => (/^\d+$/.test(segment) ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '')
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[segment]
  }
  return value
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}
