// The human view of `store info` and `store init`.
import Table from 'cli-table3'
import type {StoreInfo} from '../core/storage/store.js'
import {color} from './render.js'

const PLURAL = {customer: 'Customers', request: 'Requests', activity: 'Activities', comment: 'Comments', feedback: 'Feedback'}

export function storeInfoTable(info: StoreInfo): string {
  const table = new Table({style: {head: [], border: []}})
  const row = (label: string, value: string) => table.push([color.dim(label), value])
  row('Location', info.location)
  row('Adapter', info.adapter)
  row('Mode', info.mode ?? color.yellow(uninitialised(info)))
  if (info.formatVersion !== null) row('Format version', String(info.formatVersion))
  if (info.created) row('Created', info.created)
  for (const [type, count] of Object.entries(info.counts)) row(PLURAL[type as keyof typeof PLURAL], count.toLocaleString('en-US'))
  if (info.bytes !== null) row('Size', `${(info.bytes / 1024).toFixed(1)} KiB`)
  return table.toString()
}

function uninitialised(info: StoreInfo): string {
  // On Postgres only an installed schema (`store upgrade`) lets the first write create the store.
  if (info.adapter === 'postgres' && info.formatVersion === null) return 'no ctx schema here: run `ctx store init` to create the store'
  return 'not initialised (the first write creates a production store)'
}
