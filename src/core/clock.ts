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

const UNIT_MS = {w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000} as const
const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/
const MAX_DURATION_MS = 100 * 365 * UNIT_MS.d

/**
 * A span such as `5d`, `36h`, `90m`, `30s`, `2w` or a combination in that order (`1d12h`), in ms.
 * Units are lower-case only, so `5M` is refused rather than guessed at (minutes or months?).
 */
export function parseDuration(text: string, what: string): number {
  const match = DURATION.exec(text.trim())
  const hint = 'Give a whole number with a unit: w (weeks), d (days), h (hours), m (minutes), s (seconds), e.g. 5d, 36h, 90m or 1d12h.'
  if (!match || text.trim() === '') throw new UsageError(`${what} must be a span such as 5d, 36h or 90m, not "${text}"`, {hint})
  const [, weeks, days, hours, minutes, seconds] = match
  const ms =
    Number(weeks ?? 0) * UNIT_MS.w +
    Number(days ?? 0) * UNIT_MS.d +
    Number(hours ?? 0) * UNIT_MS.h +
    Number(minutes ?? 0) * UNIT_MS.m +
    Number(seconds ?? 0) * UNIT_MS.s
  if (ms === 0) throw new UsageError(`${what} must be longer than zero, not "${text}"`, {hint})
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS) throw new UsageError(`${what} "${text}" is longer than 100 years`, {hint})
  return ms
}

/** A lower bound in time: an ISO-8601 instant or date, or a span back from now (7d = the last 7 days). */
export function parseSince(text: string, clock: Clock, what = '--since'): string {
  if (DURATION.test(text.trim()) && text.trim() !== '') return new Date(clock().getTime() - parseDuration(text, what)).toISOString()
  try {
    return parseInstant(text.trim(), what).toISOString()
  } catch {
    throw new UsageError(`${what} takes an ISO-8601 date or instant (2026-01-31, 2026-01-31T09:00:00Z) or a span back from now (12h, 7d, 2w), not "${text}"`)
  }
}
