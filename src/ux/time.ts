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

export function relativeTime(iso: string, now: Date): string {
  const delta = Date.parse(iso) - now.getTime()
  if (Math.abs(delta) < 60_000) return 'just now'
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(delta) >= size)!
  return relative.format(Math.sign(delta) * Math.round(Math.abs(delta) / ms), unit)
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

/** 2026-03-04 07:00 UTC, in the local time zone. */
export function absoluteTime(iso: string): string {
  const parts = Object.fromEntries(absolute.formatToParts(new Date(iso)).map((part) => [part.type, part.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`
}

/** "3 hours ago (2026-03-04 07:00 UTC)". */
export function when(iso: string, now: Date): string {
  return `${relativeTime(iso, now)} (${absoluteTime(iso)})`
}
