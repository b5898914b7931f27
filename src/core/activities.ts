// Activities: the pieces of data a contact centre records about each interaction. Adding one finds
// its customer (rule 6), links it (rule 1), never under a closed request (rule 2); moving one
// leaves an immutable system comment and counts as an update of both requests (rule 5).
import {commentsOn, insertComment, SYSTEM_AUTHOR, SYSTEM_TAG} from './comments.js'
import {InvalidDataError, UsageError} from './errors.js'
import {newId} from './ids.js'
import {hasContact, type IdentifiedBy, identifyCustomer, type Identification, sourceContact} from './identify.js'
import {resolveLinks} from './links.js'
import {BASE_FIELDSET, type ContextObject, displayName, isMediaType, MEDIA_TYPES, type MediaType} from './model.js'
import {applyChanges, checkObject, type DataChanges, nextTimestamp, requireObject, type Session} from './objects.js'
import {requireChangeable, touchRequest} from './changes.js'
import {allOf, equals, type Filter} from './search/query.js'
import {searchObjects} from './search/search.js'
import {checkLastUpdated} from './storage/refusals.js'
import type {Page} from './storage/store.js'

/** The named flags of `activities add/update` and the fields they set. */
export const ACTIVITY_FLAG_FIELDS = {notes: 'Context_Notes'} as const

export const MAX_TAG_LENGTH = 64

/** A media type from the command line, case-insensitive; anything else is a usage error (exit 2). */
export function parseMediaType(text: string): MediaType {
  const media = text.trim().toLowerCase()
  if (isMediaType(media)) return media
  throw new UsageError(`unknown media type "${text}"`, {where: '--media', hint: `Use one of ${MEDIA_TYPES.join(', ')}.`})
}

/** Tags trimmed and de-duplicated (first spelling kept); an empty or overlong tag is a usage error. */
export function parseTags(tags: readonly string[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of tags) {
    const tag = raw.trim()
    if (tag === '') throw new UsageError('a tag cannot be empty', {where: '--tag'})
    if (tag.length > MAX_TAG_LENGTH) throw new UsageError(`tag "${tag.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters`, {where: '--tag'})
    const key = tag.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(tag)
  }
  return out
}

export interface ActivityInput {
  mediaType: string
  customerId?: string
  requestId?: string
  tags?: readonly string[]
  changes: DataChanges
  fieldsets?: string[]
  externalId?: string
}

export interface ActivityCustomer {
  id: string
  displayName: string
  /** given (--customer), request (the request's customer), email / phone (matched), created. */
  identifiedBy: IdentifiedBy
  matchedValue?: string
  /** How many customers matched; the most recently updated one was taken. */
  matches?: number
}

export interface AddedActivity {
  activity: ContextObject
  customer: ActivityCustomer
}

export async function addActivity(session: Session, input: ActivityInput): Promise<AddedActivity> {
  const mediaType = parseMediaType(input.mediaType)
  const tags = parseTags(input.tags ?? [])
  return session.store.transaction(async (tx) => {
    const definitions = await tx.definitions()
    const data = applyChanges({}, input.changes)
    const request = input.requestId === undefined ? null : await requireObject(tx, input.requestId, 'request')
    let identification: Identification
    if (input.customerId !== undefined) {
      identification = {customer: await requireObject(tx, input.customerId, 'customer'), by: 'given'}
    } else if (request) {
      identification = {customer: await requireObject(tx, request.customerId!, 'customer'), by: 'request'}
    } else {
      const contact = sourceContact(data)
      if (!hasContact(contact)) {
        throw new UsageError('an activity needs a customer', {
          hint: 'Give --customer, --request, or source fields (--field Context_POD_Source_Email=…, _Phone=…, _Cust_Name=…) to find or create one.',
        })
      }
      identification = await identifyCustomer(tx, contact, session.clock)
    }
    const now = nextTimestamp(session.clock)
    const {object: activity, links} = await resolveLinks(tx, {
      id: newId(),
      type: 'activity',
      customerId: identification.customer.id,
      ...(request ? {parentId: request.id} : {}),
      mediaType,
      tags,
      fieldsets: input.fieldsets ?? [BASE_FIELDSET.activity],
      data,
      ...(input.externalId === undefined ? {} : {externalId: input.externalId}),
      created: now,
      lastUpdated: now,
    })
    await checkObject(activity, definitions)
    await tx.insert([activity])
    await touchRequest(tx, links.request, session.clock)
    return {activity, customer: describeCustomer(identification)}
  })
}

function describeCustomer(identification: Identification): ActivityCustomer {
  return {
    id: identification.customer.id,
    displayName: displayName(identification.customer),
    identifiedBy: identification.by,
    ...(identification.value === undefined ? {} : {matchedValue: identification.value}),
    ...(identification.matches === undefined ? {} : {matches: identification.matches}),
  }
}

export interface ShownActivity {
  activity: ContextObject
  /** Comments and feedback on it, oldest first. */
  comments: ContextObject[]
}

export async function showActivity(session: Session, id: string): Promise<ShownActivity> {
  const activity = await requireObject(session.store, id, 'activity')
  return {activity, comments: (await commentsOn(session.store, [id])).get(id) ?? []}
}

export interface ActivityFilters {
  customerId?: string
  requestId?: string
  media?: readonly string[]
  tags?: readonly string[]
  query?: string
  limit?: number
  cursor?: string | null
}

