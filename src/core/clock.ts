// Time comes from a clock, never from `new Date()` in the domain, so tests and replays can fix it
// with CTX_NOW.
import {UsageError} from './errors.js'

export type Clock = () => Date

export const systemClock: Clock = () => new Date()

/** The clock a command uses: frozen at CTX_NOW when that is set, the system clock otherwise. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.CTX_NOW
  if (fixed === undefined || fixed === '') return systemClock
  const at = parseInstant(fixed, 'CTX_NOW')
  return () => new Date(at.getTime())
}

/** Parses an ISO-8601 instant (date-time with zone, or a plain date taken as UTC midnight). */
export function parseInstant(text: string, what: string): Date {
  const isoLike = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i
  const at = new Date(text)
  if (!isoLike.test(text) || Number.isNaN(at.getTime())) {
    throw new UsageError(`${what} must be an ISO-8601 instant such as 2026-01-31T09:00:00Z, not "${text}"`)
  }
  return at
}

export function nowIso(clock: Clock): string {
  return clock().toISOString()
}
