// Building a field or fieldset from command-line flags: what `fields create/update` and
// `fieldsets create/update` change, as plain functions over definitions. The result is checked by
// the meta-schemas afterwards, so these only shape, never validate values.
import {UsageError} from '../errors.js'
import type {EnumValue, FieldDefinition, FieldsetDefinition} from './model.js'

/** Properties `--unset` may remove from a field. */
export const UNSETTABLE_FIELD_PROPERTIES = ['description', 'maxLength', 'pattern', 'enum', 'required', 'translations'] as const
export type UnsettableFieldProperty = (typeof UNSETTABLE_FIELD_PROPERTIES)[number]

export interface FieldPatch {
  dataType?: string
  classification?: string
  /** Labels by locale; null removes a locale's label. */
  translations?: Record<string, string | null>
  searchable?: boolean
  description?: string
  maxLength?: number
  pattern?: string
  required?: boolean
  /** Enum values to add, or to make active again (with a new en_US label when given). */
  enumValues?: {value: string; label?: string}[]
  /** Enum values to keep for old data but refuse on new data. */
  deactivateEnum?: string[]
  unset?: UnsettableFieldProperty[]
}

/** A field with `patch` applied: removals first, then the values given. */
export function patchField(base: Partial<FieldDefinition> & {id: string}, patch: FieldPatch): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base)
  for (const property of patch.unset ?? []) delete out[property]
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value
  }
  set('dataType', patch.dataType)
  set('classification', patch.classification)
  set('searchable', patch.searchable)
  set('description', patch.description)
  set('maxLength', patch.maxLength)
  set('pattern', patch.pattern)
  set('required', patch.required)
  if (patch.translations && Object.keys(patch.translations).length > 0) {
    const translations = applyTranslations((out.translations as Record<string, string> | undefined) ?? {}, patch.translations)
    if (Object.keys(translations).length > 0) out.translations = translations
    else delete out.translations
  }
  if ((patch.enumValues?.length ?? 0) > 0 || (patch.deactivateEnum?.length ?? 0) > 0) {
    out.enum = patchEnum((out.enum as EnumValue[] | undefined) ?? [], patch, base.id)
  }
  return out
}

function patchEnum(values: EnumValue[], patch: FieldPatch, fieldId: string): EnumValue[] {
  const out = values.map((item) => ({...item}))
  for (const {value, label} of patch.enumValues ?? []) {
    const known = out.find((item) => item.value === value)
    if (known) {
      known.active = true
      if (label !== undefined) known.translations = {...known.translations, en_US: label}
    } else {
      out.push({value, active: true, ...(label === undefined ? {} : {translations: {en_US: label}})})
    }
  }
  for (const value of patch.deactivateEnum ?? []) {
    const known = out.find((item) => item.value === value)
    if (!known) {
      throw new UsageError(`field ${fieldId} has no enum value "${value}" to deactivate`, {
        where: fieldId,
        hint: `Its values: ${out.map((item) => item.value).join(', ') || 'none'}.`,
      })
    }
    known.active = false
  }
  return out
}

function applyTranslations(current: Record<string, string>, changes: Record<string, string | null>): Record<string, string> {
  const out = {...current}
  for (const [locale, label] of Object.entries(changes)) {
    if (label === null) delete out[locale]
    else out[locale] = label
  }
  return out
}

/** `--label TEXT` (the en_US label) and repeated `--translation LOCALE=TEXT` (empty TEXT removes). */
export function parseTranslations(label: string | undefined, assignments: readonly string[] = []): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  if (label !== undefined) out.en_US = label
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    if (equals <= 0) throw new UsageError(`--translation takes LOCALE=TEXT, not "${assignment}"`, {hint: 'For example --translation fr_FR=Prénom.'})
    const text = assignment.slice(equals + 1)
    out[assignment.slice(0, equals).trim()] = text === '' ? null : text
  }
  return out
}

