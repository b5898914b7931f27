// Object ids: UUIDs, assigned by ctx unless imported.
import {randomBytes, randomUUID} from 'node:crypto'
import {UsageError} from './errors.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function newId(): string {
  return randomUUID()
}

let lastMs = -1
let sequence = 0
let pool = Buffer.alloc(0)
let poolOffset = 0

/**
 * A UUIDv7 for `atMs`, strictly greater than every one this process made before: the objects of an
 * import, created in the same millisecond, then sort (by created, then id) in the order of the file.
 */
export function newOrderedId(atMs: number): string {
  if (atMs > lastMs) {
    lastMs = atMs
    sequence = 0
  } else if (++sequence > 0xfff) {
    lastMs++
    sequence = 0
  }
  if (poolOffset >= pool.length) {
    pool = randomBytes(16 * 256)
    poolOffset = 0
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, (poolOffset += 16)))
  bytes.writeUIntBE(lastMs, 0, 6)
  bytes[6] = 0x70 | (sequence >> 8)
  bytes[7] = sequence & 0xff
  bytes[8] = 0x80 | (bytes[8] & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function isUuid(value: string): boolean {
  return UUID.test(value.toLowerCase())
}

/** Normalises a user-given id (case, surrounding space) or refuses it as a usage error. */
export function parseId(value: string, what = 'id'): string {
  const id = value.trim().toLowerCase()
  if (!UUID.test(id)) throw new UsageError(`${what} "${value}" is not a UUID`, {hint: 'Ids look like 0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b.'})
  return id
}
