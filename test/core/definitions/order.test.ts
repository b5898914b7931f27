// The one order of an object's fields (src/core/definitions/order.ts): the base fieldset's fields in
// definition order, then the other fieldsets' by fieldset id, each in definition order (inactive
// fields after active ones), then any field no fieldset lists, by id.
import {describe, expect, it} from 'vitest'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import {inFieldOrder, orderedFieldIds} from '../../../src/core/definitions/order.js'
import type {ContextObject} from '../../../src/core/model.js'

function customer(data: Record<string, string>, fieldsets: string[]): ContextObject {
  return {id: '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', type: 'customer', fieldsets, data, created: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z'}
}

describe('the order of an object’s fields', () => {
  const definitions = baseDefinitions()
  definitions.fieldsets.zeta = {id: 'zeta', fields: ['Z_Second', 'Z_First'], inactiveFields: ['Z_Gone']}
  definitions.fieldsets.alpha = {id: 'alpha', fields: ['A_Only']}

  it('puts the base fieldset first whatever the object lists first, then the others by id, then unlisted fields by id', () => {
    const object = customer(
      {Z_Gone: 'x', Orphan_B: 'x', Z_First: 'x', A_Only: 'x', Context_City: 'x', Orphan_A: 'x', Context_First_Name: 'x', Z_Second: 'x'},
      ['zeta', 'cisco.base.customer', 'alpha'],
    )
    expect(orderedFieldIds(object, definitions)).toEqual(['Context_First_Name', 'Context_City', 'A_Only', 'Z_Second', 'Z_First', 'Z_Gone', 'Orphan_A', 'Orphan_B'])
    expect(Object.keys(inFieldOrder(object, definitions).data)).toEqual(orderedFieldIds(object, definitions))
  })

  it('returns the same object when its data is in order already, and never changes the one it is given', () => {
    const ordered = customer({Context_First_Name: 'Ada', Context_City: 'London'}, ['cisco.base.customer'])
    expect(inFieldOrder(ordered, definitions)).toBe(ordered)
    const sorted = customer({Context_City: 'London', Context_First_Name: 'Ada'}, ['cisco.base.customer'])
    expect(Object.keys(inFieldOrder(sorted, definitions).data)).toEqual(['Context_First_Name', 'Context_City'])
    expect(Object.keys(sorted.data)).toEqual(['Context_City', 'Context_First_Name'])
  })
})
