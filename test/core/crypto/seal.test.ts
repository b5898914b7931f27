// Objects as a store holds them: PII and ENCRYPTED values sealed (which ones is read from the
// definitions), with blind-index tokens for searchable ones; opened back whatever the definitions say now.
import {randomBytes} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {KeyError} from '../../../src/core/crypto/errors.js'
import {fingerprintOf} from '../../../src/core/crypto/key-file.js'
import {customerKeyId, isSealed, Keyring, STORE_KEY_ID} from '../../../src/core/crypto/keyring.js'
import {dataKeyIdOf, encryptedFields, holdsEncryptedValue, holdsSealedValue, keyIdsOf, openObject, sealObject, tokensOf} from '../../../src/core/crypto/seal.js'
import {checkEncryptedSearch} from '../../../src/core/crypto/search.js'
import {baseDefinitions, type Definitions} from '../../../src/core/definitions/model.js'
import type {ContextObject} from '../../../src/core/model.js'
import {parseQuery} from '../../../src/core/search/query.js'
import {expectNoClearValue} from '../../helpers/clear-text.js'

const NOW = '2026-12-07T03:00:00.000Z'

function keyring(): Keyring {
  const bytes = randomBytes(32)
  return Keyring.create({bytes, fingerprint: fingerprintOf(bytes), created: NOW, path: '/k'}, NOW)
}

/** The base definitions with two fields of our own: a searchable PII one and an unsearchable ENCRYPTED one. */
function definitions(): Definitions {
  const base = baseDefinitions()
  base.fields.Test_Secret = {id: 'Test_Secret', dataType: 'string', classification: 'ENCRYPTED', searchable: false}
  base.fields.Test_Tier = {id: 'Test_Tier', dataType: 'string', classification: 'UNENCRYPTED'}
  base.fields.Test_Born = {id: 'Test_Born', dataType: 'date', classification: 'PII'}
  return base
}

const customer: ContextObject = {
  id: 'c-1',
  type: 'customer',
  fieldsets: ['cisco.base.customer'],
  data: {Context_First_Name: 'Ada', Context_Home_Email: 'Ada@Example.com', Context_Mobile_Phone: '+44 20 7946 0000', Test_Secret: 'x-9', Test_Tier: 'gold'},
  created: NOW,
  lastUpdated: NOW,
}

describe('which fields are sealed', () => {
  it('follows each field\'s classification in the definitions: PII and ENCRYPTED, not UNENCRYPTED', () => {
    const fields = encryptedFields(definitions())
    for (const field of Object.values(definitions().fields)) expect(fields.has(field.id)).toBe(field.classification !== 'UNENCRYPTED')
    expect(fields.get('Test_Secret')).toEqual({searchable: false})
    expect(fields.get('Context_First_Name')).toEqual({searchable: true})
    // Reclassified as data: a field made ENCRYPTED is sealed from then on.
    const changed = definitions()
    changed.fields.Test_Tier.classification = 'ENCRYPTED'
    expect(encryptedFields(changed).has('Test_Tier')).toBe(true)
  })

  it('keys an object to its customer, else to its parent\'s key, else to the store', () => {
    expect(dataKeyIdOf(customer)).toBe(customerKeyId('c-1'))
    expect(dataKeyIdOf({...customer, id: 'r', type: 'request', customerId: 'c-1'})).toBe(customerKeyId('c-1'))
    const comment = {...customer, id: 'm', type: 'comment' as const, parentId: 'a'}
    expect(dataKeyIdOf(comment, (parent) => (parent === 'a' ? customerKeyId('c-2') : undefined))).toBe(customerKeyId('c-2'))
    expect(dataKeyIdOf(comment)).toBe(STORE_KEY_ID)
    expect(dataKeyIdOf({...customer, id: 'a', type: 'activity'})).toBe(STORE_KEY_ID)
  })
})

