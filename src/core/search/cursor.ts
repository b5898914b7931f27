// Keyset cursors: a page ends at (lastUpdated, id) and the next one starts strictly after it in the
// order newest-first, ties by id descending. Opaque to users; never an offset.
import {UsageError} from '../errors.js'
import type {ContextObject} from '../model.js'

export interface CursorKey {
  lastUpdated: string
  id: string
}

export function encodeCursor(last: Pick<ContextObject, 'lastUpdated' | 'id'>): string {
  return Buffer.from(JSON.stringify(['v1', last.lastUpdated, last.id])).toString('base64url')
}

const CONTROL = /[\u0000-\u001f]/

export function decodeCursor(cursor: string): CursorKey {
  try {
    const [version, lastUpdated, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    // Control characters (a NUL) are in no key ctx gives out, and PostgreSQL refuses a NUL in text.
    if (version === 'v1' && typeof lastUpdated === 'string' && typeof id === 'string' && !CONTROL.test(lastUpdated + id)) return {lastUpdated, id}
  } catch {
    // fall through to the usage error
  }
  throw new UsageError('the cursor is not one ctx gave out', {hint: 'Pass the `next` value of the previous page unchanged.'})
}

/** Newest lastUpdated first, ties by id descending: the one order of every listing. */
export function newestFirst(a: CursorKey, b: CursorKey): number {
  if (a.lastUpdated !== b.lastUpdated) return a.lastUpdated < b.lastUpdated ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/** True when `object` comes after the cursor in newest-first order. */
export function isAfter(object: CursorKey, cursor: CursorKey): boolean {
  return newestFirst(object, cursor) > 0
}
