import {describe, expect, it} from 'vitest'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import type {ContextObject} from '../../../src/core/model.js'
import {matcher} from '../../../src/core/search/evaluate.js'
import {containsPhrase, words} from '../../../src/core/search/words.js'

describe('words', () => {
  it('cuts text into lower-case words of letters and digits', () => {
    expect(words('Late DELIVERY, again!')).toEqual(['late', 'delivery', 'again'])
    expect(words('Zürich ＡＤＡ')).toEqual(['zürich', 'ada'])
    expect(words('  ')).toEqual([])
  })

  it('keeps an email address, a dotted or dashed name and an apostrophe together', () => {
    expect(words('mail Ada.Lovelace+ctx@example.co.uk now')).toEqual(['mail', 'ada.lovelace+ctx@example.co.uk', 'now'])
    expect(words('Smith-Jones')).toEqual(['smith-jones'])
    expect(words('O’Brien')).toEqual(["o'brien"])
  })

  it('makes a phone number one word of its digits, however it is written', () => {
    for (const written of ['+44 20 7946 0000', '+44-20-7946-0000', '+44.20.7946.0000', '+442079460000', '44-20-7946-0000', '+44 (20) 7946 0000']) {
      expect(words(written), written).toEqual(['442079460000'])
    }
    expect(words('(555) 123-4567 ext 12')).toEqual(['5551234567', 'ext', '12'])
    expect(words('+1 (555) 123-4567')).toEqual(['15551234567'])
  })

  it('leaves short numbers and space-separated groups without + or ( as words', () => {
    expect(words('order 1234 5678')).toEqual(['order', '1234', '5678'])
    expect(words('version 1.5, +1 vote')).toEqual(['version', '1.5', '1', 'vote'])
  })
})

describe('containsPhrase', () => {
  it('finds consecutive whole words only', () => {
    expect(containsPhrase(['a', 'late', 'delivery'], ['late', 'delivery'])).toBe(true)
    expect(containsPhrase(['delivery', 'late'], ['late', 'delivery'])).toBe(false)
    expect(containsPhrase(['late', 'x', 'delivery'], ['late', 'delivery'])).toBe(false)
    expect(containsPhrase(['smithson'], ['smith'])).toBe(false)
  })
})

describe('the word matcher', () => {
  // The matcher refuses most texts with a cheap test before cutting them into words; that test
  // must never refuse a text that the words say matches.
  it('answers exactly as words() and containsPhrase() do, for random text and phrases', () => {
    let state = 42
    const next = () => (state = (state * 48271) % 2_147_483_647) / 2_147_483_647
    const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]
    const vocabulary = ['smith', 'Smith', 'SMITHSON', 'o’brien', "o'brien", 'ada@example.com', 'a.b', 'Context_Notes', 'x1', '555', '123', '4567', '2026', '01', '31', 'x', 'é', 'José', 'ﬁne', 'K']
    const gaps = [' ', ' ', '-', '.', '+', '(', ')', ', ', '; ', '  ', '@', "'", '’', '/', '_', '--', '-.', '']
    const definitions = baseDefinitions()
    for (let round = 0; round < 6000; round++) {
      const text = Array.from({length: 1 + Math.floor(next() * 8)}, () => pick(vocabulary) + pick(gaps)).join('')
      const textWords = words(text)
      const object: ContextObject = {id: 'x', type: 'activity', fieldsets: [], data: {Context_Notes: text}, created: '', lastUpdated: ''}
      // Phrases that are in the text, and words that are only parts of its words ("smith" in "x-smith").
      const parts = [['smith'], ['x'], ['a'], ['b'], ['context'], ['notes'], ['example.com'], ['brien'], ['1'], ['smith', 'x'], ['555', '123']]
      const phrases = [...textWords.map((_, start) => textWords.slice(start, start + 1 + Math.floor(next() * 3))), words(pick(vocabulary) + ' ' + pick(vocabulary)), ...parts]
      for (const needle of phrases.filter((phrase) => phrase.length > 0)) {
        const expected = containsPhrase(textWords, needle)
        expect(matcher({kind: 'words', key: 'Context_Notes', words: needle}, definitions)(object), `${JSON.stringify(text)} ${needle}`).toBe(expected)
        expect(matcher({kind: 'words', key: null, words: needle}, definitions)(object)).toBe(expected)
      }
    }
  })
})
