// Every list and search prints through here, the heroku/oclif table convention: a bordered table
// that fits the terminal's width on a TTY, plain aligned rows in a pipe, CSV with --csv, and
// --columns / --sort to choose and order the columns. --json is untouched (the command's result).
import {Flags} from '@oclif/core'
import Table from 'cli-table3'
import {stripVTControlCharacters} from 'node:util'
import wrapAnsi from 'wrap-ansi'
import {UsageError} from '../core/errors.js'
import {color, nextPageHint} from './render.js'

export const listFlags = {
  columns: Flags.string({summary: 'Only these columns, in this order (comma-separated names, as in the header).', helpGroup: 'TABLE'}),
  csv: Flags.boolean({summary: 'Print the rows as CSV (with a header row).', helpGroup: 'TABLE'}),
  sort: Flags.string({summary: 'Sort by this column (prefix - for descending).', helpGroup: 'TABLE'}),
}

export interface ListOptions {
  columns?: string
  csv?: boolean
  sort?: string
  /** Said instead of an empty table; under --csv an empty list is its header row alone. */
  empty?: string
}

/** Cells may carry colour; sorting, CSV and widths look at the text alone. */
const plain = (cell: string) => stripVTControlCharacters(cell)
const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')

function columnIndex(head: readonly string[], name: string): number {
  // The whole name, or its first word ("name" for "Name / title").
  const index = head.findIndex((title) => key(title) === key(name) || key(title.split(/[\s/]+/)[0]) === key(name))
  if (index < 0) throw new UsageError(`no column "${name}"`, {hint: `The columns are: ${head.join(', ')}.`})
  return index
}

/** The rows as the options say: columns chosen, then sorted. */
export function shapeList(head: readonly string[], rows: readonly string[][], options: ListOptions): {head: string[]; rows: string[][]} {
  let out = rows.map((row) => [...row])
  if (options.sort) {
    const descending = options.sort.startsWith('-')
    const at = columnIndex(head, options.sort.replace(/^-/, ''))
    const collator = new Intl.Collator('en', {numeric: true, sensitivity: 'base'})
    out.sort((a, b) => collator.compare(plain(a[at]), plain(b[at])) * (descending ? -1 : 1))
  }
  if (!options.columns) return {head: [...head], rows: out}
  const picked = options.columns.split(',').map((name) => name.trim()).filter(Boolean).map((name) => columnIndex(head, name))
  out = out.map((row) => picked.map((at) => row[at]))
  return {head: picked.map((at) => head[at]), rows: out}
}

/**
 * The list as text: CSV, plain aligned rows (in a pipe, or a terminal too narrow for a table), or
 * a table no wider than `width` (cells wrapped at words, and a word wider than its column broken).
 */
export function formatList(head: readonly string[], rows: readonly string[][], options: ListOptions, output: {tty: boolean; width: number}): string {
  // Shaped first, so a column it does not have is refused whether or not anything matched.
  const shaped = shapeList(head, rows, options)
  if (shaped.rows.length === 0 && !options.csv && options.empty !== undefined) return options.empty
  if (options.csv) return [shaped.head, ...shaped.rows].map((row) => row.map((cell) => csvCell(plain(cell))).join(',')).join('\n')
  if (!output.tty) return plainRows(shaped.head, shaped.rows)
  return fittedTable(shaped.head, shaped.rows, output.width)
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function plainRows(head: readonly string[], rows: readonly string[][]): string {
  const all = [head.map(plain), ...rows.map((row) => row.map((cell) => plain(cell).replace(/\s+/g, ' ')))]
  const widths = head.map((_, at) => Math.max(...all.map((row) => row[at].length)))
  return all.map((row) => row.map((cell, at) => (at === row.length - 1 ? cell : cell.padEnd(widths[at]))).join('  ').trimEnd()).join('\n')
}

/** The narrowest a table's column gets, padding included; a terminal too narrow for that gets plain rows. */
const MIN_COLUMN = 6

function fittedTable(head: readonly string[], rows: readonly string[][], width: number): string {
  // Each column's widest cell, plus the padding of one space each side and its border.
  const natural = head.map((title, at) => Math.max(title.length, ...rows.map((row) => Math.max(...plain(row[at]).split('\n').map((line) => line.length)))) + 2)
  const room = width - (head.length + 1)
  // Rows the terminal wraps, ids whole, rather than a table wider than the terminal.
  if (head.length * MIN_COLUMN > room) return plainRows(head, rows)
  const widths = [...natural]
  // Narrow the widest column a character at a time until the table fits.
  while (widths.reduce((sum, value) => sum + value, 0) > room) {
    const widest = widths.indexOf(Math.max(...widths))
    if (widths[widest] <= MIN_COLUMN) break
    widths[widest]--
  }
  // Wrapped here by what shows: cli-table3 wraps counting colour codes as text, and cut them in two.
  const wrap = (text: string, at: number) => wrapAnsi(text, widths[at] - 2, {hard: true})
  const table = new Table({
    head: head.map((title, at) => wrap(color.bold(title), at)),
    style: {head: [], border: []},
    colWidths: widths,
    wordWrap: false,
  })
  for (const row of rows) table.push(row.map(wrap))
  return table.toString()
}

/** What the list is printed to: stdout, and its width on a terminal. */
export function stdoutShape(): {tty: boolean; width: number} {
  return {tty: Boolean(process.stdout.isTTY), width: process.stdout.columns || 80}
}

/**
 * A list and, when a following page exists, the line saying how to get it: on stderr under --csv,
 * so that stdout is the CSV alone.
 */
export function printList(text: string, next: string | null | undefined, options: ListOptions): void {
  process.stdout.write(`${text}\n`)
  if (next) (options.csv ? process.stderr : process.stdout).write(`${nextPageHint(next)}\n`)
}
