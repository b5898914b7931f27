// The operations on one value of a keyring (keyring.ts): AES-256-GCM from node:crypto with a fresh
// random nonce per value and the object id and field id bound as associated data; blind-index
// tokens as keyed HMAC-SHA256. Written to allocate little: an import seals five values or more per
// row (bench P3; docs/import-profile.md).
import {createCipheriv, createDecipheriv, createHmac, createSecretKey, type KeyObject, randomFillSync} from 'node:crypto'
import type {FieldValue} from '../model.js'
import {words} from '../search/words.js'
import {TOKEN_PREFIX} from './sealed-value.js'

export const KEY_BYTES = 32
export const NONCE_BYTES = 12
export const TAG_BYTES = 16
/** Bytes of HMAC-SHA256 kept per token: 96 bits, so two words share a token with odds of ~2⁻⁹⁶. */
const TOKEN_BYTES = 12

/** Random bytes from the system's CSPRNG, drawn 64 KiB at a time: one call per value cost ~5% of an import. */
const RANDOM_POOL = Buffer.alloc(64 * 1024)
let randomUsed = RANDOM_POOL.length

/** Copies `size` fresh random bytes into `target` at `offset`; each byte handed out is wiped from the pool. */
function fillRandom(target: Buffer, offset: number, size: number): void {
  if (randomUsed + size > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL)
    randomUsed = 0
  }
  RANDOM_POOL.copy(target, offset, randomUsed, randomUsed + size)
  RANDOM_POOL.fill(0, randomUsed, randomUsed + size)
  randomUsed += size
}

export function randomBytes(size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size)
  fillRandom(bytes, 0, size)
  return bytes
}

/** The associated data of a value is written here rather than into a new buffer each time (setAAD copies it). */
const AAD_SCRATCH = Buffer.allocUnsafe(4096)

function aad(text: string): Buffer {
  // At most 3 bytes per UTF-16 unit: a text that might not fit gets a buffer of its own.
  if (text.length * 3 > AAD_SCRATCH.length) return Buffer.from(text, 'utf8')
  return AAD_SCRATCH.subarray(0, AAD_SCRATCH.write(text, 'utf8'))
}

export function keyAad(id: string): Buffer {
  return aad(`ctx data key\0${id}`)
}

function valueAad(objectId: string, fieldId: string): Buffer {
  return aad(`ctx value\0${objectId}\0${fieldId}`)
}

/** The nonce, ciphertext and tag of a value are put together here before their base64 is taken. */
const SEALED_SCRATCH = Buffer.allocUnsafe(4096)
const SCRATCH_NONCE = SEALED_SCRATCH.subarray(0, NONCE_BYTES)

/** `clear` encrypted under `key` with a fresh nonce and `associated` bound: nonce, ciphertext and tag, base64. */
function encrypt(key: Buffer, associated: Buffer, clear: Buffer | string): string {
  const length = typeof clear === 'string' ? Buffer.byteLength(clear, 'utf8') : clear.length
  const size = NONCE_BYTES + length + TAG_BYTES
  // The scratch buffer when the value fits (nearly always): no buffer allocated per value but the cipher's own.
  const out = size <= SEALED_SCRATCH.length ? SEALED_SCRATCH : Buffer.allocUnsafe(size)
  fillRandom(out, 0, NONCE_BYTES)
  // The cipher copies the nonce (and the key) when it is made.
  const cipher = createCipheriv('aes-256-gcm', key, out === SEALED_SCRATCH ? SCRATCH_NONCE : out.subarray(0, NONCE_BYTES))
  cipher.setAAD(associated)
  const body = typeof clear === 'string' ? cipher.update(clear, 'utf8') : cipher.update(clear)
  body.copy(out, NONCE_BYTES)
  // GCM is a stream mode: final() gives no more bytes, only the tag.
  cipher.final()
  cipher.getAuthTag().copy(out, NONCE_BYTES + length)
  return out.toString('base64', 0, size)
}

