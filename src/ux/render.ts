// Human output: tables with field labels from translations, colour that honours NO_COLOR and pipes,
// and terminal hyperlinks where the terminal shows them. Nothing here runs under --json.
import {Chalk, type ChalkInstance} from 'chalk'
import {stripVTControlCharacters} from 'node:util'
import Table from 'cli-table3'
import wrapAnsi from 'wrap-ansi'
import {type Definitions, fieldLabel, fieldOf} from '../core/definitions/model.js'
import {orderedFieldIds} from '../core/definitions/order.js'
import {type ContextObject, displayName} from '../core/model.js'
import {formatList, type ListOptions, stdoutShape} from './list.js'
import {grouped} from './numbers.js'
import {textWidth} from './text-width.js'

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

export const color: ChalkInstance = new Chalk({level: colorEnabled() ? 1 : 0})

/** An OSC 8 hyperlink where the terminal is known to render them, the plain URL elsewhere. */
export function hyperlink(url: string, text = url, stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): string {
  if (!supportsHyperlinks(stream, env)) return text === url ? url : `${text} (${url})`
  return `\u001B]8;;${url}\u0007${text}\u001B]8;;\u0007`
}

export function supportsHyperlinks(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== '0'
  if (!stream.isTTY || ('NO_COLOR' in env && env.NO_COLOR !== '') || env.TERM === 'dumb') return false
  if (env.WT_SESSION || env.KONSOLE_VERSION || env.VTE_VERSION || env.WEZTERM_EXECUTABLE) return true
  return ['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper'].includes(env.TERM_PROGRAM ?? '') || /kitty|alacritty|foot/.test(env.TERM ?? '')
}

const URL_LIKE = /^https?:\/\/\S+$/i

/** "1 object", "20,000 objects": a count and its noun, the number grouped as everywhere in ctx. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${grouped(count)} ${count === 1 ? singular : plural}`
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string' && URL_LIKE.test(value)) return hyperlink(value)
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

export function table(head: string[]): Table.Table {
  return new Table({head: head.map((title) => color.bold(title)), style: {head: [], border: []}, wordWrap: true})
}

const ID_WIDTH = 36

/**
 * Labels and values, as one object's details are shown: as wide as the terminal (values up to 100
 * columns), the labels' column 24 wide where there is room. Values are wrapped by what shows, a
 * word wider than its column broken rather than cut: an id is always whole, whatever the width.
 */
export class DetailTable {
  private readonly rows: [string, string][] = []

  push(row: [string, string]): void {
    this.rows.push(row)
  }

  toString(): string {
    const columns = process.stdout.columns ?? 100
    // As narrow as its labels allow where a 24-column one would leave an id no line of its own:
    // the table is one column short of the terminal, three borders, and each cell's padding of two.
    const labels = Math.max(2 + Math.max(0, ...this.rows.map(([label]) => textWidth(stripVTControlCharacters(label)))), Math.min(24, columns - 4 - 2 - ID_WIDTH))
    const values = Math.max(20, Math.min(100, columns - labels - 4))
    const rows = new Table({style: {head: [], border: []}, colWidths: [labels, values], wordWrap: false})
    for (const [label, value] of this.rows) rows.push([wrapAnsi(label, labels - 2, {hard: true}), wrapAnsi(value, values - 2, {hard: true})])
    return rows.toString()
  }
}

/** One object as a two-column table: its links and state, then its fields by label. */
export function objectTable(object: ContextObject, definitions: Definitions): string {
  const rows = new DetailTable()
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== '') rows.push([color.dim(label), formatValue(value)])
  }
  if (object.type === 'customer') add('Name', color.bold(displayName(object)))
  add('Id', object.id)
  add('Type', object.type)
  add('Customer', object.customerId)
  add('Parent', object.parentId)
  add('State', object.state)
  add('Media', object.mediaType)
  add('Tags', object.tags?.length ? object.tags : undefined)
  add('External id', object.externalId)
  for (const key of orderedFieldIds(object, definitions)) add(fieldLabel(fieldOf(definitions, key), key), enumLabelled(definitions, key, object.data[key]))
  add('Fieldsets', object.fieldsets)
  add('Created', object.created)
  add('Last updated', object.lastUpdated)
  add('Closed', object.closedAt ? `${object.closedAt} (${object.closeReason})` : undefined)
  return rows.toString()
}

/** An enum value with its label when it has one: "French (fr_FR)". */
function enumLabelled(definitions: Definitions, fieldId: string, value: unknown): unknown {
  const item = fieldOf(definitions, fieldId)?.enum?.find((entry) => entry.value === value)
  const label = item ? fieldLabel(item, item.value) : undefined
  return label && label !== value ? `${label} (${item!.value})` : value
}

/** A title for any object in a list: the display name, a request's title, an activity's notes. */
export function objectTitle(object: ContextObject): string {
  if (object.type === 'customer') return displayName(object)
  const text = object.data.Context_Title ?? object.data.Context_Notes ?? object.data.Context_Comment ?? ''
  const title = String(text).replace(/\s+/g, ' ').trim()
  return title.length > 60 ? `${title.slice(0, 59)}…` : title
}

/** Objects of any type as a list: a request's state and an activity's media type each in their own column. */
export function objectListTable(objects: readonly ContextObject[], options: ListOptions = {}): string {
  const head = ['Id', 'Type', 'Name / title', 'State', 'Media', 'Last updated']
  const rows = objects.map((object) => [object.id, object.type, objectTitle(object), object.state ?? '', object.mediaType ?? '', object.lastUpdated])
  return formatList(head, rows, options, stdoutShape())
}

/** The line under a page that has a following one. */
export function nextPageHint(next: string): string {
  return color.dim(`More: repeat with --cursor ${next}`)
}
