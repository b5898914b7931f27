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

export async function createField(store: Store, input: unknown, source?: string): Promise<FieldDefinition> {
  return changeDefinitions(store, source, (before) => {
    const field = canonicalField(checkFieldDefinition(input, source))
    refuseExisting(before, 'field', field.id)
    return withDefinition(before, 'field', field)
  }).then((after) => fieldOf(after, (input as FieldDefinition).id)!)
}

export async function updateField(store: Store, id: string, change: DefinitionChange<FieldPatch>, source?: string): Promise<FieldDefinition> {
  refuseEmpty('field', change)
  const after = await changeDefinitions(store, source, (before) => {
    const stored = requireDefinition(before, 'field', id)
    const candidate = 'patch' in change ? patchField(stored, change.patch) : change.replace
    const field = canonicalField(checkFieldDefinition(candidate, source))
    refuseRename('field', id, field.id)
    return withDefinition(before, 'field', field)
  })
  return fieldOf(after, id)!
}

export async function createFieldset(store: Store, input: unknown, source?: string): Promise<FieldsetDefinition> {
  return changeDefinitions(store, source, (before) => {
    const fieldset = canonicalFieldset(checkFieldsetDefinition(input, source))
    refuseExisting(before, 'fieldset', fieldset.id)
    return withDefinition(before, 'fieldset', fieldset)
  }).then((after) => fieldsetOf(after, (input as FieldsetDefinition).id)!)
}

export async function updateFieldset(
  store: Store,
  id: string,
  change: DefinitionChange<FieldsetPatch>,
  source?: string,
): Promise<FieldsetDefinition> {
  refuseEmpty('fieldset', change)
  const after = await changeDefinitions(store, source, (before) => {
    const stored = requireDefinition(before, 'fieldset', id)
    const candidate = 'patch' in change ? patchFieldset(stored, change.patch) : change.replace
    const fieldset = canonicalFieldset(checkFieldsetDefinition(candidate, source))
    refuseRename('fieldset', id, fieldset.id)
    return withDefinition(before, 'fieldset', fieldset)
  })
  return fieldsetOf(after, id)!
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
    if (kind === 'field') delete after.fields[id]
    else delete after.fieldsets[id]
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
    const stored = kind === 'field' ? fieldOf(before, wanted.id) : fieldsetOf(before, wanted.id)
    const canonical = kind === 'field' ? canonicalField(wanted as FieldDefinition) : canonicalFieldset(wanted as FieldsetDefinition)
    if (!stored) {
      plan.created.push({kind, id: wanted.id})
    } else {
      const current = kind === 'field' ? canonicalField(stored as FieldDefinition) : canonicalFieldset(stored as FieldsetDefinition)
      const changes = differences(current, canonical)
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

function withDefinition(definitions: Definitions, kind: DefinitionKind, definition: FieldDefinition | FieldsetDefinition): Definitions {
  const out: Definitions = {fields: {...definitions.fields}, fieldsets: {...definitions.fieldsets}}
  if (kind === 'field') out.fields[definition.id] = definition as FieldDefinition
  else out.fieldsets[definition.id] = definition as FieldsetDefinition
  return out
}

function requireDefinition(definitions: Definitions, kind: 'field', id: string): FieldDefinition
function requireDefinition(definitions: Definitions, kind: 'fieldset', id: string): FieldsetDefinition
function requireDefinition(definitions: Definitions, kind: DefinitionKind, id: string): FieldDefinition | FieldsetDefinition
function requireDefinition(definitions: Definitions, kind: DefinitionKind, id: string): FieldDefinition | FieldsetDefinition {
  const found = kind === 'field' ? fieldOf(definitions, id) : fieldsetOf(definitions, id)
  if (!found) {
    throw new NotFoundError(`no ${kind} ${id}`, {where: id, hint: `Run \`ctx ${kind}s list\` to see the ${kind}s this store knows.`})
  }
  return found
}

function refuseExisting(definitions: Definitions, kind: DefinitionKind, id: string): void {
  const existing = Object.keys(kind === 'field' ? definitions.fields : definitions.fieldsets).find((known) => known.toLowerCase() === id.toLowerCase())
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
