// Data keys under a key-encryption key: values sealed with AES-256-GCM, bound to their object and
// field; wrong, missing and destroyed keys and tampering refused with exit 7; rotation re-wraps.
import {randomBytes} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {KeyError} from '../../../src/core/crypto/errors.js'
import {fingerprintOf, type KeyEncryptionKey} from '../../../src/core/crypto/key-file.js'
import {words} from '../../../src/core/search/words.js'
import {customerKeyId, INDEX_KEY_ID, isSealed, Keyring, type KeyringRecord, STORE_KEY_ID} from '../../../src/core/crypto/keyring.js'

const NOW = '2026-12-07T03:00:00.000Z'

function kek(name = 'test.key'): KeyEncryptionKey {
  const bytes = randomBytes(32)
  return {bytes, fingerprint: fingerprintOf(bytes), created: NOW, path: `/keys/${name}`}
}

function recordOf(keyring: Keyring, keys: Record<string, string>): KeyringRecord {
  return {...keyring.record, keys}
}

function exitCodeOf(work: () => unknown): number | undefined {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError)
    return (error as KeyError).exitCode
  }
  return undefined
}

const ALICE = customerKeyId('c-alice')

describe('a keyring', () => {
  it('is made with a store key and an index key, wrapped, to be stored', () => {
    const keyring = Keyring.create(kek(), NOW)
    const fresh = keyring.takeFresh()
    expect(Object.keys(fresh).sort()).toEqual([INDEX_KEY_ID, STORE_KEY_ID])
    for (const wrapped of Object.values(fresh)) expect(Buffer.from(wrapped, 'base64')).toHaveLength(12 + 32 + 16)
    expect(keyring.takeFresh()).toEqual({})
  })

  it('seals a value so that it reads back, with the type it had, and holds no clear text', () => {
    const keyring = Keyring.create(kek(), NOW)
    for (const value of ['Ada Lovelace', 42, 2.5, true, 'Zoë 東京 😀']) {
      const sealed = keyring.seal('o1', 'Context_First_Name', ALICE, value)
      expect(isSealed(sealed)).toBe(true)
      expect(JSON.stringify(sealed)).not.toContain(String(value))
      expect(keyring.open('o1', 'Context_First_Name', sealed)).toStrictEqual(value)
    }
  })

  it('uses a fresh nonce for every value: the same value never seals the same way twice', () => {
    const keyring = Keyring.create(kek(), NOW)
    const a = keyring.seal('o1', 'F', ALICE, 'same')
    const b = keyring.seal('o1', 'F', ALICE, 'same')
    expect(a.sealed).not.toBe(b.sealed)
    expect(Buffer.from(a.sealed, 'base64').subarray(0, 12).equals(Buffer.from(b.sealed, 'base64').subarray(0, 12))).toBe(false)
  })

  it('refuses a value copied to another field or another object (exit 7)', () => {
    const keyring = Keyring.create(kek(), NOW)
    const sealed = keyring.seal('o1', 'Context_Home_Email', ALICE, 'ada@example.com')
    expect(exitCodeOf(() => keyring.open('o1', 'Context_Work_Email', sealed))).toBe(7)
    expect(exitCodeOf(() => keyring.open('o2', 'Context_Home_Email', sealed))).toBe(7)
  })

  it('binds ids of any length and any characters, each value to its own ids alone', () => {
    const keyring = Keyring.create(kek(), NOW)
    // Long enough not to fit the buffer the associated data is usually written into.
    const long = `o-${'é'.repeat(3000)}`
    const sealedLong = keyring.seal(long, 'Context_Notes', ALICE, 'long')
    const sealedShort = keyring.seal('o1', 'Context_Notes', ALICE, 'short')
    expect(keyring.open(long, 'Context_Notes', sealedLong)).toBe('long')
    expect(keyring.open('o1', 'Context_Notes', sealedShort)).toBe('short')
    expect(exitCodeOf(() => keyring.open(`${long}x`, 'Context_Notes', sealedLong))).toBe(7)
    expect(exitCodeOf(() => keyring.open('o1x', 'Context_Notes', sealedShort))).toBe(7)
  })

  it('refuses a tampered value (exit 7): any flipped bit of nonce, ciphertext or tag', () => {
    const keyring = Keyring.create(kek(), NOW)
    const sealed = keyring.seal('o1', 'F', ALICE, 'ada@example.com')
    const bytes = Buffer.from(sealed.sealed, 'base64')
    for (const at of [0, 12, bytes.length - 1]) {
      const changed = Buffer.from(bytes)
      changed[at] ^= 1
      expect(exitCodeOf(() => keyring.open('o1', 'F', {...sealed, sealed: changed.toString('base64')}))).toBe(7)
    }
    expect(exitCodeOf(() => keyring.open('o1', 'F', {...sealed, sealed: 'AAAA'}))).toBe(7)
  })

  it('opens with the key it was stored under, and refuses another key (exit 7) naming the fingerprint needed', () => {
    const key = kek()
    const keyring = Keyring.create(key, NOW)
    const sealed = keyring.seal('o1', 'F', ALICE, 'secret')
    const stored = recordOf(keyring, keyring.takeFresh())
    expect(Keyring.open(stored, key, 'store.json').open('o1', 'F', sealed)).toBe('secret')
    const other = kek('other.key')
    let refusal: KeyError | undefined
    try {
      Keyring.open(stored, other, 'store.json')
    } catch (error) {
      refusal = error as KeyError
    }
    expect(refusal).toBeInstanceOf(KeyError)
    expect(refusal!.exitCode).toBe(7)
    expect(refusal!.message).toContain(key.fingerprint)
    expect(refusal!.message).toContain('store.json')
  })

  it('refuses a wrapped key moved to another key id, or damaged (exit 7)', () => {
    const key = kek()
    const keyring = Keyring.create(key, NOW)
    keyring.seal('o1', 'F', ALICE, 'secret')
    const keys = keyring.takeFresh()
    const bob = customerKeyId('c-bob')
    const swapped = Keyring.open(recordOf(keyring, {...keys, [bob]: keys[ALICE]}), key, 'store.json')
    expect(exitCodeOf(() => swapped.seal('o2', 'F', bob, 'x'))).toBe(7)
  })

  it('gives each customer a data key of its own; a destroyed one reads nothing, the others still read', () => {
    const key = kek()
    const keyring = Keyring.create(key, NOW)
    const bob = customerKeyId('c-bob')
    const alices = keyring.seal('a', 'F', ALICE, 'alice')
    const bobs = keyring.seal('b', 'F', bob, 'bob')
    const before = recordOf(keyring, keyring.takeFresh())
    expect(before.keys[ALICE]).not.toBe(before.keys[bob])
    // The store after `customers delete` of Alice: her wrapped key is gone from it.
    const after = Keyring.open({...before, keys: Object.fromEntries(Object.entries(before.keys).filter(([id]) => id !== ALICE))}, key, 'store.json')
    expect(exitCodeOf(() => after.open('a', 'F', alices))).toBe(7)
    expect(after.open('b', 'F', bobs)).toBe('bob')
    // Destroyed in a keyring in use: not made again by a later write either.
    const live = Keyring.open(before, key, 'store.json')
    live.destroy(ALICE)
    expect(exitCodeOf(() => live.open('a', 'F', alices))).toBe(7)
    expect(exitCodeOf(() => live.seal('a', 'F', ALICE, 'again'))).toBe(7)
  })

  it('rotates: every data key re-wrapped under the new key, the old key refused, the values unchanged and readable', () => {
    const old = kek('old.key')
    const keyring = Keyring.create(old, NOW)
    const sealed = keyring.seal('o1', 'F', ALICE, 'kept')
    const stored = recordOf(keyring, keyring.takeFresh())
    const next = kek('new.key')
    const rotated = Keyring.open(stored, old, 's').rewrap(next, stored.keys, '2026-12-08T00:00:00.000Z')
    expect(rotated.kek).toBe(next.fingerprint)
    expect(rotated.rotated).toBe('2026-12-08T00:00:00.000Z')
    expect(Object.keys(rotated.keys).sort()).toEqual(Object.keys(stored.keys).sort())
    for (const id of Object.keys(stored.keys)) expect(rotated.keys[id]).not.toBe(stored.keys[id])
    expect(Keyring.open(rotated, next, 's').open('o1', 'F', sealed)).toBe('kept')
    expect(exitCodeOf(() => Keyring.open(rotated, old, 's'))).toBe(7)
  })
})

