// What the desk's screens show, as lines that fit the terminal's width: a customer in one line, a
// request in one line, an activity in one line, and a customer's page (details, active requests,
// the journey newest first) cut to the rows it may take.
import type {JourneyGroup, Journey} from '../../core/journey.js'
import {type ContextObject, displayName} from '../../core/model.js'
import {mediaLabel} from '../journey.js'
import {color, objectTitle} from '../render.js'
import {relativeTime} from '../time.js'

const CONTACT_FIELDS = ['Context_Work_Email', 'Context_Home_Email', 'Context_Work_Phone', 'Context_Mobile_Phone', 'Context_Home_Phone']

/** A customer's email and phone numbers, each once. */
export function contacts(customer: ContextObject): string[] {
  const values = CONTACT_FIELDS.map((key) => customer.data[key]).filter((value): value is string => typeof value === 'string' && value.trim() !== '')
  return [...new Set(values.map((value) => value.trim()))]
}

/** Plain text cut to `width` characters, with an ellipsis when cut. */
export function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`
}

/**
 * "Ada Lovelace · ada@example.com · +44 20 7946 0000 · 2 active requests", dropping contacts from
 * the end (then cutting) to fit `width`; `extra` ("1 unfiled") is kept.
 */
export function customerLine(customer: ContextObject, activeRequests: number, width: number, extra?: string): string {
  const requests = activeRequests === 0 ? [] : [`${activeRequests} active request${activeRequests === 1 ? '' : 's'}`]
  const all = contacts(customer).slice(0, 2)
  for (let kept = all.length; kept >= 0; kept--) {
    const line = [displayName(customer), ...all.slice(0, kept), ...requests, ...(extra ? [extra] : [])].join(' · ')
    if (line.length <= width || kept === 0) return fit(line, width)
  }
  return ''
}

/** "Router resets nightly · active · opened 2 hours ago" */
export function requestLine(request: ContextObject, now: Date, width: number): string {
  const state = request.state === 'closed' ? 'closed' : 'active'
  return fit(`${String(request.data.Context_Title ?? '(untitled)')} · ${state} · opened ${relativeTime(request.created, now)}`, width)
}

/** "3 minutes ago · in "Router resets nightly" · notes…": an activity after its media label. */
export function activityText(activity: ContextObject, where: ContextObject | null, now: Date, width: number): string {
  const place = where ? `in "${String(where.data.Context_Title ?? '')}"` : 'not filed'
  const notes = objectTitle(activity)
  return fit(`${relativeTime(activity.created, now)} · ${place}${notes ? ` · ${notes}` : ''}`, width)
}

/** "VOICE  3 minutes ago · in "Router resets nightly" · notes…", plain. */
export function activityLine(activity: ContextObject, where: ContextObject | null, now: Date, width: number): string {
  return `${(activity.mediaType ?? '?').toUpperCase().padEnd(6)} ${activityText(activity, where, now, width - 7)}`
}

/** Every activity of a journey with the request it is under, newest first. */
export function journeyActivities(journey: Journey): {activity: ContextObject; request: ContextObject | null; comments: ContextObject[]}[] {
  const out = journey.groups.flatMap((group: JourneyGroup) => group.activities.map((entry) => ({activity: entry.activity, request: group.request, comments: entry.comments})))
  return out.sort((a, b) => (a.activity.created < b.activity.created ? 1 : a.activity.created > b.activity.created ? -1 : 0))
}

/**
 * A customer's page: name, contacts, counts; the active requests; the journey newest first, one
 * line per activity (the current one marked), cut to `rows` lines in all.
 */
export function customerPage(journey: Journey, options: {now: Date; width: number; rows: number; currentId?: string}): string[] {
  const {customer, counts} = journey
  const {now, width} = options
  const lines = [
    color.bold(fit(displayName(customer), width)),
    color.dim(fit([...contacts(customer), `customer ${customer.id}`].join(' · '), width)),
    fit(`${counts.requests} request${counts.requests === 1 ? '' : 's'} (${counts.activeRequests} active) · ${counts.activities} activit${counts.activities === 1 ? 'y' : 'ies'} · ${counts.comments} comment${counts.comments === 1 ? '' : 's'}`, width),
  ]
  const active = journey.groups.flatMap((group) => (group.request?.state === 'active' ? [group.request] : []))
  if (active.length > 0) {
    lines.push(color.bold('Active requests'))
    for (const request of active.slice(0, 3)) lines.push(`  ${color.green('■')} ${requestLine(request, now, width - 4)}`)
    if (active.length > 3) lines.push(color.dim(`  … and ${active.length - 3} more`))
  }
  const entries = journeyActivities(journey)
  lines.push(color.bold('Journey, newest first'))
  if (entries.length === 0) lines.push(color.dim('  No activities yet.'))
  const room = Math.max(1, options.rows - lines.length)
  const shown = entries.length > room ? entries.slice(0, room - 1) : entries
  for (const entry of shown) {
    const mark = entry.activity.id === options.currentId ? color.yellow('▶') : ' '
    lines.push(`${mark} ${color.dim('●')} ${mediaLabel(entry.activity.mediaType)} ${activityText(entry.activity, entry.request, now, width - 11)}`)
  }
  if (shown.length < entries.length) lines.push(color.dim(`  … ${entries.length - shown.length} older: choose "Whole journey"`))
  return lines
}
