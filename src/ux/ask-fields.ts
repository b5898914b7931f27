// The required fields a new object still lacks, asked for on a terminal with the prompt that suits
// each: an enum's active values picked from a list, a boolean as yes or no, anything else typed and
// checked against its field (type, length, pattern) before it is taken. Loaded only to prompt.
import {confirm, input, select} from '@inquirer/prompts'
import {createAjv} from '../core/definitions/ajv.js'
import {parseFieldAssignments} from '../core/definitions/coerce.js'
import {type Definitions, type FieldDefinition, fieldLabel, fieldOf, fieldsetOf} from '../core/definitions/model.js'
import {fieldSchema} from '../core/definitions/validate.js'
import {isCtxError} from '../core/errors.js'
import type {FieldValue} from '../core/model.js'
import type {DataChanges} from '../core/objects.js'

/** The fields that `fieldsets` require and `changes` leave unset, in the fieldsets' order, each once. */
export function missingRequired(definitions: Definitions, fieldsets: readonly string[], changes: DataChanges): FieldDefinition[] {
  const seen = new Set<string>()
  const missing: FieldDefinition[] = []
  for (const fieldsetId of fieldsets) {
    for (const id of fieldsetOf(definitions, fieldsetId)?.fields ?? []) {
      const field = fieldOf(definitions, id)
      if (!field?.required || seen.has(id) || (Object.hasOwn(changes, id) && changes[id] !== null)) continue
      seen.add(id)
      missing.push(field)
    }
  }
  return missing
}

/** `changes` with every missing required field asked for and added. */
export async function askRequiredFields(definitions: Definitions, fieldsets: readonly string[], changes: DataChanges): Promise<DataChanges> {
  const out = {...changes}
  for (const field of missingRequired(definitions, fieldsets, changes)) out[field.id] = await askField(field, definitions)
  return out
}

async function askField(field: FieldDefinition, definitions: Definitions): Promise<FieldValue> {
  const message = `${fieldLabel(field, field.id)}:`
  const values = field.enum?.filter((item) => item.active !== false)
  if (values && values.length > 0) {
    return select({message, choices: values.map((item) => ({value: item.value, name: labelled(fieldLabel(item, item.value), item.value)}))})
  }
  if (field.dataType === 'boolean') return confirm({message})
  const valid = createAjv(['date', 'date-time']).compile(fieldSchema(field))
  const coerce = (text: string) => parseFieldAssignments([`${field.id}=${text}`], definitions)[field.id]
  const answer = await input({
    message,
    validate(text) {
      if (text.trim() === '') return `${fieldLabel(field, field.id)} is required.`
      try {
        return valid(coerce(text)) || `${field.id} ${valid.errors?.[0]?.message ?? 'is not valid'}`
      } catch (error) {
        if (isCtxError(error)) return error.message
        throw error
      }
    },
  })
  return coerce(answer) as FieldValue
}

const labelled = (label: string, value: string) => (label === value ? value : `${label} (${value})`)
