// Managing field definitions in a store (docs/model.md, "Fields and fieldsets"): list, show, create,
// update, delete and the declarative apply. Every change goes the same way, inside one transaction:
// compute the definitions the store would hold after it, refuse what the protection rules forbid
// (exit 4), check them (exit 5), then write them whole.
import {ConflictError, NotFoundError, UsageError} from '../errors.js'
import {equals} from '../search/query.js'
import type {Store, StoreReader} from '../storage/store.js'
import {type FieldPatch, type FieldsetPatch, isEmptyPatch, patchField, patchFieldset} from './edit.js'
import {baseShipped, canonicalField, canonicalFieldset, type DefinitionKind, type Definitions, type FieldDefinition, fieldLabel, fieldOf, type FieldsetDefinition, fieldsetOf, isBaseField, isBaseFieldset} from './model.js'
import {assertCrossChecked, checkDefinitionsFile, checkFieldDefinition, checkFieldsetDefinition} from './schema-check.js'

/** How many objects use a fieldset, and the ids of a few of them. */
export interface FieldsetUsage {
  count: number
  ids: string[]
}

export type FieldListing = FieldDefinition & {label: string; usedBy: string[]}
export type FieldsetListing = FieldsetDefinition & {objects: number}

/** The fieldsets that hold a field, active or inactive. */
export function fieldsetsHolding(definitions: Definitions, fieldId: string): string[] {
  return Object.values(definitions.fieldsets)
    .filter((fieldset) => fieldset.fields.includes(fieldId) || (fieldset.inactiveFields ?? []).includes(fieldId))
    .map((fieldset) => fieldset.id)
}

export async function fieldsetUsage(reader: StoreReader, fieldsetId: string, sample = 5): Promise<FieldsetUsage> {
  // The fieldsets key compares lower-cased values (ids are unique regardless of case, see crossCheck).
  const where = equals('fieldsets', fieldsetId.toLowerCase())
  const count = await reader.count(where)
  if (count === 0 || sample === 0) return {count, ids: []}
  const page = await reader.find({where, limit: sample})
  return {count, ids: page.items.map((object) => object.id)}
}

export async function listFields(reader: StoreReader): Promise<FieldListing[]> {
  const definitions = await reader.definitions()
  return Object.values(definitions.fields).map((field) => ({
    ...canonicalField(field),
    label: fieldLabel(field, field.id),
    usedBy: fieldsetsHolding(definitions, field.id),
  }))
}

export async function listFieldsets(store: Store): Promise<FieldsetListing[]> {
  const definitions = await store.definitions()
  const ids = Object.keys(definitions.fieldsets)
  const counts = await countByFieldset(store, ids)
  return ids.map((id) => ({...canonicalFieldset(fieldsetOf(definitions, id)!), objects: counts.get(id.toLowerCase()) ?? 0}))
}

/**
 * How many objects use each fieldset. An indexed store answers one count per fieldset; a scanning
 * store (file, memory) would scan once per fieldset that way, so it is read once and tallied instead.
 */
async function countByFieldset(store: Store, ids: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  if (store.capabilities.indexedSearch) {
    for (const id of ids) counts.set(id.toLowerCase(), (await fieldsetUsage(store, id, 0)).count)
    return counts
  }
  for await (const batch of store.scan()) {
    for (const object of batch) {
      for (const id of new Set(object.fieldsets.map((fieldset) => fieldset.toLowerCase()))) counts.set(id, (counts.get(id) ?? 0) + 1)
    }
  }
  return counts
}

/** A field and the fieldsets holding it. */
export async function showField(reader: StoreReader, id: string): Promise<{field: FieldDefinition; usedBy: string[]}> {
  const definitions = await reader.definitions()
  return {field: canonicalField(requireDefinition(definitions, 'field', id)), usedBy: fieldsetsHolding(definitions, id)}
}

/** A fieldset, its fields' definitions (for labels) and the objects using it. */
export async function showFieldset(reader: StoreReader, id: string): Promise<{fieldset: FieldsetDefinition; definitions: Definitions; usage: FieldsetUsage}> {
  const definitions = await reader.definitions()
  const fieldset = canonicalFieldset(requireDefinition(definitions, 'fieldset', id))
  return {fieldset, definitions, usage: await fieldsetUsage(reader, id)}
}

