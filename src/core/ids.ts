// Object ids: UUIDs, assigned by ctx unless imported.
import {randomUUID} from 'node:crypto'
import {UsageError} from './errors.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function newId(): string {
  return randomUUID()
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
