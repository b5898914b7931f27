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
