// The human view of `keys status`.
import Table from 'cli-table3'
import type {KeyStatus} from '../core/crypto/admin.js'
import {color} from './render.js'

export function keyStatusTable(status: KeyStatus): string {
  const table = new Table({style: {head: [], border: []}})
  const row = (label: string, value: string) => table.push([color.dim(label), value])
  row('Store', status.store)
  row('Encrypted values', status.encrypted ? 'yes' : 'none yet (a key is made on the first one)')
  if (status.fingerprint) row('Store key', status.fingerprint)
  row('Key file', `${status.keyFile} (${SOURCES[status.keySource]})`)
  if (!status.keyFound) row('Key found', status.encrypted ? color.red('no: the encrypted values cannot be read') : 'no')
  else {
    const matches = status.keyMatches === null ? '' : status.keyMatches ? color.green(' (the store\'s key)') : color.red(' (NOT the store\'s key)')
    row('Key found', `${status.keyFingerprint}${matches}`)
    row('Key made', `${status.keyCreated} (${status.keyAgeDays} days ago)`)
  }
  if (status.rotated) row('Last rotated', status.rotated)
  row('Data keys', String(status.dataKeys))
  return table.toString()
}

const SOURCES = {flag: '--key-file', env: 'CTX_KEY_FILE', default: 'named after the store, in the config directory', memory: 'in memory'}
