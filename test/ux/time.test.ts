import {expect, it, vi} from 'vitest'
import {relativeTime} from '../../src/ux/time.js'

it('says how long ago or ahead a moment is, in the largest whole unit, rounded', () => {
  const now = new Date('2026-03-04T10:00:00Z')
  expect(relativeTime('2026-03-04T09:59:30Z', now)).toBe('just now')
  expect(relativeTime('2026-03-04T09:15:00Z', now)).toBe('45 minutes ago')
  expect(relativeTime('2026-03-04T08:30:00Z', now)).toBe('2 hours ago')
  expect(relativeTime('2026-03-03T09:00:00Z', now)).toBe('yesterday')
  expect(relativeTime('2026-02-28T10:00:00Z', now)).toBe('4 days ago')
  expect(relativeTime('2026-02-18T10:00:00Z', now)).toBe('2 weeks ago')
  expect(relativeTime('2025-01-01T00:00:00Z', now)).toBe('last year')
  expect(relativeTime('2026-03-05T12:00:00Z', now)).toBe('tomorrow')
})

it('writes absolute moments in the local time zone, named, the same as Intl does', async () => {
  const {absoluteTime} = await import('../../src/ux/time.js')
  const intl = new Intl.DateTimeFormat('en-GB', {year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short'})
  for (const iso of ['2026-03-04T07:00:00Z', '2026-07-01T23:59:59.999Z', '2025-12-31T23:30:00Z', '1999-01-01T00:00:00Z']) {
    const parts = Object.fromEntries(intl.formatToParts(new Date(iso)).map((part) => [part.type, part.value]))
    expect(absoluteTime(iso)).toBe(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`)
  }
  expect(() => absoluteTime('not a date')).toThrow(RangeError)
})

it('says what Intl.RelativeTimeFormat says, without setting Intl up, for every unit back and ahead', async () => {
  const {relativeTime} = await import('../../src/ux/time.js')
  const intl = new Intl.RelativeTimeFormat('en', {numeric: 'auto'})
  const now = new Date('2026-03-04T10:00:00Z')
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['minute', 60_000], ['hour', 3_600_000], ['day', 86_400_000], ['week', 7 * 86_400_000], ['month', 30 * 86_400_000], ['year', 365 * 86_400_000]]
  const said: string[] = []
  for (const [unit, ms] of units) {
    // Counts that stay in their unit: below the next unit up (59 minutes, 23 hours, 6 days...), and any number of years.
    const most = {minute: 59, hour: 23, day: 6, week: 4, month: 12, year: 1500}[unit as 'minute']
    for (const count of [1, 2, 3, most]) {
      for (const sign of [-1, 1]) {
        const phrase = relativeTime(new Date(now.getTime() + sign * count * ms).toISOString(), now)
        expect(phrase, `${sign * count} ${unit}`).toBe(intl.format(sign * count, unit))
        said.push(phrase)
      }
    }
  }
  expect(said).toContain('1,500 years ago')
})

it('names the time zone as Intl does, in UTC and in zones with their own names', async () => {
  const before = process.env.TZ
  try {
    for (const zone of ['UTC', 'Etc/UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Africa/Abidjan']) {
      process.env.TZ = zone
      vi.resetModules()
      const {absoluteTime} = await import('../../src/ux/time.js')
      const intl = new Intl.DateTimeFormat('en-GB', {year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short'})
      for (const iso of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) {
        const parts = Object.fromEntries(intl.formatToParts(new Date(iso)).map((part) => [part.type, part.value]))
        expect(absoluteTime(iso), `${zone} ${iso}`).toBe(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`)
      }
    }
  } finally {
    if (before === undefined) delete process.env.TZ
    else process.env.TZ = before
    vi.resetModules()
  }
})

it('groups counts by thousands as en-US does', async () => {
  const {grouped} = await import('../../src/ux/numbers.js')
  for (const count of [0, 7, 999, 1000, 20_000, 1_234_567, -4321, 12.5, Number.MAX_SAFE_INTEGER]) expect(grouped(count)).toBe(count.toLocaleString('en-US'))
})
