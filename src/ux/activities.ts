// Human views of requests and activities: list tables, and the sentences that say what `activities
// add` and `activities move` did (which customer an activity went to, and how it was found).
import type {ActivityCustomer, AddedActivity, MovedActivity, Placement} from '../core/activities.js'
import type {ContextObject} from '../core/model.js'
import {mediaLabel} from './journey.js'
import {formatList, type ListOptions, stdoutShape} from './list.js'
import {color, objectTitle} from './render.js'
import {relativeTime} from './time.js'

export function requestState(request: ContextObject): string {
  return request.state === 'closed' ? color.dim(`closed${request.closeReason ? ` (${request.closeReason})` : ''}`) : color.green('active')
}

export function requestListTable(requests: readonly ContextObject[], now: Date, withCustomer: boolean, options: ListOptions = {}): string {
  const head = ['Id', 'Title', 'State', ...(withCustomer ? ['Customer'] : []), 'Opened', 'Last updated']
  const rows: string[][] = []
  for (const request of requests) {
    rows.push([
      request.id,
      objectTitle(request),
      requestState(request),
      ...(withCustomer ? [request.customerId ?? ''] : []),
      relativeTime(request.created, now),
      relativeTime(request.lastUpdated, now),
    ])
  }
  return formatList(head, rows, options, stdoutShape())
}

export function activityListTable(activities: readonly ContextObject[], now: Date, options: ListOptions = {}): string {
  const head = ['Id', 'Media', 'When', 'Tags', 'Notes']
  const rows = activities.map((activity) => [activity.id, mediaLabel(activity.mediaType), relativeTime(activity.created, now), (activity.tags ?? []).join(', '), objectTitle(activity)])
  return formatList(head, rows, options, stdoutShape())
}

/** How the customer of a new activity was found, in words. */
export function identificationText(customer: ActivityCustomer): string {
  const name = color.bold(customer.displayName)
  switch (customer.identifiedBy) {
    case 'given':
      return `for ${name}`
    case 'request':
      return `for ${name}, the request's customer`
    case 'email':
    case 'phone': {
      const shared = (customer.matches ?? 1) > 1 ? ` (${customer.matches} customers have it; took the most recently updated)` : ''
      return `for ${name}, matched by ${customer.identifiedBy} ${customer.matchedValue}${shared}`
    }
    case 'created':
      return `for ${name}, ${color.yellow('a new customer')} made from the source fields (no customer has that email or phone): ${customer.id}`
  }
}

export function addedSentence(added: AddedActivity): string {
  const {activity} = added
  const where = activity.parentId ? ` in request ${activity.parentId}` : ''
  return `Added ${activity.mediaType} activity ${activity.id}${where} ${identificationText(added.customer)}.`
}

function placementText(placement: Placement): string {
  const who = placement.customerId ? `customer ${placement.customerId}` : 'no customer'
  return `${who}, ${placement.requestId ? `request ${placement.requestId}` : 'no request'}`
}

export function movedSentence(moved: MovedActivity): string {
  if (!moved.moved) return `Activity ${moved.activity.id} already belongs to ${placementText(moved.to)}; nothing moved.`
  return [
    `Moved activity ${moved.activity.id}`,
    `  from ${placementText(moved.from)}`,
    `  to   ${placementText(moved.to)}`,
    `A system comment records the move: ${moved.comment?.id}`,
  ].join('\n')
}
