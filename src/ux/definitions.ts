// Human output for field definitions: lists, one field or fieldset, and the plan of `fields apply`.
import {type Definitions, type FieldDefinition, fieldLabel, fieldOf, type FieldsetDefinition} from '../core/definitions/model.js'
import type {DefinitionsPlan, FieldListing, FieldsetListing, FieldsetUsage} from '../core/definitions/manage.js'
import {color, DetailTable, table} from './render.js'

const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no')

/** The columns of `fields list`. */
export function fieldListRows(fields: readonly FieldListing[]): {head: string[]; rows: string[][]} {
  const head = ['Id', 'Label', 'Type', 'Classification', 'Searchable', 'In use by']
  const rows = fields.map((field) => [field.id, field.label, field.dataType, field.classification, yesNo(field.searchable !== false), field.usedBy.join(', ') || color.dim('—')])
  return {head, rows}
}

/** The columns of `fieldsets list`. */
export function fieldsetListRows(fieldsets: readonly FieldsetListing[]): {head: string[]; rows: string[][]} {
  const head = ['Id', 'Description', 'Fields', 'Inactive', 'Objects']
  const rows = fieldsets.map((fieldset) => [fieldset.id, fieldset.description ?? '', String(fieldset.fields.length), String(fieldset.inactiveFields?.length ?? 0), String(fieldset.objects)])
  return {head, rows}
}

/** One field as a two-column table; `usedBy` (fieldset ids) when known. */
export function fieldTable(field: FieldDefinition, usedBy?: readonly string[]): string {
  const rows = new DetailTable()
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== '') rows.push([color.dim(label), String(value)])
  }
  add('Id', field.id)
  add('Label', fieldLabel(field, field.id))
  add('Data type', field.dataType)
  add('Classification', field.classification)
  add('Searchable', yesNo(field.searchable !== false))
  add('Required', yesNo(field.required))
  add('Max length', field.maxLength)
  add('Pattern', field.pattern === undefined ? undefined : `/${field.pattern}/`)
  add(
    'Enum values',
    field.enum
      ?.map((item) => {
        const label = fieldLabel(item, item.value)
        return `${item.value}${label === item.value ? '' : ` (${label})`}${item.active === false ? color.dim(' — inactive') : ''}`
      })
      .join('\n'),
  )
  add('Translations', translationsText(field.translations))
  add('Description', field.description)
  if (usedBy) add('In use by', usedBy.length > 0 ? usedBy.join(', ') : 'no fieldset')
  return rows.toString()
}

/** One fieldset: its fields by label, and (when known) the objects using it. */
export function fieldsetTable(fieldset: FieldsetDefinition, definitions: Definitions, usage?: FieldsetUsage): string {
  const rows = new DetailTable()
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== '') rows.push([color.dim(label), String(value)])
  }
  const named = (ids: readonly string[]) =>
    ids
      .map((id) => {
        const label = fieldLabel(fieldOf(definitions, id), id)
        return label === id ? id : `${label} (${id})`
      })
      .join('\n')
  add('Id', fieldset.id)
  add('Description', fieldset.description)
  add('Fields', named(fieldset.fields) || color.dim('none'))
  add('Inactive fields', named(fieldset.inactiveFields ?? []))
  if (usage) {
    const more = usage.count > usage.ids.length ? '\n…' : ''
    add('Used by', usage.count === 0 ? 'no objects' : `${usage.count} object${usage.count === 1 ? '' : 's'}\n${usage.ids.join('\n')}${more}`)
  }
  return rows.toString()
}

/** The plan of `fields apply`: what changes as a table, then one summary line. */
export function planText(plan: DefinitionsPlan): string {
  const lines: string[] = []
  if (plan.created.length + plan.updated.length > 0) {
    const rows = table(['Action', 'Kind', 'Id', 'Changes'])
    for (const entry of plan.created) rows.push([color.green('create'), entry.kind, entry.id, ''])
    for (const entry of plan.updated) rows.push([color.yellow('update'), entry.kind, entry.id, (entry.changes ?? []).join(', ')])
    lines.push(rows.toString())
  }
  const summary = `${plan.created.length} to create, ${plan.updated.length} to update, ${plan.unchanged.length} unchanged`
  if (plan.created.length + plan.updated.length === 0) lines.push(`Nothing to change: ${summary}.`)
  else if (plan.dryRun) lines.push(`Dry run: ${summary}; nothing was written.`)
  else lines.push(`Applied: ${summary.replace('to create', 'created').replace('to update', 'updated')}.`)
  return lines.join('\n')
}

function translationsText(translations: Record<string, string> | undefined): string | undefined {
  if (!translations) return undefined
  return Object.entries(translations)
    .map(([locale, label]) => `${locale}: ${label}`)
    .join('\n')
}
