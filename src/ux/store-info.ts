// The human view of `store info` and `store init`.
import Table from 'cli-table3'
import {megabytes} from '../core/storage/file-limit.js'
import type {StoreInfo} from '../core/storage/store.js'
import {color} from './render.js'

const PLURAL = {customer: 'Customers', request: 'Requests', activity: 'Activities', comment: 'Comments', feedback: 'Feedback'}

/** `sizeLimit`: a file store's, in bytes (see file-limit.ts). */
export function storeInfoTable(info: StoreInfo & {sizeLimit?: number | null}): string {
  const table = new Table({style: {head: [], border: []}})
  const row = (label: string, value: string) => table.push([color.dim(label), value])
  row('Location', info.location)
  row('Adapter', info.adapter)
  row('Mode', info.mode ?? color.yellow(uninitialised(info)))
  if (info.formatVersion !== null) row('Format version', String(info.formatVersion))
  if (info.created) row('Created', info.created)
  for (const [type, count] of Object.entries(info.counts)) row(PLURAL[type as keyof typeof PLURAL], count.toLocaleString('en-US'))
  if (info.bytes !== null) row('Size', sizeText(info.bytes, info.sizeLimit ?? null))
  return table.toString()
}

function sizeText(bytes: number, limit: number | null): string {
  const size = `${(bytes / 1024).toFixed(1)} KiB`
  if (limit === null) return size
  const share = `${size}, ${Math.round((bytes / limit) * 100)}% of the ${megabytes(limit)} a file store serves well`
  return bytes > limit ? color.yellow(`${share}: move it to PostgreSQL (ctx migrate)`) : share
}

function uninitialised(info: StoreInfo): string {
  // On Postgres only an installed schema (`store upgrade`) lets the first write create the store.
  if (info.adapter === 'postgres' && info.formatVersion === null) return 'no ctx schema here: run `ctx store init` to create the store'
  return 'not initialised (the first write creates a production store)'
}