/** What an update does: patch the stored definition with flags, or replace it with a whole one (`-f`). */
export type DefinitionChange<P> = {patch: P} | {replace: unknown}

export type DefinitionOf<K extends DefinitionKind> = K extends 'field' ? FieldDefinition : FieldsetDefinition
export type PatchOf<K extends DefinitionKind> = K extends 'field' ? FieldPatch : FieldsetPatch
type AnyDefinition = FieldDefinition | FieldsetDefinition

/** All that differs between a field and a fieldset when one is created, changed, found or kept. */
const KINDS: Record<DefinitionKind, {
  check(input: unknown, source?: string): AnyDefinition
  canonical(definition: AnyDefinition): AnyDefinition
  patch(stored: AnyDefinition, patch: FieldPatch | FieldsetPatch): Record<string, unknown>
  find(definitions: Readonly<Definitions>, id: string): AnyDefinition | undefined
  /** The definitions of this kind, by id. */
  held(definitions: Definitions): Record<string, AnyDefinition>
}> = {
  field: {
    check: checkFieldDefinition,
    canonical: (field) => canonicalField(field as FieldDefinition),
    patch: (stored, patch) => patchField(stored as FieldDefinition, patch as FieldPatch),
    find: fieldOf,
    held: (definitions) => definitions.fields,
  },
  fieldset: {
    check: checkFieldsetDefinition,
    canonical: (fieldset) => canonicalFieldset(fieldset as FieldsetDefinition),
    patch: (stored, patch) => patchFieldset(stored as FieldsetDefinition, patch as FieldsetPatch),
    find: fieldsetOf,
    held: (definitions) => definitions.fieldsets,
  },
}

/** `fields create` and `fieldsets create`: a definition that does not exist yet, under any case of its id. */
export async function createDefinition<K extends DefinitionKind>(store: Store, kind: K, input: unknown, source?: string): Promise<DefinitionOf<K>> {
  const rules = KINDS[kind]
  const definition = rules.canonical(rules.check(input, source))
  const after = await changeDefinitions(store, source, (before) => {
    refuseExisting(before, kind, definition.id)
    return withDefinition(before, kind, definition)
  })
  return rules.find(after, definition.id) as DefinitionOf<K>
}

/** `fields update` and `fieldsets update`: patched or replaced whole, never renamed. */
export async function updateDefinition<K extends DefinitionKind>(
  store: Store,
  kind: K,
  id: string,
  change: DefinitionChange<PatchOf<K>>,
  source?: string,
): Promise<DefinitionOf<K>> {
  refuseEmpty(kind, change)
  const rules = KINDS[kind]
  const after = await changeDefinitions(store, source, (before) => {
    const stored = requireDefinition(before, kind, id)
    const candidate = 'patch' in change ? rules.patch(stored, change.patch) : change.replace
    const definition = rules.canonical(rules.check(candidate, source))
    refuseRename(kind, id, definition.id)
    return withDefinition(before, kind, definition)
  })
  return rules.find(after, id) as DefinitionOf<K>
}

export interface DeletedDefinition {
  kind: DefinitionKind
  id: string
  deleted: true
}

export async function deleteDefinition(store: Store, kind: DefinitionKind, id: string): Promise<DeletedDefinition> {
  await changeDefinitions(store, undefined, (before) => {
    requireDefinition(before, kind, id)
    const after = structuredClone(before)
    delete KINDS[kind].held(after)[id]
    return after
  })
  return {kind, id, deleted: true}
}

export interface PlanEntry {
  kind: DefinitionKind
  id: string
  /** For updates: the properties that differ. */
  changes?: string[]
}

export interface DefinitionsPlan {
  created: PlanEntry[]
  updated: PlanEntry[]
  unchanged: PlanEntry[]
  /** True when nothing was written (--dry-run). */
  dryRun: boolean
}

/**
 * What applying a definitions file to `before` would create, update and leave unchanged, and the
 * definitions that result. Apply never deletes: definitions absent from the file stay as they are.
 */
