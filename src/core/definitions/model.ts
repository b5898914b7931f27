// Field and fieldset definitions (docs/model.md, "Fields and fieldsets"): their types, the base set that
// every new store starts with, and labels from translations. No ajv here, so reading is cheap.
import {readFileSync} from 'node:fs'

export const DATA_TYPES = ['string', 'integer', 'long', 'double', 'boolean', 'date'] as const
export type DataType = (typeof DATA_TYPES)[number]
export type Classification = 'PII' | 'ENCRYPTED' | 'UNENCRYPTED'

export interface EnumValue {
  value: string
  active?: boolean
  translations?: Record<string, string>
}

export interface FieldDefinition {
  id: string
  dataType: DataType
  classification: Classification
  searchable?: boolean
  translations?: Record<string, string>
  description?: string
  maxLength?: number
  pattern?: string
  enum?: EnumValue[]
  required?: boolean
}

export interface FieldsetDefinition {
  id: string
  description?: string
  fields: string[]
  inactiveFields?: string[]
}

/** Definitions as a store holds them: keyed by id. */
export interface Definitions {
  fields: Record<string, FieldDefinition>
  fieldsets: Record<string, FieldsetDefinition>
}

/** Definitions as a file holds them (`fields apply -f`): lists. */
export interface DefinitionsFile {
  fields?: FieldDefinition[]
  fieldsets?: FieldsetDefinition[]
}

export type DefinitionKind = 'field' | 'fieldset'

/** The range of the `integer` data type: 32-bit, as in Context Service. */
export const INT32 = {min: -(2 ** 31), max: 2 ** 31 - 1} as const

export const SCHEMAS_DIR = new URL('../../../schemas/', import.meta.url)

let base: Definitions | undefined

/** The base definitions shipped in schemas/base-definitions.json; a fresh copy each call. */
export function baseDefinitions(): Definitions {
  base ??= indexDefinitions(JSON.parse(readFileSync(new URL('base-definitions.json', SCHEMAS_DIR), 'utf8')) as DefinitionsFile)
  return structuredClone(base)
}

export function indexDefinitions(file: DefinitionsFile): Definitions {
  const out: Definitions = {fields: {}, fieldsets: {}}
  for (const field of file.fields ?? []) out.fields[field.id] = canonicalField(field)
  for (const fieldset of file.fieldsets ?? []) out.fieldsets[fieldset.id] = canonicalFieldset(fieldset)
  return out
}

/**
 * The field named `id`, or undefined. Ids come from users (flags, files, queries), so a lookup is of
 * the record's own keys only: `constructor` or `__proto__` is not a field because every object has one.
 */
export function fieldOf(definitions: Readonly<Definitions>, id: string): FieldDefinition | undefined {
  return Object.hasOwn(definitions.fields, id) ? definitions.fields[id] : undefined
}

/** The fieldset named `id`, or undefined; own keys only, as fieldOf. */
export function fieldsetOf(definitions: Readonly<Definitions>, id: string): FieldsetDefinition | undefined {
  return Object.hasOwn(definitions.fieldsets, id) ? definitions.fieldsets[id] : undefined
}

/** Whether `id` is a field shipped with ctx (in schemas/base-definitions.json). */
export function isBaseField(id: string): boolean {
  return Object.hasOwn(baseShipped().fields, id)
}

/** Whether `id` is a fieldset shipped with ctx (cisco.base.*). */
export function isBaseFieldset(id: string): boolean {
  return Object.hasOwn(baseShipped().fieldsets, id)
}

/** The shipped base definitions, shared and never to be mutated (callers get copies from baseDefinitions). */
export function baseShipped(): Readonly<Definitions> {
  if (!base) baseDefinitions()
  return base!
}

/**
 * A field in the one form ctx stores and compares: keys in schema order, defaults written out
 * (searchable, enum `active`), so that `fields apply` of an equivalent file changes nothing.
 */
export function canonicalField(field: FieldDefinition): FieldDefinition {
  const out: FieldDefinition = {
    id: field.id,
    dataType: field.dataType,
    classification: field.classification,
    searchable: field.searchable !== false,
  }
  if (field.translations !== undefined) out.translations = sortedRecord(field.translations)
  if (field.description !== undefined) out.description = field.description
  if (field.maxLength !== undefined) out.maxLength = field.maxLength
  if (field.pattern !== undefined) out.pattern = field.pattern
  if (field.enum !== undefined) {
    out.enum = field.enum.map((item) => ({
      value: item.value,
      active: item.active !== false,
      ...(item.translations === undefined ? {} : {translations: sortedRecord(item.translations)}),
    }))
  }
  // required: false is the default; leaving it out keeps one form for the same meaning.
  if (field.required) out.required = true
  return out
}

/** A fieldset in the one form ctx stores and compares (inactiveFields always present). */
export function canonicalFieldset(fieldset: FieldsetDefinition): FieldsetDefinition {
  return {
    id: fieldset.id,
    ...(fieldset.description === undefined ? {} : {description: fieldset.description}),
    fields: [...fieldset.fields],
    inactiveFields: [...(fieldset.inactiveFields ?? [])],
  }
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(record).sort()) out[key] = record[key]
  return out
}

export function isSearchable(field: FieldDefinition | undefined): boolean {
  return field?.searchable !== false
}

/** The label of a field (or an enum value) in the user's locale (LANG), falling back to en_US, any label, the id. */
export function fieldLabel(field: {translations?: Record<string, string>} | undefined, fieldId: string, locale = userLocale()): string {
  const translations = field?.translations
  if (!translations) return fieldId
  const language = locale.split('_')[0]
  return (
    translations[locale] ??
    Object.entries(translations).find(([key]) => key.split('_')[0] === language)?.[1] ??
    translations.en_US ??
    Object.values(translations)[0] ??
    fieldId
  )
}

export function userLocale(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.CTX_LOCALE || env.LC_ALL || env.LC_MESSAGES || env.LANG || 'en_US'
  const match = /^([a-z]{2,3})(?:[_-]([A-Za-z]{2}))?/.exec(raw)
  if (!match || match[1] === 'c') return 'en_US'
  return match[2] ? `${match[1]}_${match[2].toUpperCase()}` : match[1]
}
