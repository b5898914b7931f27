// The journey as a terminal timeline: one block per request (newest first), its activities under it
// with a coloured media label, relative and absolute times, tags, notes, other fields by label (links
// clickable where the terminal allows) and the comments on each. Every part pushes its lines onto
// one array: a journey of 10k activities is 42k lines, and building an array per part to spread
// into its caller cost more in garbage collection than the text itself (bench P7).
import {type Definitions, fieldLabel, fieldOf} from '../core/definitions/model.js'
import {orderedFieldIds} from '../core/definitions/order.js'
import type {Journey, JourneyEntry, JourneyGroup} from '../core/journey.js'
import {type ContextObject, displayName, type MediaType} from '../core/model.js'
import {color, formatValue} from './render.js'
import {relativeTime, when} from './time.js'

const MEDIA_COLOURS: Record<MediaType, (text: string) => string> = {
  chat: color.cyan,
  email: color.blue,
  event: color.gray,
  mobile: color.magentaBright,
  social: color.magenta,
  video: color.red,
  voice: color.green,
  web: color.yellow,
}

/** The media type as a fixed-width, coloured label. */
export function mediaLabel(media: MediaType | undefined): string {
  const text = (media ?? '?').toUpperCase().padEnd(6)
  return media ? color.bold(MEDIA_COLOURS[media](text)) : text
}

/** Fields shown in the line of their own, not in the label list. */
const BODY_FIELDS = new Set(['Context_Notes', 'Context_Title', 'Context_Description', 'Context_Comment', 'Context_DisplayName'])

interface ViewContext {
  definitions: Definitions
  now: Date
  width: number
}

export function journeyView(journey: Journey, definitions: Definitions, now: Date, width = terminalWidth()): string {
  return [...journeyBlocks(journey, definitions, now, width)].join('\n')
}

/**
 * The timeline a block at a time, to be written as it is made: the customer, then each request's
 * group. Joined with newlines, the blocks are journeyView. A journey of 10k activities is 1.6 MB
 * of text, which as one string cost ~40 ms more to join and write (bench P7).
 */
export function* journeyBlocks(journey: Journey, definitions: Definitions, now: Date, width = terminalWidth()): Generator<string> {
  const context: ViewContext = {definitions, now, width}
  const lines = customerHeader(journey)
  if (journey.groups.length === 0) {
    const filtered = journey.filters.media.length > 0 || journey.filters.since !== null
    lines.push('', color.dim(filtered ? 'Nothing matches these filters.' : 'No requests or activities yet.'))
  }
  yield lines.join('\n')
  for (const group of journey.groups) yield groupLines([''], group, context).join('\n')
}

/** One request's block of the timeline; without its header, the body of `requests show`. */
export function groupView(group: JourneyGroup, definitions: Definitions, now: Date, options: {header?: boolean; width?: number} = {}): string {
  return groupLines([], group, {definitions, now, width: options.width ?? terminalWidth()}, options.header ?? true).join('\n')
}

function customerHeader(journey: Journey): string[] {
  const {customer, counts, filters} = journey
  const contacts = ['Context_Work_Email', 'Context_Home_Email', 'Context_Work_Phone', 'Context_Mobile_Phone', 'Context_Home_Phone']
    .map((key) => customer.data[key])
    .filter((value): value is string => typeof value === 'string' && value !== '')
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
  const summary = [
    `${plural(counts.requests, 'request')}${counts.activeRequests > 0 ? ` (${color.green(`${counts.activeRequests} active`)})` : ''}`,
    plural(counts.activities, 'activity').replace(/activitys$/, 'activities'),
    plural(counts.comments, 'comment'),
  ]
  const narrowed = [
    filters.media.length > 0 ? `media ${filters.media.join(', ')}` : '',
    filters.since ? `since ${filters.since}` : '',
    filters.requestId ? `request ${filters.requestId}` : '',
  ].filter(Boolean)
  return [
    color.bold(displayName(customer)),
    color.dim([...new Set(contacts)].concat(`customer ${customer.id}`).join(' · ')),
    summary.join(' · ') + (narrowed.length > 0 ? color.dim(` — only ${narrowed.join(', ')}`) : ''),
  ]
}