/** The clear bytes of what `encrypt` made; throws when the tag does not match (tampered, moved, another key). */
function decrypt(key: Buffer, associated: Buffer, sealed: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64')
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('too short')
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES))
  decipher.setAAD(associated)
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
  const body = decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES))
  decipher.final()
  return body
}

/** A field's value sealed under a data key, bound to its object and field. */
export function sealValue(key: Buffer, objectId: string, fieldId: string, value: FieldValue): string {
  return encrypt(key, valueAad(objectId, fieldId), JSON.stringify(value))
}

/** The value `sealValue` sealed; throws when it does not open (the caller says why, exit 7). */
export function openValue(key: Buffer, objectId: string, fieldId: string, sealed: string): FieldValue {
  return JSON.parse(decrypt(key, valueAad(objectId, fieldId), sealed).toString('utf8')) as FieldValue
}

/** A data key wrapped under the key-encryption key, with the key's id bound as associated data. */
export function wrapKeyBytes(kek: Buffer, id: string, key: Buffer): string {
  return encrypt(kek, keyAad(id), key)
}

/** The data key `wrapKeyBytes` wrapped; throws when it does not open or is not a key. */
export function unwrapKeyBytes(kek: Buffer, id: string, wrapped: string): Buffer {
  const key = decrypt(kek, keyAad(id), wrapped)
  if (key.length !== KEY_BYTES) throw new Error('wrong length')
  return key
}

/**
 * Words whose tokens are remembered (about 1 MB at most). What repeats (names, cities, domains) is a
 * few thousand words; unique ones (emails, phone numbers) only fill the cache, and a bigger one held
 * ~10 MB more during a bulk import into PostgreSQL, which V8 let grow ~4× before collecting (bench P2a).
 */
const TOKEN_CACHE_SIZE = 10_000
/** Texts whose tokens are remembered: names, cities, streets and countries repeat across an import (bench P3). */
const TEXT_CACHE_SIZE = 10_000

/**
 * The blind index of a store: the token of a word is the same store-wide, so each distinct word is
 * hashed once (names, cities, domains and their pairs repeat across an import). The cache is
 * bounded, so a long import of distinct words keeps memory flat (it starts again when full).
 */
export class BlindIndex {
  private readonly key: KeyObject
  private readonly cache = new Map<string, string>()
  private readonly texts = new Map<string, readonly string[]>()

  constructor(key: Buffer) {
    // One key object for every HMAC: from raw bytes, each call would import the key again.
    this.key = createSecretKey(key)
  }

  /** The token of one word (as words() cuts it), or of two words with a space between. */
  token(word: string): string {
    const known = this.cache.get(word)
    if (known !== undefined) return known
    const token = TOKEN_PREFIX + createHmac('sha256', this.key).update(word, 'utf8').digest().subarray(0, TOKEN_BYTES).toString('base64url')
    if (this.cache.size >= TOKEN_CACHE_SIZE) this.cache.clear()
    this.cache.set(word, token)
    return token
  }

  /**
   * The tokens of a value's words: one per word, and one per two consecutive words (the token of
   * both, a space between: no word holds a space), so that a two-word phrase is answered exactly.
   * Distinct and sorted: their order tells nothing about the order of the words.
   */
  tokens(searchWords: readonly string[]): string[] {
    const tokens = new Set<string>()
    for (let index = 0; index < searchWords.length; index++) {
      tokens.add(this.token(searchWords[index]))
      if (index > 0) tokens.add(this.token(`${searchWords[index - 1]} ${searchWords[index]}`))
    }
    return [...tokens].sort()
  }

  /**
   * The tokens of a text's words (words() cuts them), as `tokens` gives them. A text seen before gets
   * the same frozen list again: words() and the lookups of each word and pair cost more than the
   * HMACs of an import's repeated values (bench P3). Bounded like the word cache.
   */
  tokensOfText(text: string): readonly string[] {
    const known = this.texts.get(text)
    if (known !== undefined) return known
    const tokens = Object.freeze(this.tokens(words(text)))
    if (this.texts.size >= TEXT_CACHE_SIZE) this.texts.clear()
    this.texts.set(text, tokens)
    return tokens
  }
}
