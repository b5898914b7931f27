// The one order of an object's fields in every view of it (`show`, the journey, the desk, --json,
// export): the fields of its type's base fieldset in their definition order, then those of its other
// fieldsets by fieldset id, each in its definition order, then any other field by id. It is the
// order of an exported CSV's columns (csvColumns), for one object. The store keeps data keys sorted
// by id (canonical()); views put them in this order as they print.
import {BASE_FIELDSET, type ContextObject, type FieldValue} from '../model.js'
import {type Definitions, fieldsetOf} from './model.js'

/** Orders by definitions and fieldsets, so each is worked out once per command. */
const cache = new WeakMap<Definitions, Map<string, readonly string[]>>()

function fieldsetOrder(object: Pick<ContextObject, 'type' | 'fieldsets'>, definitions: Definitions): readonly string[] {
  const base = BASE_FIELDSET[object.type]
  const key = `${object.type}\n${(object.fieldsets ?? []).join('\n')}`
  let known = cache.get(definitions)
  const found = known?.get(key)
  if (found) return found
  const fieldsets = [...new Set(object.fieldsets ?? [])].sort((a, b) => (a === base ? -1 : b === base ? 1 : a < b ? -1 : a > b ? 1 : 0))
  const order = new Set<string>()
  for (const id of fieldsets) {
    const fieldset = fieldsetOf(definitions, id)
    for (const field of [...(fieldset?.fields ?? []), ...(fieldset?.inactiveFields ?? [])]) order.add(field)
  }
  if (!known) cache.set(definitions, (known = new Map()))
  const out = [...order]
  known.set(key, out)
  return out
}

/** The object's field ids that hold a value, in the order of every view. */
export function orderedFieldIds(object: ContextObject, definitions: Definitions): string[] {
  const ids = fieldsetOrder(object, definitions).filter((id) => Object.hasOwn(object.data, id))
  const listed = new Set(ids)
  const others = Object.keys(object.data).filter((id) => !listed.has(id)).sort()
  return [...ids, ...others]
}

/** The object's data in the order of every view. */
export function orderedData(object: ContextObject, definitions: Definitions): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {}
  for (const id of orderedFieldIds(object, definitions)) out[id] = object.data[id]
  return out
}

/** The object with its data in the order of every view (the same object when it already is). */
export function inFieldOrder(object: ContextObject, definitions: Definitions): ContextObject {
  const ids = orderedFieldIds(object, definitions)
  const keys = Object.keys(object.data)
  if (ids.every((id, at) => keys[at] === id)) return object
  return {...object, data: orderedData(object, definitions)}
}
