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
import type {ObjectOutline, StoreReader} from './storage/store.js'

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
  const after = paging.cursor && !paging.all ? decodeJourneyCursor(paging.cursor) : null
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
  // The outline of the requests, the activities and the comments on both (on PostgreSQL one
  // statement of ids and times) decides the counts, the groups' order and the page; then only what
  // the page shows is read whole, in one more read: 20 of a customer's 10k activities (bench P7).
  const outline = await reader.outline(allOf(equals('customerId', customer.id), {kind: 'or', children: [requestFilter, activityFilter]})!)
  const requestIds: string[] = []
  const activities: ObjectOutline[] = []
  const notes: ObjectOutline[] = []
  for (const placed of outline) {
    if (placed.type === 'request') requestIds.push(placed.id)
    else (placed.type === 'activity' ? activities : notes).push(placed)
  }
  const comments = threads(notes)
  const page = paging.all ? {activities, next: null} : pageOf(activities, after, paging.limit ?? JOURNEY_PAGE)
  const commentIds = (ids: readonly string[]) => ids.flatMap((id) => (comments.get(id) ?? []).map((comment) => comment.id))
  const onPage = page.activities.map((activity) => activity.id)
  // Every request whole: their state, closing and changes decide which groups show and in what order.
  const whole = new Map((await reader.getMany([...requestIds, ...commentIds(requestIds), ...onPage, ...commentIds(onPage)])).map((object) => [object.id, object]))
  const read = (outlines: readonly ObjectOutline[] | undefined) => (outlines ?? []).flatMap((placed) => whole.get(placed.id) ?? [])

  // A request removed since the outline was read is left out, its activities shown outside any request.
  const requests = requestIds.flatMap((id) => whole.get(id) ?? [])
  const requestsById = new Map(requests.map((request) => [request.id, request]))
  const groups = new Map<string | null, Outlined>()
  const narrowed = media !== null || since !== null
  for (const request of requests) {
    // Under --media or --since, a request shows only when it has matching activities or, for
    // --since alone, when it changed in that time.
    const keep = !narrowed || (media === null && since !== null && request.lastUpdated >= since)
    if (keep) groups.set(request.id, outlined(request, comments))
  }
  for (const activity of activities) {
    const key = activity.parentId !== undefined && requestsById.has(activity.parentId) ? activity.parentId : null
    let group = groups.get(key)
    if (!group) {
      group = outlined(key === null ? null : requestsById.get(key)!, comments)
      groups.set(key, group)
    }
    group.activities.push(activity)
  }
  const ordered = [...groups.values()]
  for (const group of ordered) group.latest = latestOf(group, comments)
  ordered.sort((a, b) => (a.latest !== b.latest ? (a.latest < b.latest ? 1 : -1) : (a.request?.id ?? '') < (b.request?.id ?? '') ? 1 : -1))

  // The page's activities in their groups, kept in the whole journey's order; requests without
  // activities show on the first page.
  const shown = new Set(onPage)
  const pageGroups = ordered.flatMap((group): JourneyGroup[] => {
    const entries = group.activities
      .filter((activity) => shown.has(activity.id))
      .sort(newestCreated)
      .flatMap((placed) => {
        const activity = whole.get(placed.id)
        return activity ? [{activity, comments: read(comments.get(placed.id))}] : []
      })
    if (entries.length === 0 && (after !== null || group.activities.length > 0)) return []
    return [{request: group.request, comments: read(group.comments), activities: entries, latest: group.latest}]
  })
  const shownRequests = ordered.flatMap((group) => (group.request ? [group.request] : []))
  return {
    customer,
    filters: {media: mediaTypes, since, requestId: filters.requestId ?? null},
    counts: {
      requests: shownRequests.length,
      activeRequests: shownRequests.filter((request) => request.state === 'active').length,
      activities: activities.length,
      comments: ordered.reduce((sum, group) => sum + group.comments.length + group.activities.reduce((n, activity) => n + (comments.get(activity.id)?.length ?? 0), 0), 0),
    },
    groups: pageGroups,
    shown: onPage.length,
    next: page.next,
  }
}

/** A group of the whole journey in outline: its request whole, its activities and comments as outlines. */
interface Outlined {
  request: ContextObject | null
  comments: ObjectOutline[]
  activities: ObjectOutline[]
  latest: string
}

function outlined(request: ContextObject | null, comments: Map<string, ObjectOutline[]>): Outlined {
  return {request, comments: request ? (comments.get(request.id) ?? []) : [], activities: [], latest: ''}
}

/** The `limit` newest activities after the cursor, and the cursor after them (null on the last page). */
function pageOf(activities: readonly ObjectOutline[], after: ActivityPosition | null, limit: number): {activities: ObjectOutline[]; next: string | null} {
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`a journey page holds at least one activity, not ${limit}`, {hint: 'Give --limit 1 or more, or --all.'})
  const newest = activities.filter((activity) => after === null || newestCreated(activity, after) > 0).sort(newestCreated)
  const page = newest.slice(0, limit)
  const last = page.at(-1)
  return {activities: page, next: newest.length > limit && last ? encodeJourneyCursor({created: last.created, id: last.id}) : null}
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

/** Newest created first, ties by id descending: when the interaction happened, not when it was last edited. */
function newestCreated(a: ActivityPosition, b: ActivityPosition): number {
  return -oldestFirst(a, b)
}

/** The latest moment of a group over the whole journey: its newest activity, comment, opening or closing. */
function latestOf(group: Outlined, comments: Map<string, ObjectOutline[]>): string {
  let latest = ''
  const see = (moment: string | undefined) => {
    if (moment !== undefined && moment > latest) latest = moment
  }
  see(group.request?.created)
  see(group.request?.closedAt)
  for (const comment of group.comments) see(comment.created)
  for (const activity of group.activities) {
    see(activity.created)
    for (const comment of comments.get(activity.id) ?? []) see(comment.created)
  }
  return latest
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