describe('keys held in memory', () => {
  it('are forgotten past a bound once stored, but for the store\'s, the index\'s and those not yet stored; a forgotten one is read again', () => {
    const keyring = Keyring.create(kek(), NOW)
    const customers = ['c1', 'c2', 'c3', 'c4'].map(customerKeyId)
    const sealed = customers.map((id) => keyring.seal('o', 'F', id, id))
    const stored = keyring.takeFresh()
    const unstored = customerKeyId('c5')
    keyring.seal('o', 'F', unstored, 'not stored yet')
    keyring.forgetBeyond(100)
    expect(customers.every((id) => keyring.has(id))).toBe(true)
    keyring.forgetBeyond(3)
    expect(customers.some((id) => keyring.has(id))).toBe(false)
    expect([STORE_KEY_ID, INDEX_KEY_ID, unstored].every((id) => keyring.has(id))).toBe(true)
    expect(keyring.takeFresh()).toHaveProperty([unstored])
    keyring.learn(stored)
    expect(sealed.map((value) => keyring.open('o', 'F', value))).toEqual(customers)
  })
})

describe('blind-index tokens', () => {
  it('are the same for the same word under one store, differ between words and between stores, and hide the word', () => {
    const key = kek()
    const keyring = Keyring.create(key, NOW)
    const stored = recordOf(keyring, keyring.takeFresh())
    const again = Keyring.open(stored, key, 's')
    expect(again.token('ada@example.com')).toBe(keyring.token('ada@example.com'))
    expect(keyring.token('ada@example.com')).not.toBe(keyring.token('bob@example.com'))
    expect(Keyring.create(kek(), NOW).token('ada@example.com')).not.toBe(keyring.token('ada@example.com'))
    expect(keyring.token('ada')).toMatch(/^#[A-Za-z0-9_-]{16}$/)
  })

  it('cover each word and each two consecutive words, sorted and distinct', () => {
    const keyring = Keyring.create(kek(), NOW)
    const sealed = keyring.seal('o', 'F', ALICE, 'new york new york', ['new', 'york', 'new', 'york'])
    const expected = [keyring.token('new'), keyring.token('york'), keyring.token('new york'), keyring.token('york new')].sort()
    expect(sealed.tokens).toEqual(expected)
    expect(keyring.seal('o', 'F', ALICE, 'x', []).tokens).toBeUndefined()
  })

  it('of a searchable value are those of its words, the same when the text comes again, and a new ciphertext each time', () => {
    const keyring = Keyring.create(kek(), NOW)
    for (const text of ['New York new YORK', '+44 20 7946 0000', 'ada@example.com', 'New York new YORK', 42]) {
      const sealed = keyring.sealSearchable('o', 'F', ALICE, text)
      expect(sealed.tokens).toEqual(keyring.seal('o', 'F', ALICE, text, words(String(text))).tokens)
      expect(keyring.open('o', 'F', sealed)).toEqual(text)
    }
    const first = keyring.sealSearchable('o', 'F', ALICE, 'Paris')
    const again = keyring.sealSearchable('p', 'F', customerKeyId('c-bob'), 'Paris')
    expect(again.tokens).toEqual(first.tokens)
    expect(again.sealed).not.toBe(first.sealed)
    expect(keyring.sealSearchable('o', 'F', ALICE, '...').tokens).toBeUndefined()
  })
})