/** Activities newest lastUpdated first, filtered by customer, request, media, tags and a query. */
export async function listActivities(session: Session, filters: ActivityFilters): Promise<Page<ContextObject>> {
  if (filters.customerId !== undefined) await requireObject(session.store, filters.customerId, 'customer')
  if (filters.requestId !== undefined) await requireObject(session.store, filters.requestId, 'request')
  const scope = allOf(
    equals('type', 'activity'),
    filters.customerId === undefined ? null : equals('customerId', filters.customerId),
    filters.requestId === undefined ? null : equals('parentId', filters.requestId),
    mediaFilter(filters.media),
    ...parseTags(filters.tags ?? []).map((tag) => equals('tags', tag.toLowerCase())),
  )
  return searchObjects(session.store, filters.query, {scope, limit: filters.limit, cursor: filters.cursor})
}

/** Any of the media types given (none: no filter). */
export function mediaFilter(media: readonly string[] | undefined): Filter | null {
  const types = [...new Set((media ?? []).map(parseMediaType))]
  if (types.length === 0) return null
  return types.length === 1 ? equals('mediaType', types[0]) : {kind: 'or', children: types.map((type) => equals('mediaType', type))}
}

export interface ActivityUpdate {
  changes: DataChanges
  /** Replaces the tags when given. */
  tags?: readonly string[]
  fieldsets?: string[]
  ifLastUpdated?: string
}

export async function updateActivity(session: Session, id: string, update: ActivityUpdate): Promise<ContextObject> {
  if (Object.keys(update.changes).length === 0 && update.tags === undefined && update.fieldsets === undefined) {
    throw new UsageError('nothing to change', {hint: 'Give --notes, --tag, --field or --fieldset.'})
  }
  const tags = update.tags === undefined ? undefined : parseTags(update.tags)
  return session.store.transaction(async (tx) => {
    const {object: stored, request} = await requireChangeable(tx, id, 'activity', 'edit the activity')
    checkLastUpdated(stored, stored.lastUpdated, update.ifLastUpdated)
    const activity: ContextObject = {
      ...stored,
      ...(tags === undefined ? {} : {tags}),
      fieldsets: update.fieldsets ?? stored.fieldsets,
      data: applyChanges(stored.data, update.changes),
      lastUpdated: nextTimestamp(session.clock, stored.lastUpdated),
    }
    await checkObject(activity, await tx.definitions(), stored)
    await tx.update(activity, stored.lastUpdated)
    await touchRequest(tx, request, session.clock)
    return activity
  })
}

export interface Placement {
  customerId: string | null
  requestId: string | null
}

export interface MovedActivity {
  /** False when the activity already was where it was asked to go: nothing changed. */
  moved: boolean
  activity: ContextObject
  from: Placement
  to: Placement
  /** The system comment recording the move; null when nothing moved. */
  comment: ContextObject | null
}

export interface MoveTarget {
  toCustomerId: string
  toRequestId?: string
  ifLastUpdated?: string
}

/**
 * rule 5: moves an activity to another customer, and optionally into one of that
 * customer's active requests. Neither the request it leaves nor the one it enters may be closed.
 */
export async function moveActivity(session: Session, id: string, target: MoveTarget): Promise<MovedActivity> {
  return session.store.transaction(async (tx) => {
    const {object: stored, request: fromRequest} = await requireChangeable(tx, id, 'activity', 'move the activity out of it')
    checkLastUpdated(stored, stored.lastUpdated, target.ifLastUpdated)
    const toCustomer = await requireObject(tx, target.toCustomerId, 'customer')
    const toRequest = target.toRequestId === undefined ? null : await requireObject(tx, target.toRequestId, 'request')
    if (toRequest && toRequest.customerId !== toCustomer.id) {
      throw new InvalidDataError(`request ${toRequest.id} belongs to customer ${toRequest.customerId}, not to ${toCustomer.id}`, {
        where: toRequest.id,
        hint: 'An activity moves into a request of the customer it moves to (rule 1). List that customer’s requests: ctx requests list --customer ID',
      })
    }
    const from: Placement = {customerId: stored.customerId ?? null, requestId: fromRequest?.id ?? null}
    const to: Placement = {customerId: toCustomer.id, requestId: toRequest?.id ?? null}
    if (from.customerId === to.customerId && from.requestId === to.requestId) return {moved: false, activity: stored, from, to, comment: null}

    const {parentId: _old, ...rest} = stored
    const {object: activity} = await resolveLinks(tx, {
      ...rest,
      customerId: toCustomer.id,
      ...(toRequest ? {parentId: toRequest.id} : {}),
      lastUpdated: nextTimestamp(session.clock, stored.lastUpdated),
    })
    await tx.update(activity, stored.lastUpdated)
    await touchRequest(tx, fromRequest, session.clock)
    const fromCustomer = from.customerId === null ? null : await tx.get(from.customerId)
    const text = moveText(session.actor, activity.lastUpdated, {customer: fromCustomer, request: fromRequest}, {customer: toCustomer, request: toRequest})
    // insertComment touches the request the activity is now under: the one it moved into.
    const comment = await insertComment(tx, session.clock, {parent: activity, text, author: SYSTEM_AUTHOR, tags: [SYSTEM_TAG]})
    return {moved: true, activity, from, to, comment}
  })
}

interface Place {
  customer: ContextObject | null
  request: ContextObject | null
}

/** The text of the system comment of a move: who, when, from where, to where (names and ids). */
export function moveText(actor: string, at: string, from: Place, to: Place): string {
  const customer = (object: ContextObject | null) => (object ? `customer ${displayName(object)} (${object.id})` : 'no customer')
  const request = (object: ContextObject | null) => (object ? `request "${object.data.Context_Title ?? ''}" (${object.id})` : 'no request')
  if (from.customer?.id === to.customer?.id) {
    return `Moved by ${actor} at ${at} within ${customer(to.customer)}: from ${request(from.request)} to ${request(to.request)}.`
  }
  return `Moved by ${actor} at ${at} from ${customer(from.customer)}, ${request(from.request)} to ${customer(to.customer)}, ${request(to.request)}.`
}
