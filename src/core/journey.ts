// A customer's journey (README "The customer journey"): every activity, newest first, grouped under its
// request, each with its comments — the one structure behind both the timeline and --json. Paged by
// activity, newest first: a support engineer reads the latest interactions, `--all` gives the rest.
import {parseSince} from './clock.js'
import {oldestFirst, threads} from './comments.js'
import {NotFoundError, UsageError} from './errors.js'
import {customersWithContact} from './identify.js'
import {isUuid} from './ids.js'
import {mediaFilter, parseMediaType} from './activities.js'
import {type ContextObject, displayName, type MediaType} from './model.js'
import {isIdPrefix, requireObject, resolveId, type Session} from './objects.js'
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

export interface JourneyPaging {
  /** Activities per page, newest first (default JOURNEY_PAGE); ignored with `all`. */
  limit?: number
  /** The `next` of the previous page. */
  cursor?: string | null
  /** Every activity in one page. */
  all?: boolean
}

/** A page of the journey: enough to see what happened lately, short enough to read on one screen or two. */
export const JOURNEY_PAGE = 20

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
  /** The whole journey's, whichever page this is. */
  counts: {requests: number; activeRequests: number; activities: number; comments: number}
  /** Newest group first: the groups of this page's activities (on the first page, also requests without any). */
  groups: JourneyGroup[]
  /** This page's activities (all of them with `all`). */
  shown: number
  /** The cursor of the next, older page; null on the last. */
  next: string | null
}

/**
 * The journey of a customer, named by id or by an email or phone number that one customer has
 * exactly.
 */
export async function customerJourney(session: Session, customerRef: string, filters: JourneyFilters = {}, paging: JourneyPaging = {}): Promise<Journey> {
  const after = paging.cursor ? decodeJourneyCursor(paging.cursor) : null
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
  // statement, the server looking up the comments while ctx reads the activities (bench P7).
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
  const page = paging.all ? {groups: ordered, shown: activities.length, next: null} : pageOf(ordered, activities, after, paging.limit ?? JOURNEY_PAGE)
  return {
    customer,
    filters: {media: mediaTypes, since, requestId: filters.requestId ?? null},
    counts: {
      requests: shownRequests.length,
      activeRequests: shownRequests.filter((request) => request.state === 'active').length,
      activities: activities.length,
      comments: ordered.reduce((sum, group) => sum + group.comments.length + group.activities.reduce((n, entry) => n + entry.comments.length, 0), 0),
    },
    ...page,
  }
}

/**
 * The `limit` newest activities after the cursor, in their groups (kept in the whole journey's
 * order, each cut to its activities on this page). Requests without activities show on the first page.
 */
function pageOf(ordered: JourneyGroup[], activities: ContextObject[], after: ActivityPosition | null, limit: number): Pick<Journey, 'groups' | 'shown' | 'next'> {
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`a journey page holds at least one activity, not ${limit}`, {hint: 'Give --limit 1 or more, or --all.'})
  const newest = activities.filter((activity) => after === null || newestCreated(activity, {created: after.created, id: after.id} as ContextObject) > 0).sort(newestCreated)
  const onPage = new Set(newest.slice(0, limit).map((activity) => activity.id))
  const last = newest[Math.min(limit, newest.length) - 1]
  const groups = ordered.flatMap((group) => {
    const entries = group.activities.filter((entry) => onPage.has(entry.activity.id))
    if (entries.length > 0) return [{...group, activities: entries}]
    return after === null && group.activities.length === 0 ? [group] : []
  })
  return {groups, shown: onPage.size, next: newest.length > limit ? encodeJourneyCursor({created: last.created, id: last.id}) : null}
}

interface ActivityPosition {
  created: string
  id: string
}

function encodeJourneyCursor(position: ActivityPosition): string {
  return Buffer.from(JSON.stringify([position.created, position.id])).toString('base64url')
}

function decodeJourneyCursor(cursor: string): ActivityPosition {
  try {
    const [created, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof created === 'string' && typeof id === 'string') return {created, id}
  } catch {
    // reported below
  }
  throw new UsageError(`"${cursor}" is not a journey cursor`, {hint: 'Give the `next` of the previous page of this journey, or leave --cursor out.'})
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

/**
 * A customer by id, by a unique id prefix of 8 characters or more, or by an email or phone number
 * exactly one customer has. A run of digits can be both a prefix and a phone number: the prefix is
 * tried first, the phone number when no id starts with it.
 */
export async function findCustomer(reader: StoreReader, ref: string): Promise<ContextObject> {
  const text = ref.trim()
  if (isUuid(text)) return requireObject(reader, text.toLowerCase(), 'customer')
  if (isIdPrefix(text.toLowerCase()) && (await reader.idsWithPrefix(text.toLowerCase(), 1)).length > 0) {
    return requireObject(reader, await resolveId(reader, text, 'customer id'), 'customer')
  }
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