describe('sealing and opening an object', () => {
  it('seals PII and ENCRYPTED values, keeps the others, and opens back to the same object', () => {
    const keys = keyring()
    const fields = encryptedFields(definitions())
    expect(holdsEncryptedValue(customer, fields)).toBe(true)
    const sealed = sealObject(customer, fields, keys, dataKeyIdOf(customer))
    const text = JSON.stringify(sealed)
    expectNoClearValue(text, ['Ada', 'ada@example.com', 'Ada@Example.com', '7946', 'x-9'])
    expect(sealed.data.Test_Tier).toBe('gold')
    expect(holdsSealedValue(sealed)).toBe(true)
    expect(holdsEncryptedValue(sealed, fields)).toBe(false)
    expect(keyIdsOf([sealed])).toEqual(new Set([customerKeyId('c-1')]))
    expect(openObject(sealed, keys)).toEqual(customer)
    // The object given is left as it was.
    expect(customer.data.Context_First_Name).toBe('Ada')
  })

  it('gives searchable sealed fields the tokens of their words, unsearchable ones none', () => {
    const keys = keyring()
    const sealed = sealObject(customer, encryptedFields(definitions()), keys, dataKeyIdOf(customer))
    expect(tokensOf(sealed.data.Context_Home_Email)).toEqual([keys.token('ada@example.com')])
    expect(tokensOf(sealed.data.Context_Mobile_Phone)).toEqual([keys.token('442079460000')])
    expect(tokensOf(sealed.data.Test_Secret)).toEqual([])
    expect(tokensOf(sealed.data.Test_Tier)).toEqual([])
  })

  it('leaves an object without encrypted values as it is, and leaves sealed values sealed under the same key', () => {
    const keys = keyring()
    const fields = encryptedFields(definitions())
    const plain = {...customer, data: {Test_Tier: 'gold'}}
    expect(sealObject(plain, fields, keys, dataKeyIdOf(plain))).toBe(plain)
    const sealed = sealObject(customer, fields, keys, dataKeyIdOf(customer))
    const again = sealObject(sealed, fields, keys, dataKeyIdOf(customer))
    expect(again).toBe(sealed)
  })

  it('seals again under the new key when the object changes customer (an activity moved)', () => {
    const keys = keyring()
    const activity: ContextObject = {...customer, id: 'a-1', type: 'activity', customerId: 'c-1', data: {Context_Notes: 'called twice'}}
    const fields = new Map([['Context_Notes', {searchable: true}]])
    const sealed = sealObject(activity, fields, keys, dataKeyIdOf(activity))
    const moved = {...sealed, customerId: 'c-2'}
    const resealed = sealObject(moved, fields, keys, dataKeyIdOf(moved))
    expect(isSealed(resealed.data.Context_Notes) && resealed.data.Context_Notes.key).toBe(customerKeyId('c-2'))
    expect(openObject(resealed, keys).data.Context_Notes).toBe('called twice')
  })

  it('opens sealed values even when their field is no longer classified encrypted, and refuses a swapped value (exit 7)', () => {
    const keys = keyring()
    const sealed = sealObject(customer, encryptedFields(definitions()), keys, dataKeyIdOf(customer))
    expect(openObject(sealed, keys).data.Context_First_Name).toBe('Ada')
    const swapped = {...sealed, data: {...sealed.data, Context_First_Name: sealed.data.Context_Home_Email}}
    const error = (() => {
      try {
        openObject(swapped, keys)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(KeyError)
    expect((error as KeyError).exitCode).toBe(7)
  })
})

describe('what search refuses on encrypted fields', () => {
  const check = (query: string) => {
    try {
      checkEncryptedSearch(parseQuery(query), definitions())
      return null
    } catch (error) {
      return error as {exitCode: number; message: string}
    }
  }

  it('answers whole words, in a field or in any, and ranges and phrases on clear fields', () => {
    expect(check('Context_Home_Email:ada@example.com')).toBeNull()
    expect(check('ada')).toBeNull()
    expect(check('ada lovelace')).toBeNull()
    expect(check('"ada lovelace"')).toBeNull()
    expect(check('Context_City:"new york"')).toBeNull()
    expect(check('Test_Tier:"gold plus"')).toBeNull()
    expect(check('lastUpdated:>=2026-01-01')).toBeNull()
  })

  it('refuses a range on an encrypted field (exit 2), naming the field and why', () => {
    const error = check('Test_Born:>=2000-01-01')
    expect(error?.exitCode).toBe(2)
    expect(error?.message).toContain('Test_Born')
    expect(error?.message).toContain('range')
  })

  it('refuses a phrase of three words in an encrypted field, or in every field when a searchable one is encrypted (exit 2)', () => {
    const inField = check('Context_First_Name:"ada mary jane"')
    expect(inField?.exitCode).toBe(2)
    expect(inField?.message).toContain('Context_First_Name')
    expect(inField?.message).toContain('phrase')
    const bare = check('"ada king lovelace"')
    expect(bare?.exitCode).toBe(2)
    expect(bare?.message).toContain('encrypted')
  })

  it('refuses nothing when no field is encrypted', () => {
    const clear = definitions()
    for (const field of Object.values(clear.fields)) field.classification = 'UNENCRYPTED'
    expect(() => checkEncryptedSearch(parseQuery('"ada lovelace" Test_Born:>=2000-01-01'), clear)).not.toThrow()
  })
})
