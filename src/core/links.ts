// rules 1 and 2 at the level of links: who an object may point at, and that nothing new
// goes under a closed request. Used by every path that writes an object: commands, import, migrate.
import {ConflictError, InvalidDataError, NotFoundError} from './errors.js'
import type {ContextObject} from './model.js'
import type {StoreReader} from './storage/store.js'

export interface LinkOptions {
  /**
   * Accept a parent request that is closed. Only for restoring history (import, migrate), where a
   * closed request's activities arrive after it; never for new work.
   */
  allowClosed?: boolean
}

export interface ResolvedLinks {
  customer: ContextObject | null
  /** The request the object is under (its parent, or its parent activity's request). */
  request: ContextObject | null
  parent: ContextObject | null
}

/**
 * Checks an object's customerId and parentId against the store and returns what they point at.
 * An activity under a request takes the request's customer when it names none (rule 1): the
 * returned object carries the filled-in customerId.
 */
export async function resolveLinks(
  reader: StoreReader,
  object: ContextObject,
  options: LinkOptions = {},
): Promise<{object: ContextObject; links: ResolvedLinks}> {
  const links: ResolvedLinks = {customer: null, request: null, parent: null}
  let resolved = object

  if (object.parentId !== undefined) {
    const parent = await linked(reader, object, 'parentId', object.parentId)
    links.parent = parent
    const allowed: Record<string, string[]> = {activity: ['request'], comment: ['request', 'activity'], feedback: ['request', 'activity']}
    if (!allowed[object.type]?.includes(parent.type)) {
      throw new InvalidDataError(`a ${object.type} cannot be under a ${parent.type} (${parent.id})`, {where: object.id})
    }
    links.request = parent.type === 'request' ? parent : parent.parentId ? await reader.get(parent.parentId) : null
  } else if (object.type === 'comment' || object.type === 'feedback') {
    throw new InvalidDataError(`a ${object.type} needs a parentId: the request or activity it is about`, {where: object.id})
  }

  if (object.type === 'activity' && links.request) {
    const owner = links.request.customerId
    if (object.customerId !== undefined && object.customerId !== owner) {
      throw new InvalidDataError(
        `activity ${object.id} names customer ${object.customerId}, but its request ${links.request.id} belongs to customer ${owner}`,
        {where: object.id, hint: 'An activity in a request belongs to the request’s customer; leave the customer out or name that one.'},
      )
    }
    resolved = {...object, customerId: owner}
  }

  if (resolved.customerId !== undefined) {
    const customer = await linked(reader, object, 'customerId', resolved.customerId)
    if (customer.type !== 'customer') {
      throw new InvalidDataError(`customerId ${customer.id} of ${object.type} ${object.id} is a ${customer.type}, not a customer`, {where: object.id})
    }
    links.customer = customer
  } else if (object.type === 'request') {
    throw new InvalidDataError(`request ${object.id} needs a customerId: a request belongs to exactly one customer`, {where: object.id})
  }

  if (!options.allowClosed && links.request?.state === 'closed') throw closedRequest(links.request, `add ${/^[aeiou]/.test(object.type) ? 'an' : 'a'} ${object.type} to it`)
  return {object: resolved, links}
}

export function closedRequest(request: ContextObject, action: string): ConflictError {
  return new ConflictError(`request ${request.id} is closed${request.closedAt ? ` (since ${request.closedAt})` : ''}; cannot ${action}`, {
    where: request.id,
    hint: 'A closed request and everything under it are read-only. Open a new request instead.',
  })
}

async function linked(reader: StoreReader, object: ContextObject, key: 'customerId' | 'parentId', id: string): Promise<ContextObject> {
  const target = await reader.get(id)
  if (!target) throw new NotFoundError(`${key} ${id} of ${object.type} ${object.id} does not exist`, {where: id})
  return target
}
