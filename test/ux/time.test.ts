import {expect, it} from 'vitest'
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
