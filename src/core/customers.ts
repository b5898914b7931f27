// Customers: create, show, update, delete (with everything that belongs to them) and find.
import {requireChangeable} from './changes.js'
import {UsageError} from './errors.js'
import {newId} from './ids.js'
import {BASE_FIELDSET, type ContextObject, type ObjectType} from './model.js'
import {applyChanges, checkObject, type DataChanges, nextTimestamp, requireObject, type Session} from './objects.js'
import {allOf, equals} from './search/query.js'
import {findCustomer} from './journey.js'
import {searchObjects} from './search/search.js'
import {checkLastUpdated} from './storage/refusals.js'
import type {Page} from './storage/store.js'

/** The named flags of `customers create/update` and the fields they set. */
export const CUSTOMER_FLAG_FIELDS = {
  'first-name': 'Context_First_Name',
  'last-name': 'Context_Last_Name',
  email: 'Context_Work_Email',
  phone: 'Context_Work_Phone',
} as const

export interface CustomerInput {
  changes: DataChanges
  fieldsets?: string[]
  externalId?: string
}

/** Whether changes set at least one field: a customer of nothing is an empty "Unknown Customer". */
export function setsAnyField(changes: DataChanges): boolean {
  return Object.values(changes).some((value) => value !== null && value !== undefined && value !== '')
}

export async function createCustomer(session: Session, input: CustomerInput): Promise<ContextObject> {
  if (!setsAnyField(input.changes) && input.externalId === undefined) {
    throw new UsageError('nothing to store: give the customer at least one field or an externalId', {
      hint: 'For example: ctx customers create --first-name Ada --email ada@example.com (or --field ID=VALUE).',
    })
  }
  return session.store.transaction(async (tx) => {
    const definitions = await tx.definitions()
    const now = nextTimestamp(session.clock)
    const customer: ContextObject = {
      id: newId(),
      type: 'customer',
      fieldsets: input.fieldsets ?? [BASE_FIELDSET.customer],
      data: applyChanges({}, input.changes),
      ...(input.externalId === undefined ? {} : {externalId: input.externalId}),
      created: now,
      lastUpdated: now,
    }
    await checkObject(customer, definitions)
    await tx.insert([customer])
    return customer
  })
}

/** A customer by id, or by an email or phone number exactly one customer has (as `journey` finds one). */
export async function showCustomer(session: Session, ref: string): Promise<ContextObject> {
  return findCustomer(session.store, ref)
}

export interface CustomerUpdate extends CustomerInput {
  ifLastUpdated?: string
}

export async function updateCustomer(session: Session, id: string, update: CustomerUpdate): Promise<ContextObject> {
  return session.store.transaction(async (tx) => {
    // requireChangeable, not requireObject: a comment's id here is refused as immutable (rule 2).
    const {object: stored} = await requireChangeable(tx, id, 'customer', 'edit it')
    const definitions = await tx.definitions()
    const customer: ContextObject = {
      ...stored,
      fieldsets: update.fieldsets ?? stored.fieldsets,
      data: applyChanges(stored.data, update.changes),
      ...(update.externalId === undefined ? {} : {externalId: update.externalId}),
      lastUpdated: nextTimestamp(session.clock, stored.lastUpdated),
    }
    checkLastUpdated(stored, stored.lastUpdated, update.ifLastUpdated)
    await checkObject(customer, definitions, stored)
    await tx.update(customer, stored.lastUpdated)
    return customer
  })
}

export interface DeletedCustomer {
  id: string
  deleted: Record<ObjectType, number>
  ids: string[]
}

/**
 * Removes a customer and everything that belongs to it (rule 9), in one transaction: its
 * requests and activities and the comments on them, read in one query (a full scan per request
 * or activity made 20k objects take 18 s on the file store).
 */
export async function deleteCustomer(session: Session, id: string): Promise<DeletedCustomer> {
  return session.store.transaction(async (tx) => {
    const customer = await requireObject(tx, id, 'customer')
    const {items: owned} = await tx.find({where: equals('customerId', id), all: true, comments: true})
    const doomed = new Map<string, ContextObject>()
    for (const object of [customer, ...owned]) doomed.set(object.id, object)
    const deleted: Record<ObjectType, number> = {customer: 0, request: 0, activity: 0, comment: 0, feedback: 0}
    for (const object of doomed.values()) deleted[object.type]++
    await tx.remove([...doomed.keys()])
    return {id, deleted, ids: [...doomed.keys()]}
  })
}

/** `customers search`: the search language with `type:customer` added. */
/** Every customer, a page at a time, newest lastUpdated first (the `next` cursor continues). */
export async function listCustomers(session: Session, page: {limit?: number; cursor?: string | null}): Promise<Page<ContextObject>> {
  return session.store.find({where: equals('type', 'customer'), limit: page.limit, cursor: page.cursor})
}

export async function searchCustomers(session: Session, query: string, page: {limit?: number; cursor?: string | null}): Promise<Page<ContextObject>> {
  return searchObjects(session.store, query, {scope: equals('type', 'customer'), ...page})
}

export interface RecentCustomer {
  customer: ContextObject
  lastTouched: string
  action: string
  activeRequests: number
}

/** The recent list, resolved against the store: deleted customers drop out; active requests counted. */
export async function resolveRecent(
  session: Session,
  entries: readonly {id: string; at: string; action: string}[],
): Promise<{items: RecentCustomer[]; missing: string[]}> {
  const items: RecentCustomer[] = []
  const missing: string[] = []
  for (const entry of entries) {
    const customer = await session.store.get(entry.id)
    if (!customer || customer.type !== 'customer') {
      missing.push(entry.id)
      continue
    }
    items.push({customer, lastTouched: entry.at, action: entry.action, activeRequests: await activeRequestCount(session, entry.id)})
  }
  return {items, missing}
}

/** How many active requests a customer has. */
export async function activeRequestCount(session: Session, customerId: string): Promise<number> {
  return session.store.count(allOf(equals('type', 'request'), equals('customerId', customerId), equals('state', 'active')) ?? undefined)
}

export function customerFlagChanges(flags: Partial<Record<keyof typeof CUSTOMER_FLAG_FIELDS, string>>): Record<string, string | undefined> {
  const named: Record<string, string | undefined> = {}
  for (const [flag, field] of Object.entries(CUSTOMER_FLAG_FIELDS)) named[field] = flags[flag as keyof typeof CUSTOMER_FLAG_FIELDS]
  return named
}

