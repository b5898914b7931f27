import {describe, expect, it} from 'vitest'
import {clockFromEnv, parseInstant} from '../../src/core/clock.js'
import {InvalidDataError, UsageError} from '../../src/core/errors.js'
import {isUuid, newId, parseId} from '../../src/core/ids.js'
import {assertWithinSizeLimit, canonical, displayName, isCanonical, MAX_OBJECT_BYTES} from '../../src/core/model.js'
import {nextTimestamp} from '../../src/core/objects.js'
import {fixture} from '../contract/store-contract.js'

describe('display name (rule 7)', () => {
  it('prefers the full name, then an email, then a phone, then "Unknown Customer"', () => {
    expect(displayName({data: {Context_First_Name: 'Ada', Context_Last_Name: 'Lovelace', Context_Work_Email: 'a@x.io'}})).toBe('Ada Lovelace')
    expect(displayName({data: {Context_Last_Name: 'Lovelace'}})).toBe('Lovelace')
    expect(displayName({data: {Context_Home_Email: 'home@x.io', Context_Mobile_Phone: '555'}})).toBe('home@x.io')
    expect(displayName({data: {Context_Mobile_Phone: '+1 555 0100'}})).toBe('+1 555 0100')
    expect(displayName({data: {Context_First_Name: '  '}})).toBe('Unknown Customer')
    expect(displayName({data: {}})).toBe('Unknown Customer')
  })
})

describe('the 256 KiB limit (rule 8)', () => {
  it('accepts an object of exactly 256 KiB and refuses one byte more with InvalidDataError', () => {
    const object = fixture('activity', {data: {Context_Notes: ''}})
    const overhead = Buffer.byteLength(JSON.stringify(object))
    object.data.Context_Notes = 'x'.repeat(MAX_OBJECT_BYTES - overhead)
    expect(() => assertWithinSizeLimit(object)).not.toThrow()
    object.data.Context_Notes += 'x'
    expect(() => assertWithinSizeLimit(object)).toThrow(InvalidDataError)
  })

  it('counts bytes, not characters', () => {
    const object = fixture('activity', {data: {Context_Notes: 'é'.repeat(MAX_OBJECT_BYTES / 2)}})
    expect(() => assertWithinSizeLimit(object)).toThrow(InvalidDataError)
  })
})

describe('canonical form', () => {
  it('orders keys as docs/model.md lists them, sorts data keys and drops absent optionals', () => {
    const object = canonical({lastUpdated: 'b', created: 'a', data: {b: 1, a: 2}, fieldsets: ['f'], type: 'customer', id: 'x', externalId: undefined} as never)
    expect(JSON.stringify(object)).toBe('{"id":"x","type":"customer","fieldsets":["f"],"data":{"a":2,"b":1},"created":"a","lastUpdated":"b"}')
  })

  it('is recognised in what canonical() returns, and not in anything it would change', () => {
    const object = canonical({lastUpdated: 'b', created: 'a', data: {b: 1, a: 2}, fieldsets: ['f'], type: 'customer', id: 'x'} as never)
    expect(isCanonical(object)).toBe(true)
    expect(isCanonical(canonical(fixture('activity')))).toBe(true)
    expect(isCanonical({...object, data: {b: 1, a: 2}})).toBe(false)
    expect(isCanonical({type: 'customer', id: 'x', fieldsets: ['f'], data: {a: 2, b: 1}, created: 'a', lastUpdated: 'b'})).toBe(false)
    expect(isCanonical({...object, id: 'x', type: 'customer'})).toBe(true)
    expect(isCanonical({id: 'x', type: 'customer', fieldsets: ['f'], data: {a: 2, b: 1}, lastUpdated: 'b', created: 'a'})).toBe(false)
    expect(isCanonical({...object, externalId: undefined})).toBe(false)
    expect(isCanonical({...object, extra: 1} as never)).toBe(false)
  })
})

describe('the clock', () => {
  it('is frozen at CTX_NOW when set, and refuses a malformed one as a usage error', () => {
    expect(clockFromEnv({CTX_NOW: '2026-01-31T09:00:00Z'})().toISOString()).toBe('2026-01-31T09:00:00.000Z')
    expect(clockFromEnv({CTX_NOW: '2026-01-31'})().toISOString()).toBe('2026-01-31T00:00:00.000Z')
    expect(() => clockFromEnv({CTX_NOW: 'tomorrow'})).toThrow(UsageError)
    expect(() => parseInstant('2026-13-45', 'x')).toThrow(UsageError)
    expect(Math.abs(clockFromEnv({})().getTime() - Date.now())).toBeLessThan(60_000)
  })

  it('moves lastUpdated past the previous value even when the clock stands still', () => {
    const frozen = () => new Date('2026-01-01T00:00:00.000Z')
    expect(nextTimestamp(frozen)).toBe('2026-01-01T00:00:00.000Z')
    expect(nextTimestamp(frozen, '2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.001Z')
    expect(nextTimestamp(frozen, '2025-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z')
  })
})

describe('ids', () => {
  it('are UUIDs, and user-given ids are normalised or refused', () => {
    expect(isUuid(newId())).toBe(true)
    expect(parseId(' 0B6F3E2A-8C1D-4F5E-9A7B-1C2D3E4F5A6B ')).toBe('0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b')
    expect(() => parseId('12345')).toThrow(UsageError)
  })
})
