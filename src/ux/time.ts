// Moments for people: relative ("3 hours ago", from ctx's clock so CTX_NOW replays read the same)
// and absolute (in the terminal's time zone, with the zone named).

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

const relative = new Intl.RelativeTimeFormat('en', {numeric: 'auto'})

/** Phrases by unit and count: a journey asks for "3 hours ago" thousands of times. */
const phrases = new Map<string, string>()

export function relativeTime(iso: string, now: Date): string {
  const delta = Date.parse(iso) - now.getTime()
  if (Math.abs(delta) < 60_000) return 'just now'
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(delta) >= size)!
  const count = Math.sign(delta) * Math.round(Math.abs(delta) / ms)
  const key = `${count} ${unit}`
  let phrase = phrases.get(key)
  if (phrase === undefined) phrases.set(key, (phrase = relative.format(count, unit)))
  return phrase
}

const absolute = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
})

/** Zone names by UTC offset (minutes): the one part of the format that needs Intl. */
const zoneNames = new Map<number, string>()

/**
 * 2026-03-04 07:00 UTC, in the local time zone (Intl and Date's local getters both use it). The
 * date and time come from the getters, the zone name from Intl once per offset: formatToParts for
 * every moment cost ~80 ms on a journey of 10k activities (bench P7).
 */
export function absoluteTime(iso: string): string {
  const date = new Date(iso)
  const offset = date.getTimezoneOffset()
  if (Number.isNaN(offset)) return formatted(date)
  let zone = zoneNames.get(offset)
  if (zone === undefined) zoneNames.set(offset, (zone = absolute.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? ''))
  const two = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())} ${zone}`
}

function formatted(date: Date): string {
  const parts = Object.fromEntries(absolute.formatToParts(date).map((part) => [part.type, part.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`
}

/** "3 hours ago (2026-03-04 07:00 UTC)". */
export function when(iso: string, now: Date): string {
  return `${relativeTime(iso, now)} (${absoluteTime(iso)})`
}
