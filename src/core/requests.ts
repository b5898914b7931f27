// Requests: open, show, list, update and close. A request belongs to exactly one customer (rule 1)
// and, once closed, never changes again (rule 2).
import {requireChangeable} from './changes.js'
import {InvalidDataError, UsageError} from './errors.js'
import {newId} from './ids.js'
import {customerJourney, type JourneyGroup} from './journey.js'
import {resolveLinks} from './links.js'
import {BASE_FIELDSET, type ContextObject, type RequestState} from './model.js'
import {applyChanges, checkObject, type DataChanges, nextTimestamp, requireObject, type Session} from './objects.js'
import {allOf, equals} from './search/query.js'
import {searchObjects} from './search/search.js'
import {checkLastUpdated} from './storage/refusals.js'
import type {Page} from './storage/store.js'

/** The named flags of `requests open/update` and the fields they set. */
export const REQUEST_FLAG_FIELDS = {title: 'Context_Title', description: 'Context_Description'} as const

export const REQUEST_STATES: readonly RequestState[] = ['active', 'closed']

export interface RequestInput {
  customerId: string
  changes: DataChanges
  fieldsets?: string[]
  externalId?: string
}

export async function openRequest(session: Session, input: RequestInput): Promise<ContextObject> {
  return session.store.transaction(async (tx) => {
    const definitions = await tx.definitions()
    await requireObject(tx, input.customerId, 'customer')
    const now = nextTimestamp(session.clock)
    const draft: ContextObject = {
      id: newId(),
      type: 'request',
      customerId: input.customerId,
      state: 'active',
      fieldsets: input.fieldsets ?? [BASE_FIELDSET.request],
      data: applyChanges({}, input.changes),
      ...(input.externalId === undefined ? {} : {externalId: input.externalId}),
      created: now,
      lastUpdated: now,
    }
    requireTitle(draft)
    const {object: request} = await resolveLinks(tx, draft)
    await checkObject(request, definitions)
    await tx.insert([request])
    return request
  })
}

export interface ShownRequest {
  request: ContextObject
  /** Its activities (newest first) with their comments, and its own comments: the journey of one request. */
  timeline: JourneyGroup
}

export async function showRequest(session: Session, id: string): Promise<ShownRequest> {
  const request = await requireObject(session.store, id, 'request')
  const journey = await customerJourney(session, request.customerId!, {requestId: id}, {all: true})
  return {request, timeline: journey.groups[0]}
}

export interface RequestFilters {
  customerId?: string
  state?: RequestState
  query?: string
  limit?: number
  cursor?: string | null
}

/** Requests newest lastUpdated first, filtered by customer, state and the search language. */
export async function listRequests(session: Session, filters: RequestFilters): Promise<Page<ContextObject>> {
  if (filters.customerId !== undefined) await requireObject(session.store, filters.customerId, 'customer')
  const scope = allOf(
    equals('type', 'request'),
    filters.customerId === undefined ? null : equals('customerId', filters.customerId),
    filters.state === undefined ? null : equals('state', filters.state),
  )
  return searchObjects(session.store, filters.query, {scope, limit: filters.limit, cursor: filters.cursor})
}

export interface RequestUpdate {
  changes: DataChanges
  fieldsets?: string[]
  ifLastUpdated?: string
}

export async function updateRequest(session: Session, id: string, update: RequestUpdate): Promise<ContextObject> {
  if (Object.keys(update.changes).length === 0 && update.fieldsets === undefined) {
    throw new UsageError('nothing to change', {hint: 'Give --title, --description, --field or --fieldset.'})
  }
  return session.store.transaction(async (tx) => {
    const {object: stored} = await requireChangeable(tx, id, 'request', 'edit it')
    checkLastUpdated(stored, stored.lastUpdated, update.ifLastUpdated)
    const request: ContextObject = {
      ...stored,
      fieldsets: update.fieldsets ?? stored.fieldsets,
      data: applyChanges(stored.data, update.changes),
      lastUpdated: nextTimestamp(session.clock, stored.lastUpdated),
    }
    requireTitle(request)
    await checkObject(request, await tx.definitions(), stored)
    await tx.update(request, stored.lastUpdated)
    return request
  })
}

/** Closes an active request by hand: closedAt now, closeReason manual. A closed one stays as it is. */
export async function closeRequest(session: Session, id: string, options: {ifLastUpdated?: string} = {}): Promise<ContextObject> {
  return session.store.transaction(async (tx) => {
    const {object: stored} = await requireChangeable(tx, id, 'request', 'close it again')
    checkLastUpdated(stored, stored.lastUpdated, options.ifLastUpdated)
    const now = nextTimestamp(session.clock, stored.lastUpdated)
    const request: ContextObject = {...stored, state: 'closed', closedAt: now, closeReason: 'manual', lastUpdated: now}
    await tx.update(request, stored.lastUpdated)
    return request
  })
}

function requireTitle(request: ContextObject): void {
  const title = request.data.Context_Title
  if (typeof title !== 'string' || title.trim() === '') {
    throw new InvalidDataError(`request ${request.id} needs a title (Context_Title)`, {where: 'Context_Title', hint: 'Give --title.'})
  }
}
