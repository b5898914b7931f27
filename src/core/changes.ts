// What every write to an existing object goes through: rule 2 (comments and feedback never
// change; nothing in or under a closed request does), rule 4 (optimistic concurrency), and rule 3's
// bookkeeping (work under a request counts as an update of the request).
import type {Clock} from './clock.js'
import {ConflictError} from './errors.js'
import {closedRequest} from './links.js'
import type {ContextObject, ObjectType} from './model.js'
import {nextTimestamp, requireObject} from './objects.js'
import type {StoreReader, StoreWriter} from './storage/store.js'

/**
 * An object that is about to change, with the request it is under, after rule 2: comments
 * and feedback never change (conflict), and nothing in or under a closed request does (conflict).
 * A missing object, or one of another type, is not found.
 */
export async function requireChangeable(
  reader: StoreReader,
  id: string,
  type: ObjectType,
  action: string,
): Promise<{object: ContextObject; request: ContextObject | null}> {
  const object = await reader.get(id)
  if (object && (object.type === 'comment' || object.type === 'feedback')) throw immutable(object)
  if (!object || object.type !== type) return {object: await requireObject(reader, id, type), request: null}
  const request = await requestOf(reader, object)
  if (request?.state === 'closed') throw closedRequest(request, request.id === object.id ? action : `${action}: it is under that request`)
  return {object, request}
}

/** The request an object is, or is under (an activity's parent, a comment's request). */
export async function requestOf(reader: StoreReader, object: ContextObject): Promise<ContextObject | null> {
  if (object.type === 'request') return object
  if (object.parentId === undefined) return null
  const parent = await reader.get(object.parentId)
  if (!parent) return null
  return parent.type === 'request' ? parent : requestOf(reader, parent)
}

export function immutable(object: ContextObject): ConflictError {
  return new ConflictError(`${object.type} ${object.id} cannot be changed: comments and feedback are immutable once created`, {
    where: object.id,
    hint: 'Add another comment instead: ctx activities comment ID --text ...',
  })
}

/**
 * Counts a change under a request as an update of the request (rules 3 and 5): its
 * lastUpdated moves to now, so the auto-close sweep sees the work done in it.
 */
export async function touchRequest(tx: StoreWriter, request: ContextObject | null, clock: Clock): Promise<ContextObject | null> {
  if (!request) return null
  const current = (await tx.get(request.id)) ?? request
  const touched = {...current, lastUpdated: nextTimestamp(clock, current.lastUpdated)}
  await tx.update(touched, current.lastUpdated)
  return touched
}
