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

const DURATION = /^(\d+)\s*(m|min|h|d|w)$/i
const UNIT_MS: Record<string, number> = {m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}

/** A span such as 30m, 12h, 5d or 2w, in milliseconds; a UsageError naming `what` otherwise. */
export function parseDuration(text: string, what: string): number {
  const match = DURATION.exec(text.trim())
  if (!match) throw new UsageError(`${what} must be a span such as 30m, 12h, 5d or 2w, not "${text}"`)
  return Number(match[1]) * UNIT_MS[match[2].toLowerCase()]
}

/** A lower bound in time: an ISO-8601 instant or date, or a span back from now (7d = the last 7 days). */
export function parseSince(text: string, clock: Clock, what = '--since'): string {
  if (DURATION.test(text.trim())) return new Date(clock().getTime() - parseDuration(text, what)).toISOString()
  try {
    return parseInstant(text.trim(), what).toISOString()
  } catch {
    throw new UsageError(`${what} takes an ISO-8601 date or instant (2026-01-31, 2026-01-31T09:00:00Z) or a span back from now (12h, 7d, 2w), not "${text}"`)
  }
}
