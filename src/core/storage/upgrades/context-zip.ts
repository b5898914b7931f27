// Store format 2 (file) and schema version 2 (PostgreSQL): the base definitions as Context Service
// ships them. The ZIP field is `Context_ZIP`, as Cisco's own export writes it (earlier ctx called it
// `Context_Zip`), and the request title and description and the activity notes are ENCRYPTED. Both
// stores run these same functions, so an old store of either kind comes over the same way. The
// values are written out here, not read from schemas/base-definitions.json: a released upgrade
// must do tomorrow what it does today.
import type {Definitions, FieldDefinition} from '../../definitions/model.js'
import {StorageError} from '../../errors.js'
import {canonical, type ContextObject, type FieldValue} from '../../model.js'

export const OLD_ZIP = 'Context_Zip'
export const NEW_ZIP = 'Context_ZIP'

/** Base fields whose classification Cisco's "Fields and Fieldsets" list gives otherwise than ctx 1 did. */
const CLASSIFICATIONS: Record<string, FieldDefinition['classification']> = {
  Context_Title: 'ENCRYPTED',
  Context_Description: 'ENCRYPTED',
  Context_Notes: 'ENCRYPTED',
}

/** The definitions with the ZIP field renamed (in every fieldset too) and the classifications corrected. */
export function upgradeDefinitions(definitions: Definitions): Definitions {
  const fields: Definitions['fields'] = {}
  for (const [id, field] of Object.entries(definitions.fields)) {
    if (id === NEW_ZIP && Object.hasOwn(definitions.fields, OLD_ZIP)) {
      throw new StorageError(`the store defines both ${OLD_ZIP} and ${NEW_ZIP}; the upgrade would merge them`, {
        where: NEW_ZIP,
        hint: `Rename the store's own ${NEW_ZIP} field (fields export, edit, fields apply) with the ctx that made the store, then upgrade.`,
      })
    }
    const renamed = id === OLD_ZIP ? NEW_ZIP : id
    const classification = CLASSIFICATIONS[renamed]
    fields[renamed] = {...field, id: renamed, ...(classification ? {classification} : {})}
  }
  const fieldsets: Definitions['fieldsets'] = {}
  for (const [id, fieldset] of Object.entries(definitions.fieldsets)) {
    fieldsets[id] = {...fieldset, fields: fieldset.fields.map(renameZip), inactiveFields: fieldset.inactiveFields?.map(renameZip)}
    if (fieldset.inactiveFields === undefined) delete fieldsets[id].inactiveFields
  }
  return {fields, fieldsets}
}

/** The object with its ZIP value under the new id, or null when it holds none (nothing to change). */
export function upgradeObject(object: ContextObject): ContextObject | null {
  if (!Object.hasOwn(object.data, OLD_ZIP)) return null
  const data: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(object.data)) data[renameZip(key)] = value
  return canonical({...object, data})
}

function renameZip(id: string): string {
  return id === OLD_ZIP ? NEW_ZIP : id
}