export function planDefinitions(before: Definitions, file: {fields?: FieldDefinition[]; fieldsets?: FieldsetDefinition[]}): {
  plan: Omit<DefinitionsPlan, 'dryRun'>
  after: Definitions
} {
  const plan: Omit<DefinitionsPlan, 'dryRun'> = {created: [], updated: [], unchanged: []}
  let after = before
  const consider = (kind: DefinitionKind, wanted: FieldDefinition | FieldsetDefinition) => {
    const rules = KINDS[kind]
    const stored = rules.find(before, wanted.id)
    const canonical = rules.canonical(wanted)
    if (!stored) {
      plan.created.push({kind, id: wanted.id})
    } else {
      const changes = differences(rules.canonical(stored), canonical)
      if (changes.length === 0) {
        plan.unchanged.push({kind, id: wanted.id})
        return
      }
      plan.updated.push({kind, id: wanted.id, changes})
    }
    after = withDefinition(after, kind, canonical)
  }
  for (const field of file.fields ?? []) consider('field', field)
  for (const fieldset of file.fieldsets ?? []) consider('fieldset', fieldset)
  return {plan, after}
}

/** `fields apply`: checks the file, plans, and (unless a dry run) writes, all in one transaction. */
export async function applyDefinitions(store: Store, input: unknown, options: {dryRun?: boolean; source?: string} = {}): Promise<DefinitionsPlan> {
  const {source} = options
  const file = checkDefinitionsFile(input, source)
  const dryRun = options.dryRun ?? false
  return store.transaction(async (tx) => {
    const before = await tx.definitions()
    const {plan, after} = planDefinitions(before, file)
    if (plan.created.length + plan.updated.length > 0) {
      await refuseUnsafe(tx, before, after)
      assertCrossChecked(after, source)
      if (!dryRun) await tx.putDefinitions(after)
    }
    return {...plan, dryRun}
  })
}

/** One definitions change: the protection rules, the cross-checks, then one write. */
async function changeDefinitions(store: Store, source: string | undefined, change: (before: Definitions) => Definitions): Promise<Definitions> {
  return store.transaction(async (tx) => {
    const before = await tx.definitions()
    const after = change(before)
    await refuseUnsafe(tx, before, after)
    assertCrossChecked(after, source)
    await tx.putDefinitions(after)
    return after
  })
}

interface Refusal {
  definition: string
  message: string
  usedBy?: FieldsetUsage | string[]
}

/**
 * The protection rules: nothing that objects or fieldsets rely on disappears or changes meaning.
 * A field held by a fieldset is not deleted, keeps its dataType and loses no enum value; a fieldset
 * objects use is not deleted and loses no field (fields may move to inactiveFields and back); base
 * definitions are never deleted and base fieldsets keep their base fields active.
 */