function groupLines(lines: string[], group: JourneyGroup, context: ViewContext, header = true): string[] {
  const request = group.request
  if (request && !header) {
    for (const comment of group.comments) pushComment(lines, comment, context, '  ')
  } else if (request) {
    const title = String(request.data.Context_Title ?? '(untitled request)')
    const state =
      request.state === 'closed'
        ? color.dim(`CLOSED${request.closeReason ? ` (${request.closeReason})` : ''} ${request.closedAt ? relativeTime(request.closedAt, context.now) : ''}`.trim())
        : color.green.bold('ACTIVE')
    lines.push(`${color.bold('■')} ${color.bold(title)}  ${state}`)
    lines.push(color.dim(`  request ${request.id} · opened ${when(request.created, context.now)}`))
    if (request.data.Context_Description !== undefined) wrap(String(request.data.Context_Description), context.width, '  ', lines)
    for (const key of orderedFieldIds(request, context.definitions)) {
      if (!BODY_FIELDS.has(key)) lines.push(`  ${color.dim(`${fieldLabel(fieldOf(context.definitions, key), key)}:`)} ${formatValue(request.data[key])}`)
    }
    for (const comment of group.comments) pushComment(lines, comment, context, '  ')
  } else {
    lines.push(`${color.bold('■')} ${color.bold('Outside any request')}`)
  }
  if (group.activities.length === 0) lines.push(color.dim('  (no activities)'))
  const parts: ActivityParts = {bar: color.dim('  │ '), spacer: color.dim('  │')}
  for (const entry of group.activities) pushActivity(lines, entry, context, parts)
  return lines
}

/** What every activity of a group starts its lines with. */
interface ActivityParts {
  bar: string
  spacer: string
}

function pushActivity(lines: string[], entry: JourneyEntry, context: ViewContext, {bar, spacer}: ActivityParts): void {
  const {activity, comments} = entry
  const media = activity.mediaType
  const bullet = media ? MEDIA_COLOURS[media]('●') : '●'
  const tags = activity.tags === undefined || activity.tags.length === 0 ? '' : `  ${activity.tags.map((tag) => color.cyan(`#${tag}`)).join(' ')}`
  lines.push(spacer, `  ${bullet} ${mediaLabel(media)} ${when(activity.created, context.now)}${tags}`)
  if (activity.data.Context_Notes !== undefined) wrap(String(activity.data.Context_Notes), context.width, bar, lines)
  for (const key of orderedFieldIds(activity, context.definitions)) {
    if (!BODY_FIELDS.has(key)) lines.push(`${bar}${color.dim(`${fieldLabel(fieldOf(context.definitions, key), key)}:`)} ${formatValue(activity.data[key])}`)
  }
  for (const comment of comments) pushComment(lines, comment, context, bar)
  lines.push(`${bar}${color.dim(`activity ${activity.id}`)}`)
}

/** A comment (author, when, text) or a feedback rating, under whatever it is about. */
export function commentLines(comment: ContextObject, context: Pick<ViewContext, 'now' | 'width'>, indent: string): string[] {
  return pushComment([], comment, context, indent)
}

function pushComment(lines: string[], comment: ContextObject, context: Pick<ViewContext, 'now' | 'width'>, indent: string): string[] {
  const author = String(comment.data.Context_DisplayName ?? 'someone')
  if (comment.type === 'feedback') {
    const rating = comment.data.Context_Rating
    const scale = comment.data.Context_Rating_Scale
    lines.push(`${indent}${color.yellow('★')} ${color.bold(`rated ${rating ?? '?'}${scale === undefined ? '' : `/${scale}`}`)} ${color.dim(relativeTime(comment.created, context.now))}`)
    const text = comment.data.Context_Rating_Comment
    return text === undefined ? lines : wrap(String(text), context.width, `${indent}  `, lines)
  }
  const system = (comment.tags ?? []).includes('system')
  lines.push(`${indent}${color.yellow('✎')} ${system ? color.dim(author) : color.bold(author)} ${color.dim(`· ${when(comment.created, context.now)}`)}`)
  return wrap(String(comment.data.Context_Comment ?? ''), context.width, `${indent}  `, lines)
}

/** Plain text wrapped at word boundaries to the terminal width, each line after `indent`; pushed onto `lines` when given. */
export function wrap(text: string, width: number, indent: string, lines: string[] = []): string[] {
  const room = Math.max(20, width - visibleLength(indent))
  const push = (line: string) => lines.push(`${indent}${line}`.trimEnd())
  for (const paragraph of text.split(/\r?\n/)) {
    // Most notes fit on one line: no need to cut them into words.
    if (paragraph.length <= room && !/[^\S ]|  |^ | $/.test(paragraph)) {
      push(paragraph)
      continue
    }
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + word.length > room) {
        push(line)
        line = ''
      }
      line = line === '' ? word : `${line} ${word}`
    }
    push(line)
  }
  return lines
}

function visibleLength(text: string): number {
  return text.replace(/\u001B\[[0-9;]*m/g, '').length
}

export function terminalWidth(): number {
  return Math.min(120, Math.max(40, process.stdout.columns ?? 100))
}
