// rule 6: the customer of an activity that arrives with only its source fields (who called,
// from which address or number). An email match (ignoring case) or a phone match (by its digits,
// phone.ts) wins; otherwise a customer is made from the source fields.
import {newId} from './ids.js'
import {BASE_FIELDSET, type ContextObject, type FieldValue} from './model.js'
import {checkObject, findEvery, nextTimestamp} from './objects.js'
import type {Clock} from './clock.js'
import {phoneCandidates, samePhone} from './phone.js'
import {allOf, equals, type Filter} from './search/query.js'
import {words} from './search/words.js'
import type {StoreReader, StoreWriter} from './storage/store.js'

export const SOURCE_FIELDS = {
  name: 'Context_POD_Source_Cust_Name',
  email: 'Context_POD_Source_Email',
  phone: 'Context_POD_Source_Phone',
} as const

const EMAIL_FIELDS = ['Context_Work_Email', 'Context_Home_Email'] as const
/** The customer fields a phone number is looked up in. */
export const PHONE_FIELDS = ['Context_Work_Phone', 'Context_Home_Phone', 'Context_Mobile_Phone'] as const

/** How an activity got its customer: named, taken from its request, matched, or created. */
export type IdentifiedBy = 'given' | 'request' | 'email' | 'phone' | 'created'

export interface Identification {
  customer: ContextObject
  by: IdentifiedBy
  /** The source value that matched (email or phone). */
  value?: string
  /** How many customers matched; the most recently updated one was taken. */
  matches?: number
}

export interface SourceContact {
  name?: string
  email?: string
  phone?: string
}

/** The source fields of an activity's data, trimmed; empty ones left out. */
export function sourceContact(data: Record<string, FieldValue>): SourceContact {
  const text = (key: string) => (typeof data[key] === 'string' && (data[key] as string).trim() !== '' ? (data[key] as string).trim() : undefined)
  const contact: SourceContact = {}
  const name = text(SOURCE_FIELDS.name)
  const email = text(SOURCE_FIELDS.email)
  const phone = text(SOURCE_FIELDS.phone)
  if (name !== undefined) contact.name = name
  if (email !== undefined) contact.email = email
  if (phone !== undefined) contact.phone = phone
  return contact
}

export function hasContact(contact: SourceContact): boolean {
  return contact.name !== undefined || contact.email !== undefined || contact.phone !== undefined
}

/**
 * Customers whose email (ignoring case) or phone (by its digits: phone.ts) is `value`, most
 * recently updated first. The search narrows by whole words, so every adapter can use its index;
 * the comparison after it is exact.
 */
export async function customersWithContact(reader: StoreReader, kind: 'email' | 'phone', value: string): Promise<ContextObject[]> {
  const fields = kind === 'email' ? EMAIL_FIELDS : PHONE_FIELDS
  const anyField = kind === 'email' ? emailCandidates(value) : phoneCandidates(fields, value)
  if (anyField === null) return []
  // A phone's probes are many terms, whose overlap PostgreSQL's planner overestimates and then
  // intersects with every customer's row of the type index (40 ms among 50k customers, against
  // 0.2 ms for the probes alone): the type is checked here instead.
  const candidates = await findEvery(reader, kind === 'email' ? allOf(equals('type', 'customer'), anyField)! : anyField)
  const same = kind === 'email' ? (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase() : samePhone
  return candidates.filter(
    (customer) => customer.type === 'customer' && fields.some((key) => typeof customer.data[key] === 'string' && same(customer.data[key] as string, value)),
  )
}

function emailCandidates(value: string): Filter | null {
  const wanted = words(value)
  if (wanted.length === 0) return null
  return {kind: 'or', children: EMAIL_FIELDS.map((key) => ({kind: 'words', key, words: wanted}))}
}

/** The customer the source fields name (email first, then phone), or null: rule 6 without the creating. */
export async function findByContact(reader: StoreReader, contact: SourceContact): Promise<Identification | null> {
  for (const kind of ['email', 'phone'] as const) {
    const value = contact[kind]
    if (value === undefined) continue
    const matches = await customersWithContact(reader, kind, value)
    if (matches.length > 0) return {customer: matches[0], by: kind, value, matches: matches.length}
  }
  return null
}

/** Finds the customer of the source fields, or creates one (inserted through `tx`). */
export async function identifyCustomer(tx: StoreWriter, contact: SourceContact, clock: Clock): Promise<Identification> {
  const found = await findByContact(tx, contact)
  if (found) return found
  const now = nextTimestamp(clock)
  const customer: ContextObject = {
    id: newId(),
    type: 'customer',
    fieldsets: [BASE_FIELDSET.customer],
    data: customerDataFromContact(contact),
    created: now,
    lastUpdated: now,
  }
  await checkObject(customer, await tx.definitions())
  await tx.insert([customer])
  return {customer, by: 'created'}
}

/** Rule 6: the last word of the name is the last name, the rest the first; email → home, phone → mobile. */
export function customerDataFromContact(contact: SourceContact): Record<string, FieldValue> {
  const data: Record<string, FieldValue> = {}
  const parts = contact.name?.split(/\s+/).filter(Boolean) ?? []
  if (parts.length > 0) data.Context_Last_Name = parts.at(-1)!
  if (parts.length > 1) data.Context_First_Name = parts.slice(0, -1).join(' ')
  if (contact.email !== undefined) data.Context_Home_Email = contact.email
  if (contact.phone !== undefined) data.Context_Mobile_Phone = contact.phone
  return data
}

