// A store's own definitions: what `fields export` writes and a whole-store JSON Lines export carries,
// so that its data can be imported into another store. The base definitions ship with every ctx and
// are left out, unless this store changed them (a base fieldset given a custom field, say).
import {baseShipped, canonicalField, canonicalFieldset, type Definitions, type DefinitionsFile} from './model.js'

export function ownDefinitions(definitions: Definitions): Required<DefinitionsFile> {
  const base = baseShipped()
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  return {
    fields: Object.values(definitions.fields).filter((field) => !base.fields[field.id] || !same(canonicalField(field), base.fields[field.id])),
    fieldsets: Object.values(definitions.fieldsets).filter(
      (fieldset) => !base.fieldsets[fieldset.id] || !same(canonicalFieldset(fieldset), base.fieldsets[fieldset.id]),
    ),
  }
}

export function hasOwnDefinitions(file: DefinitionsFile): boolean {
  return (file.fields?.length ?? 0) + (file.fieldsets?.length ?? 0) > 0
}
