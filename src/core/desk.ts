// The rules of the agent desk (`ctx desk`) that need no terminal: what a screen pop records, and
// which customers are "open" at an operator's desk. Every change the desk makes goes through the
// functions of the commands (activities, requests, comments, customers); this module only decides.
//
// Open customers: a customer is open at an operator's desk while an interaction the operator took
// there (a screen pop) is unfinished — its activity is still outside any request, or the request it
// was filed under is still active. Filing and closing the request, the sweep closing it, the
// activity or customer being deleted, or the operator marking the customer done ends it. The
// interactions are kept per store and operator beside the recent list (desk.json in the config
// directory), so they outlive a desk session; what is open is read from the store each time.
import {parseMediaType} from './activities.js'
import {SOURCE_FIELDS, type SourceContact} from './identify.js'
import {type ContextObject, type MediaType} from './model.js'
import type {DataChanges, Session} from './objects.js'
import {changeStoreList, readStoreList} from './recent.js'

/** The media type of a screen pop: as given, else voice for a phone number, email for an address. */
export function popMediaType(contact: SourceContact, media?: string): MediaType {
  if (media !== undefined) return parseMediaType(media)
  return contact.phone !== undefined && contact.email === undefined ? 'voice' : 'email'
}

/** The source fields of a screen pop's activity. */
export function sourceChanges(contact: SourceContact): DataChanges {
  const changes: DataChanges = {}
  if (contact.name !== undefined) changes[SOURCE_FIELDS.name] = contact.name
  if (contact.email !== undefined) changes[SOURCE_FIELDS.email] = contact.email
  if (contact.phone !== undefined) changes[SOURCE_FIELDS.phone] = contact.phone
  return changes
}

/** An interaction taken at the desk. */
export interface DeskEntry {
  activityId: string
  operator: string
  at: string
}

export interface OpenCustomer {
  customer: ContextObject
  /** Desk interactions of this customer not yet filed under a request. */
  unfiled: number
  /** Desk interactions of this customer filed under a request that is still active. */
  filed: number
  /** The latest desk interaction. */
  at: string
}

export async function deskEntries(path: string, location: string, operator: string): Promise<DeskEntry[]> {
  return (await readStoreList<DeskEntry>(path, location)).filter((entry) => entry.operator === operator)
}

export async function rememberInteraction(path: string, location: string, entry: DeskEntry): Promise<void> {
  await changeStoreList<DeskEntry>(path, location, (entries) => [
    entry,
    ...entries.filter((other) => other.activityId !== entry.activityId || other.operator !== entry.operator),
  ])
}

/** Drops the operator's entries of these activities (finished, gone, or marked done). */
export async function forgetInteractions(path: string, location: string, operator: string, activityIds: readonly string[]): Promise<void> {
  if (activityIds.length === 0) return
  await changeStoreList<DeskEntry>(path, location, (entries) =>
    entries.filter((entry) => entry.operator !== operator || !activityIds.includes(entry.activityId)),
  )
}

/**
 * The open customers of these desk entries, latest interaction first, read from the store: an
 * activity moved to another customer makes that customer open. `finished` lists the entries that
 * no longer keep anyone open (to be forgotten); `activities` maps each open customer's id to its
 * open interactions.
 */
export async function openCustomers(
  session: Session,
  entries: readonly DeskEntry[],
): Promise<{items: OpenCustomer[]; finished: string[]; activities: Map<string, string[]>}> {
  const byCustomer = new Map<string, OpenCustomer>()
  const activities = new Map<string, string[]>()
  const finished: string[] = []
  for (const entry of entries) {
    const activity = await session.store.get(entry.activityId)
    const request = activity?.parentId === undefined ? null : await session.store.get(activity.parentId)
    const customer = activity?.customerId === undefined ? null : await session.store.get(activity.customerId)
    if (!activity || activity.type !== 'activity' || !customer || request?.state === 'closed') {
      finished.push(entry.activityId)
      continue
    }
    const open = byCustomer.get(customer.id) ?? {customer, unfiled: 0, filed: 0, at: entry.at}
    if (request) open.filed++
    else open.unfiled++
    if (entry.at > open.at) open.at = entry.at
    byCustomer.set(customer.id, open)
    activities.set(customer.id, [...(activities.get(customer.id) ?? []), activity.id])
  }
  const items = [...byCustomer.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  return {items, finished, activities}
}