/** Repeated `--enum VALUE` or `--enum VALUE=LABEL` (LABEL is the en_US label). */
export function parseEnumValues(values: readonly string[] = []): {value: string; label?: string}[] {
  return values.map((text) => {
    const equals = text.indexOf('=')
    if (equals < 0) return {value: text}
    if (equals === 0) throw new UsageError(`--enum takes VALUE or VALUE=LABEL, not "${text}"`)
    return {value: text.slice(0, equals), label: text.slice(equals + 1)}
  })
}

export function parseUnset(properties: readonly string[] = []): UnsettableFieldProperty[] {
  for (const property of properties) {
    if (!(UNSETTABLE_FIELD_PROPERTIES as readonly string[]).includes(property)) {
      throw new UsageError(`--unset cannot remove "${property}"`, {hint: `It removes one of: ${UNSETTABLE_FIELD_PROPERTIES.join(', ')}.`})
    }
  }
  return properties as UnsettableFieldProperty[]
}

export interface FieldsetPatch {
  description?: string
  /** Fields to make active: added, or moved back from inactiveFields. */
  fields?: string[]
  /** Fields to make inactive: moved from fields (old data stays readable), or added as inactive. */
  inactiveFields?: string[]
  /** Fields to drop from the fieldset altogether (refused on a fieldset that objects use). */
  removeFields?: string[]
  unsetDescription?: boolean
}

/** A fieldset with `patch` applied: each field ends up in exactly one of fields or inactiveFields, or in neither when removed. */
export function patchFieldset(base: Partial<FieldsetDefinition> & {id: string}, patch: FieldsetPatch): Record<string, unknown> {
  let fields = [...(base.fields ?? [])]
  let inactive = [...(base.inactiveFields ?? [])]
  const without = (list: string[], id: string) => list.filter((item) => item !== id)
  for (const id of patch.fields ?? []) {
    inactive = without(inactive, id)
    if (!fields.includes(id)) fields.push(id)
  }
  for (const id of patch.inactiveFields ?? []) {
    fields = without(fields, id)
    if (!inactive.includes(id)) inactive.push(id)
  }
  for (const id of patch.removeFields ?? []) {
    if (!fields.includes(id) && !inactive.includes(id)) throw new UsageError(`fieldset ${base.id} has no field ${id} to remove`, {where: base.id})
    fields = without(fields, id)
    inactive = without(inactive, id)
  }
  const out: Record<string, unknown> = {...structuredClone(base), fields, inactiveFields: inactive}
  if (patch.unsetDescription) delete out.description
  if (patch.description !== undefined) out.description = patch.description
  return out
}

/** The options of `fields create/update`, named as the flags are. */
export interface FieldOptions {
  'data-type'?: string
  classification?: string
  label?: string
  translation?: string[]
  searchable?: boolean
  description?: string
  'max-length'?: number
  pattern?: string
  enum?: string[]
  'deactivate-enum'?: string[]
  required?: boolean
  unset?: string[]
}

export function fieldPatch(options: FieldOptions): FieldPatch {
  return {
    dataType: options['data-type'],
    classification: options.classification,
    translations: parseTranslations(options.label, options.translation),
    searchable: options.searchable,
    description: options.description,
    maxLength: options['max-length'],
    pattern: options.pattern,
    required: options.required,
    enumValues: parseEnumValues(options.enum),
    deactivateEnum: options['deactivate-enum'] ?? [],
    unset: parseUnset(options.unset),
  }
}

/** Whether a patch changes nothing (every value absent or an empty list or map). */
export function isEmptyPatch(patch: FieldPatch | FieldsetPatch): boolean {
  return Object.values(patch).every((value) => value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0))
}

/** The options of `fieldsets create/update`, named as the flags are. */
export interface FieldsetOptions {
  description?: string
  field?: string[]
  'inactive-field'?: string[]
  'remove-field'?: string[]
}

export function fieldsetPatch(options: FieldsetOptions): FieldsetPatch {
  return {
    // An empty --description removes it.
    description: options.description === '' ? undefined : options.description,
    unsetDescription: options.description === '' ? true : undefined,
    fields: options.field ?? [],
    inactiveFields: options['inactive-field'] ?? [],
    removeFields: options['remove-field'] ?? [],
  }
}
