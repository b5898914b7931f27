import {describe, expect, it} from 'vitest'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import type {ContextObject} from '../../../src/core/model.js'
import {matcher} from '../../../src/core/search/evaluate.js'
import {parseQuery} from '../../../src/core/search/query.js'

const at = (lastUpdated: string): ContextObject => ({id: 'x', type: 'customer', fieldsets: [], data: {}, created: lastUpdated, lastUpdated})
const matches = (query: string, object: ContextObject) => matcher(parseQuery(query), baseDefinitions())(object)

describe('date ranges in memory', () => {
  it('compares instants, also when one was stored in another form than ctx writes', () => {
    const offset = at('2026-02-01T00:30:00+01:00') // 2026-01-31T23:30Z
    expect(matches('lastUpdated:2026-01-31', offset)).toBe(true)
    expect(matches('lastUpdated:>=2026-02-01', offset)).toBe(false)
    const noMillis = at('2026-02-01T00:00:00Z')
    expect(matches('lastUpdated:>=2026-02-01', noMillis)).toBe(true)
    expect(matches('lastUpdated:<2026-02-01', noMillis)).toBe(false)
    expect(matches('lastUpdated:2026-02-01T00:00:00.000Z', noMillis)).toBe(true)
  })
})
