// A customer's journey (DESIGN §2 `journey`): every activity, newest first, grouped under its
// request, each with its comments — the one structure behind both the timeline and --json.
import {parseSince} from './clock.js'
import {oldestFirst, threads} from './comments.js'
import {NotFoundError, UsageError} from './errors.js'
import {customersWithContact} from './identify.js'
import {isUuid} from './ids.js'
import {mediaFilter, parseMediaType} from './activities.js'
import {type ContextObject, displayName, type MediaType} from './model.js'
import {requireObject, type Session} from './objects.js'
import {allOf, equals, type Filter} from './search/query.js'
import type {StoreReader} from './storage/store.js'

export interface JourneyFilters {
  /** Only these media types (any of them). */
  media?: readonly string[]
  /** Only activities created at or after this: an ISO instant or date, or a span such as 7d. */
  since?: string
  /** Only this request of the customer. */
  requestId?: string
}

export interface JourneyEntry {
  activity: ContextObject
  /** Comments and feedback on the activity, oldest first. */
  comments: ContextObject[]
}

export interface JourneyGroup {
  /** The request, or null for the customer's activities outside any request. */
  request: ContextObject | null
  /** Comments on the request itself, oldest first. */
  comments: ContextObject[]
  /** Newest first. */
  activities: JourneyEntry[]
  /** The latest moment in the group: its newest activity, comment, opening or closing. */
  latest: string
}

export interface Journey {
  customer: ContextObject
  filters: {media: MediaType[]; since: string | null; requestId: string | null}
  counts: {requests: number; activeRequests: number; activities: number; comments: number}
  /** Newest group first. */
  groups: JourneyGroup[]
}

/**
 * The journey of a customer, named by id or by an email or phone number that one customer has
 * exactly.
 */
export async function customerJourney(session: Session, customerRef: string, filters: JourneyFilters = {}): Promise<Journey> {
  const reader = session.store
  const customer = await findCustomer(reader, customerRef)
  const since = filters.since === undefined ? null : parseSince(filters.since, session.clock)
  const mediaTypes = [...new Set((filters.media ?? []).map(parseMediaType))]
  const media = mediaFilter(mediaTypes)

  const activityFilter: Filter = allOf(
    equals('type', 'activity'),
    filters.requestId === undefined ? null : equals('parentId', filters.requestId),
    media,
    since === null ? null : {kind: 'range', key: 'created', op: '>=', value: since},
  )!
  let requestFilter = equals('type', 'request')
  if (filters.requestId !== undefined) {
    const request = await requireObject(reader, filters.requestId, 'request')
    if (request.customerId !== customer.id) {
      throw new NotFoundError(`request ${request.id} is not one of ${displayName(customer)}'s requests`, {
        where: request.id,
        hint: `It belongs to customer ${request.customerId}: ctx journey ${request.customerId}`,
      })
    }
    requestFilter = allOf(requestFilter, equals('id', request.id))!
  }
  // The requests, the activities and the comments on both in one read: on PostgreSQL one
  // statement, the server looking up the comments while ctx reads the activities (DESIGN §6 P7).
  const owned = await reader.find({where: allOf(equals('customerId', customer.id), {kind: 'or', children: [requestFilter, activityFilter]})!, all: true, comments: true})
  const requests: ContextObject[] = []
  const activities: ContextObject[] = []
  const notes: ContextObject[] = []
  for (const object of owned.items) (object.type === 'request' ? requests : object.type === 'activity' ? activities : notes).push(object)
  const comments = threads(notes)

  const groups = new Map<string | null, JourneyGroup>()
  const narrowed = media !== null || since !== null
  for (const request of requests) {
    // Under --media or --since, a request shows only when it has matching activities or, for
    // --since alone, when it changed in that time.
    const keep = !narrowed || (media === null && since !== null && request.lastUpdated >= since)
    if (keep) groups.set(request.id, newGroup(request, comments))
  }
  const requestsById = new Map(requests.map((request) => [request.id, request]))
  for (const activity of activities) {
    const key = activity.parentId !== undefined && requestsById.has(activity.parentId) ? activity.parentId : null
    let group = groups.get(key)
    if (!group) {
      group = newGroup(key === null ? null : requestsById.get(key)!, comments)
      groups.set(key, group)
    }
    group.activities.push({activity, comments: comments.get(activity.id) ?? []})
  }

  const ordered = [...groups.values()]
  for (const group of ordered) {
    group.activities.sort((a, b) => newestCreated(a.activity, b.activity))
    group.latest = latestOf(group)
  }
  ordered.sort((a, b) => (a.latest !== b.latest ? (a.latest < b.latest ? 1 : -1) : (a.request?.id ?? '') < (b.request?.id ?? '') ? 1 : -1))

  const shownRequests = ordered.flatMap((group) => (group.request ? [group.request] : []))
  return {
    customer,
    filters: {media: mediaTypes, since, requestId: filters.requestId ?? null},
    counts: {
      requests: shownRequests.length,
      activeRequests: shownRequests.filter((request) => request.state === 'active').length,
      activities: activities.length,
      comments: ordered.reduce((sum, group) => sum + group.comments.length + group.activities.reduce((n, entry) => n + entry.comments.length, 0), 0),
    },
    groups: ordered,
  }
}

function newGroup(request: ContextObject | null, comments: Map<string, ContextObject[]>): JourneyGroup {
  return {request, comments: request ? (comments.get(request.id) ?? []) : [], activities: [], latest: ''}
}

/** Newest created first, ties by id descending: when the interaction happened, not when it was last edited. */
function newestCreated(a: ContextObject, b: ContextObject): number {
  return -oldestFirst(a, b)
}

function latestOf(group: JourneyGroup): string {
  const moments = [
    group.request?.created,
    group.request?.closedAt,
    ...group.comments.map((comment) => comment.created),
    ...group.activities.flatMap((entry) => [entry.activity.created, ...entry.comments.map((comment) => comment.created)]),
  ].filter((moment): moment is string => moment !== undefined)
  return moments.reduce((latest, moment) => (moment > latest ? moment : latest), '')
}

/** A customer by id, or by an email or phone number exactly one customer has. */
export async function findCustomer(reader: StoreReader, ref: string): Promise<ContextObject> {
  const text = ref.trim()
  if (isUuid(text)) return requireObject(reader, text.toLowerCase(), 'customer')
  const matches = await customersWithContact(reader, text.includes('@') ? 'email' : 'phone', text)
  if (matches.length === 1) return matches[0]
  if (matches.length === 0) {
    throw new NotFoundError(`no customer has the id, email or phone "${ref}"`, {where: ref, hint: `Search for them: ctx customers search ${JSON.stringify(ref)}`})
  }
  throw new UsageError(`${matches.length} customers have "${ref}"; name one by id`, {
    where: ref,
    hint: matches.slice(0, 5).map((customer) => `${customer.id}  ${displayName(customer)}`).join('\n'),
    details: {ids: matches.map((customer) => customer.id)},
  })
}
