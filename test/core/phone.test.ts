import {describe, expect, it} from 'vitest'
import {checkEncryptedSearch} from '../../src/core/crypto/search.js'
import {parsePhone, phoneCandidates, phoneKey, samePhone} from '../../src/core/phone.js'
import {baseDefinitions} from '../../src/core/definitions/model.js'
import {matcher} from '../../src/core/search/evaluate.js'
import type {ContextObject} from '../../src/core/model.js'

describe('the phone rule: numbers match by their digits', () => {
  it('ignores spaces, dots, dashes, slashes and parentheses', () => {
    for (const spelling of ['+442079460000', '+44 20 7946 0000', '+44-20-7946-0000', '+44.20.7946.0000', '+44 (20) 7946 0000', '+44/20/79460000']) {
      expect(phoneKey(spelling), spelling).toBe('+442079460000')
    }
    expect(samePhone('(555) 123-4567', '555.123.4567')).toBe(true)
  })

  it('reads a leading 00 as the international prefix, like +', () => {
    expect(samePhone('0044 20 7946 0000', '+44 20 7946 0000')).toBe(true)
    expect(parsePhone('0044 20 7946 0000')).toEqual({digits: '442079460000', international: true, extension: ''})
  })

  it('drops a (0) trunk prefix written after the country code', () => {
    expect(phoneKey('+44 (0)20 7946 0000')).toBe('+442079460000')
    expect(phoneKey('+49 (0) 30 1234567')).toBe('+49301234567')
    expect(phoneKey('0044 (0)20 7946 0000')).toBe('+442079460000')
  })

  it('keeps a national number apart from the international one, leading zeros and all', () => {
    expect(samePhone('020 7946 0000', '+44 20 7946 0000')).toBe(false)
    expect(samePhone('020 7946 0000', '20 7946 0000')).toBe(false)
    expect(samePhone('020 7946 0000', '(020) 7946-0000')).toBe(true)
  })

  it('counts an extension: the same number with another extension, or none, is another number', () => {
    expect(phoneKey('+1 555 123 4567 x12')).toBe('+15551234567x12')
    for (const spelling of ['+1 555 123 4567 ext. 12', '+1 555 123 4567 extension 12', '+1-555-123-4567#12', '+15551234567;ext=12', '+1 555 123 4567, ext 12']) {
      expect(samePhone(spelling, '+1 555 123 4567 x12'), spelling).toBe(true)
    }
    expect(samePhone('+1 555 123 4567 x12', '+1 555 123 4567')).toBe(false)
    expect(samePhone('+1 555 123 4567 x12', '+1 555 123 4567 x13')).toBe(false)
  })

  it('treats text with letters, or fewer than 7 digits, as text: only the same text matches', () => {
    expect(parsePhone('1-800-FLOWERS')).toBeNull()
    expect(parsePhone('555 01')).toBeNull()
    expect(parsePhone('+44 20+7946')).toBeNull()
    expect(samePhone('  555 01 ', '555 01')).toBe(true)
    expect(samePhone('555 01', '55501')).toBe(false)
    expect(samePhone('1-800-FLOWERS', '+18003569377')).toBe(false)
  })

  it('finds every spelling of a number through the index words the search tokenizer stores', () => {
    const stored = ['+44 20 7946 0000', '+442079460000', '0044 20 7946 0000', '00442079460000', '+44 (0)20 7946 0000', '+44-20-7946-0000']
    for (const asked of stored) {
      const filter = phoneCandidates(['Context_Work_Phone'], asked)!
      for (const value of stored) {
        const customer: ContextObject = {id: 'c', type: 'customer', fieldsets: [], data: {Context_Work_Phone: value}, created: '', lastUpdated: ''}
        expect(matcher(filter, baseDefinitions())(customer), `${asked} finds ${value}`).toBe(true)
      }
    }
    const national = phoneCandidates(['Context_Work_Phone'], '(020) 7946-0000')!
    for (const value of ['020 7946 0000', '02079460000', '020-7946-0000']) {
      const customer: ContextObject = {id: 'c', type: 'customer', fieldsets: [], data: {Context_Work_Phone: value}, created: '', lastUpdated: ''}
      expect(matcher(national, baseDefinitions())(customer), value).toBe(true)
    }
  })

  it('asks an encrypted phone field nothing it refuses: a number written in bare groups as pairs of words, still found', () => {
    // Phone fields are PII, sealed at rest: their index keeps words and pairs of words, and search refuses longer phrases.
    for (const asked of ['020 7946 0000', '+1 555 123 4567 x12', 'call me back later']) {
      expect(() => checkEncryptedSearch(phoneCandidates(['Context_Work_Phone'], asked), baseDefinitions()), asked).not.toThrow()
    }
    const bare = phoneCandidates(['Context_Work_Phone'], '020 7946 0000')!
    const customer = (value: string): ContextObject => ({id: 'c', type: 'customer', fieldsets: [], data: {Context_Work_Phone: value}, created: '', lastUpdated: ''})
    expect(matcher(bare, baseDefinitions())(customer('020 7946 0000'))).toBe(true)
    expect(matcher(bare, baseDefinitions())(customer('020 7946 1111'))).toBe(false)
  })
})
