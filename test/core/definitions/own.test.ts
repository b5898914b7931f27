// A store's own definitions (what fields export writes and a JSON Lines export carries): its custom
// fields and fieldsets, and base ones it changed, never the base definitions as shipped.
import {describe, expect, it} from 'vitest'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import {hasOwnDefinitions, ownDefinitions} from '../../../src/core/definitions/own.js'

describe('ownDefinitions', () => {
  it('is empty for the base definitions as shipped', () => {
    const own = ownDefinitions(baseDefinitions())
    expect(own).toEqual({fields: [], fieldsets: []})
    expect(hasOwnDefinitions(own)).toBe(false)
  })

  it('holds custom definitions and base ones the store changed', () => {
    const definitions = baseDefinitions()
    definitions.fields.Acme_Tier = {id: 'Acme_Tier', dataType: 'string', classification: 'UNENCRYPTED', searchable: true}
    definitions.fieldsets['cisco.base.customer'].fields.push('Acme_Tier')
    definitions.fields.Context_City = {...definitions.fields.Context_City, translations: {en_US: 'Town'}}
    const own = ownDefinitions(definitions)
    expect(own.fields.map((field) => field.id)).toEqual(['Context_City', 'Acme_Tier'])
    expect(own.fieldsets).toEqual([definitions.fieldsets['cisco.base.customer']])
  })
})
