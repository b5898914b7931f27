// Field and fieldset definitions (DESIGN §1 "Fields and fieldsets"): their types, the base set that
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

export const SCHEMAS_DIR = new URL('../../../schemas/', import.meta.url)

let base: Definitions | undefined

/** The base definitions shipped in schemas/base-definitions.json; a fresh copy each call. */
export function baseDefinitions(): Definitions {
  base ??= indexDefinitions(JSON.parse(readFileSync(new URL('base-definitions.json', SCHEMAS_DIR), 'utf8')) as DefinitionsFile)
  return structuredClone(base)
}

export function indexDefinitions(file: DefinitionsFile): Definitions {
  const out: Definitions = {fields: {}, fieldsets: {}}
  for (const field of file.fields ?? []) out.fields[field.id] = field
  for (const fieldset of file.fieldsets ?? []) out.fieldsets[fieldset.id] = fieldset
  return out
}

export function isSearchable(field: FieldDefinition | undefined): boolean {
  return field?.searchable !== false
}

/** The label of a field in the user's locale (LANG), falling back to en_US, any label, the id. */
export function fieldLabel(field: FieldDefinition | undefined, fieldId: string, locale = userLocale()): string {
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
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG || 'en_US'
  const match = /^([a-z]{2,3})(?:[_-]([A-Za-z]{2}))?/.exec(raw)
  if (!match || match[1] === 'c') return 'en_US'
  return match[2] ? `${match[1]}_${match[2].toUpperCase()}` : match[1]
}