async function refuseUnsafe(reader: StoreReader, before: Definitions, after: Definitions): Promise<void> {
  const refusals: Refusal[] = []
  for (const [id, old] of Object.entries(before.fields)) {
    const now = fieldOf(after, id)
    const holders = [...new Set([...fieldsetsHolding(before, id), ...fieldsetsHolding(after, id)])]
    const definition = `field ${id}`
    if (!now) {
      if (isBaseField(id)) refusals.push({definition, message: 'ships with ctx and cannot be deleted'})
      else if (holders.length > 0) {
        const those = holders.length === 1 ? 'that fieldset' : 'those fieldsets'
        refusals.push({definition, message: `is held by ${fieldsetsPhrase(holders)}; take it out of ${those} first`, usedBy: holders})
      }
      continue
    }
    if (holders.length === 0) continue
    if (now.dataType !== old.dataType) {
      refusals.push({
        definition,
        message: `is held by ${fieldsetsPhrase(holders)}, so its dataType stays ${old.dataType} (not ${now.dataType})`,
        usedBy: holders,
      })
    }
    const kept = new Set((now.enum ?? []).map((item) => item.value))
    const dropped = (old.enum ?? []).map((item) => item.value).filter((value) => !kept.has(value))
    if (dropped.length > 0) {
      refusals.push({
        definition,
        message: `is held by ${fieldsetsPhrase(holders)}, so its enum values ${dropped.join(', ')} cannot be removed; mark them "active": false instead`,
        usedBy: holders,
      })
    }
  }
  for (const [id, old] of Object.entries(before.fieldsets)) {
    const now = fieldsetOf(after, id)
    const definition = `fieldset ${id}`
    if (!now) {
      if (isBaseFieldset(id)) {
        refusals.push({definition, message: 'ships with ctx and cannot be deleted'})
        continue
      }
      const usage = await fieldsetUsage(reader, id)
      if (usage.count > 0) refusals.push({definition, message: `is used by ${objectsPhrase(usage)}`, usedBy: usage})
      continue
    }
    const remaining = new Set([...now.fields, ...(now.inactiveFields ?? [])])
    const lost = [...old.fields, ...(old.inactiveFields ?? [])].filter((field) => !remaining.has(field))
    if (lost.length > 0) {
      const usage = await fieldsetUsage(reader, id)
      if (usage.count > 0) {
        refusals.push({
          definition,
          message: `is used by ${objectsPhrase(usage)}, so ${lost.join(', ')} cannot leave it; move ${lost.length === 1 ? 'it' : 'them'} to inactiveFields instead`,
          usedBy: usage,
        })
      }
    }
    const shipped = fieldsetOf(baseShipped(), id)
    const deactivated = shipped?.fields.filter((field) => !now.fields.includes(field)) ?? []
    if (deactivated.length > 0) {
      refusals.push({definition, message: `ships with ctx and keeps its base fields active: ${deactivated.join(', ')}`})
    }
  }
  if (refusals.length === 0) return
  const listed = refusals.slice(0, 5).map((refusal) => `${refusal.definition} ${refusal.message}`)
  throw new ConflictError(`${listed.join('; ')}${refusals.length > 5 ? `; and ${refusals.length - 5} more` : ''}`, {
    where: refusals[0].definition,
    hint: 'Definitions in use keep their meaning: deactivate (inactiveFields, "active": false) rather than delete.',
    details: {refusals},
  })
}

function fieldsetsPhrase(ids: readonly string[]): string {
  return `fieldset${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`
}

function objectsPhrase(usage: FieldsetUsage): string {
  const more = usage.count > usage.ids.length ? ', …' : ''
  return `${usage.count} object${usage.count === 1 ? '' : 's'} (${usage.ids.join(', ')}${more})`
}

function differences(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  const a = before as Record<string, unknown>
  const b = after as Record<string, unknown>
  return [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
}

function withDefinition(definitions: Definitions, kind: DefinitionKind, definition: AnyDefinition): Definitions {
  const out: Definitions = {fields: {...definitions.fields}, fieldsets: {...definitions.fieldsets}}
  KINDS[kind].held(out)[definition.id] = definition
  return out
}

function requireDefinition<K extends DefinitionKind>(definitions: Definitions, kind: K, id: string): DefinitionOf<K> {
  const found = KINDS[kind].find(definitions, id) as DefinitionOf<K> | undefined
  if (!found) {
    throw new NotFoundError(`no ${kind} ${id}`, {where: id, hint: `Run \`ctx ${kind}s list\` to see the ${kind}s this store knows.`})
  }
  return found
}

function refuseExisting(definitions: Definitions, kind: DefinitionKind, id: string): void {
  const existing = Object.keys(KINDS[kind].held(definitions)).find((known) => known.toLowerCase() === id.toLowerCase())
  if (existing !== undefined) {
    throw new ConflictError(`${kind} ${existing} already exists`, {
      where: id,
      hint: `Change it with \`ctx ${kind}s update ${existing}\`, or keep definitions in a file and run \`ctx fields apply -f FILE\`.`,
    })
  }
}

function refuseEmpty(kind: DefinitionKind, change: DefinitionChange<FieldPatch | FieldsetPatch>): void {
  if ('patch' in change && isEmptyPatch(change.patch)) {
    throw new UsageError(`nothing to change: give at least one flag, or -f FILE with the whole ${kind}`, {hint: `See \`ctx ${kind}s update --help\`.`})
  }
}

function refuseRename(kind: DefinitionKind, id: string, given: string): void {
  if (given !== id) throw new UsageError(`the ${kind} in the file is ${given}, not ${id}; an update never changes an id`, {where: id})
}
