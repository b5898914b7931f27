// The shape of what a store file holds, checked before it is used: a file that parses and carries
// the ctx stamp can still be damaged inside (`objects` an array, an object that is null, a bogus
// mode), and using it would crash or, worse, write the damage back. No ajv: a store of 100k objects
// is checked in a few milliseconds with plain tests, and every file read pays for it.
import {OBJECT_TYPES} from '../model.js'

const TYPES = new Set<string>(OBJECT_TYPES)
const MODES = new Set(['lab', 'production'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/** What is wrong with the object stored under `id`, or undefined when it has the shape of one. */
export function objectDamage(value: unknown, id: string): string | undefined {
  if (!isRecord(value)) return `the object under "${id}" is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}`
  if (value.id !== id) return `the object under "${id}" has the id ${JSON.stringify(value.id)}`
  if (typeof value.type !== 'string' || !TYPES.has(value.type)) return `object ${id} has the type ${JSON.stringify(value.type)}`
  if (!isStringList(value.fieldsets)) return `object ${id} has no list of fieldsets`
  if (!isRecord(value.data)) return `object ${id} has no data object`
  if (typeof value.created !== 'string' || typeof value.lastUpdated !== 'string') return `object ${id} has no created or lastUpdated time`
  for (const key of ['customerId', 'parentId', 'externalId', 'state', 'mediaType'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') return `object ${id} has a ${key} that is not a string`
  }
  if (value.tags !== undefined && !isStringList(value.tags)) return `object ${id} has tags that are not a list of strings`
  return undefined
}

/** What is wrong with a store's definitions, or undefined when they have the shape ctx writes. */
export function definitionsDamage(value: unknown): string | undefined {
  if (!isRecord(value) || !isRecord(value.fields) || !isRecord(value.fieldsets)) return '"definitions" is not an object of "fields" and "fieldsets"'
  for (const [id, field] of Object.entries(value.fields)) {
    if (!isRecord(field) || field.id !== id || typeof field.dataType !== 'string') return `the definition of field "${id}" is damaged`
  }
  for (const [id, fieldset] of Object.entries(value.fieldsets)) {
    if (!isRecord(fieldset) || fieldset.id !== id || !isStringList(fieldset.fields)) return `the definition of fieldset "${id}" is damaged`
    if (fieldset.inactiveFields !== undefined && !isStringList(fieldset.inactiveFields)) return `the definition of fieldset "${id}" is damaged`
  }
  return undefined
}

/** What is wrong inside a parsed, stamped store document, or undefined when nothing is. */
export function storeDamage(document: Record<string, unknown>): string | undefined {
  if (typeof document.mode !== 'string' || !MODES.has(document.mode)) return `its mode is ${JSON.stringify(document.mode)}, not "lab" or "production"`
  if (typeof document.created !== 'string') return 'it has no "created" time'
  const definitions = definitionsDamage(document.definitions)
  if (definitions) return definitions
  if (!isRecord(document.objects)) return '"objects" is not an object keyed by id'
  for (const id of Object.keys(document.objects)) {
    const damage = objectDamage(document.objects[id], id)
    if (damage) return damage
  }
  return undefined
}
