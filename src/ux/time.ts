// Moments for people: relative ("3 hours ago", from ctx's clock so CTX_NOW replays read the same)
// and absolute (in the terminal's time zone, with the zone named). Both say what Intl says
// (test/ux/time.test.ts holds them to it) while leaving Intl out where they can: the first Intl
// formatter of a process sets up ICU's data, ~20 ms of a journey's ~300 (bench P7).
import {grouped} from './numbers.js'

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

/** What Intl.RelativeTimeFormat('en', {numeric: 'auto'}) says for one unit back and ahead. */
const ONE_AWAY: Partial<Record<Intl.RelativeTimeFormatUnit, [string, string]>> = {
  day: ['yesterday', 'tomorrow'],
  week: ['last week', 'next week'],
  month: ['last month', 'next month'],
  year: ['last year', 'next year'],
}

/** "3 hours ago", "yesterday", "in 2 weeks": as Intl.RelativeTimeFormat('en', {numeric: 'auto'}) says it. */
export function relativeTime(iso: string, now: Date): string {
  const delta = Date.parse(iso) - now.getTime()
  if (Math.abs(delta) < 60_000) return 'just now'
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(delta) >= size)!
  const count = Math.round(Math.abs(delta) / ms)
  const oneAway = count === 1 ? ONE_AWAY[unit] : undefined
  if (oneAway) return oneAway[delta < 0 ? 0 : 1]
  const amount = `${grouped(count)} ${unit}${count === 1 ? '' : 's'}`
  return delta < 0 ? `${amount} ago` : `in ${amount}`
}

let intlAbsolute: Intl.DateTimeFormat | undefined
const absolute = () => (intlAbsolute ??= new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
}))

/** Zone names by UTC offset (minutes): the one part of the format that needs Intl. */
const zoneNames = new Map<number, string>()

/**
 * 2026-03-04 07:00 UTC, in the local time zone (Intl and Date's local getters both use it). The
 * date and time come from the getters, the zone name from Intl once per offset: formatToParts for
 * every moment cost ~80 ms on a journey of 10k activities (bench P7). UTC itself, which Date names
 * without Intl, is named without it.
 */
export function absoluteTime(iso: string): string {
  const date = new Date(iso)
  const offset = date.getTimezoneOffset()
  if (Number.isNaN(offset)) return formatted(date)
  let zone = zoneNames.get(offset)
  if (zone === undefined) zoneNames.set(offset, (zone = zoneName(date)))
  const two = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())} ${zone}`
}

function zoneName(date: Date): string {
  if (date.getTimezoneOffset() === 0 && date.toString().endsWith('(Coordinated Universal Time)')) return 'UTC'
  return absolute().formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? ''
}

function formatted(date: Date): string {
  const parts = Object.fromEntries(absolute().formatToParts(date).map((part) => [part.type, part.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`
}

/** "3 hours ago (2026-03-04 07:00 UTC)". */
export function when(iso: string, now: Date): string {
  return `${relativeTime(iso, now)} (${absoluteTime(iso)})`
}
