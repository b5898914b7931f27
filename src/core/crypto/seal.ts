// Objects as a store holds them: every value of a PII or ENCRYPTED field sealed (keyring.ts), each
// field's words of a searchable one kept as blind-index tokens, everything else as it was. Which
// fields are sealed is read from the definitions at write time (classifications are data); reading
// opens whatever is sealed, whatever the definition says now.
import type {Definitions, FieldDefinition} from '../definitions/model.js'
import {isSearchable} from '../definitions/model.js'
import type {ContextObject, FieldValue} from '../model.js'
import type {Keyring} from './keyring.js'
import {customerKeyId, isSealed, type SealedValue, STORE_KEY_ID} from './sealed-value.js'

/** Whether a field's values are encrypted at rest: PII and ENCRYPTED ones (as Context Service did; README, "Customer data at rest"). */
export function isEncryptedField(field: FieldDefinition | undefined): boolean {
  return field !== undefined && field.classification !== 'UNENCRYPTED'
}

const fieldsOf = new WeakMap<Definitions, Map<string, {searchable: boolean}>>()

/**
 * The ids of the fields whose values are sealed, and whether each is searchable; worked out once per
 * definitions object (a store hands out the same one until they change, and they are read-only).
 */
export function encryptedFields(definitions: Definitions): ReadonlyMap<string, {searchable: boolean}> {
  let fields = fieldsOf.get(definitions)
  if (!fields) {
    fields = new Map()
    for (const field of Object.values(definitions.fields)) if (isEncryptedField(field)) fields.set(field.id, {searchable: isSearchable(field)})
    fieldsOf.set(definitions, fields)
  }
  return fields
}

/**
 * The data key of an object: its customer's (the customer itself, or the customerId it names), or
 * for an object linked to no customer directly, the key of its parent as `parentKey` answers it
 * (a comment on an activity), else the store's.
 */
export function dataKeyIdOf(object: ContextObject, parentKey?: (parentId: string) => string | undefined): string {
  if (object.type === 'customer') return customerKeyId(object.id)
  if (object.customerId !== undefined) return customerKeyId(object.customerId)
  if (object.parentId !== undefined) return parentKey?.(object.parentId) ?? STORE_KEY_ID
  return STORE_KEY_ID
}

/** Whether an object holds a value to seal: a command that writes none never loads a key. */
export function holdsEncryptedValue(object: ContextObject, fields: ReadonlyMap<string, unknown>): boolean {
  for (const field in object.data) if (fields.has(field) && !isSealed(object.data[field])) return true
  return false
}

/** Whether an object as stored holds a sealed value: reading it needs the keys. */
export function holdsSealedValue(object: ContextObject): boolean {
  for (const field in object.data) if (isSealed(object.data[field])) return true
  return false
}

/**
 * The object with the values of `fields` sealed under `keyId`; the same object when it holds none.
 * Values sealed already (an object read and written back) are sealed again only if their key changed
 * (an activity moved to another customer).
 */
export function sealObject(object: ContextObject, fields: ReadonlyMap<string, {searchable: boolean}>, keyring: Keyring, keyId: string): ContextObject {
  let data: Record<string, FieldValue | SealedValue> | undefined
  for (const field in object.data) {
    const encrypted = fields.get(field)
    if (!encrypted) continue
    const value = object.data[field] as FieldValue | SealedValue
    if (isSealed(value) && value.key === keyId) continue
    const clear = isSealed(value) ? keyring.open(object.id, field, value) : value
    data ??= {...object.data}
    data[field] = encrypted.searchable ? keyring.sealSearchable(object.id, field, keyId, clear) : keyring.seal(object.id, field, keyId, clear)
  }
  return data ? {...object, data: data as Record<string, FieldValue>} : object
}

/** The object with every sealed value opened; the same object when it holds none. */
export function openObject(object: ContextObject, keyring: Keyring): ContextObject {
  let data: Record<string, FieldValue> | undefined
  for (const field in object.data) {
    const value = object.data[field] as FieldValue | SealedValue
    if (!isSealed(value)) continue
    data ??= {...object.data}
    data[field] = keyring.open(object.id, field, value)
  }
  return data ? {...object, data} : object
}

/** The blind-index tokens of a stored value: a sealed value's own, none for a clear one. */
export function tokensOf(value: unknown): readonly string[] {
  return isSealed(value) ? (value.tokens ?? []) : []
}

/** The data keys a batch of stored objects needs to be read. */
export function keyIdsOf(objects: Iterable<ContextObject>): Set<string> {
  const ids = new Set<string>()
  for (const object of objects) for (const field in object.data) {
    const value = object.data[field] as unknown
    if (isSealed(value)) ids.add(value.key)
  }
  return ids
}
