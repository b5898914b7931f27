// A store's data keys and what they do: envelope encryption with AES-256-GCM from node:crypto.
// Every data key is 32 random bytes wrapped (AES-256-GCM) by the key-encryption key, which never sits
// in the store; the store keeps only the wrapped keys and the KEK's fingerprint. There is one data
// key per customer (for the customer and everything that belongs to it: destroying it forgets their
// values, even in older copies of the store read with the current keys), one for objects that belong
// to no customer, and one for the blind index (keyed HMAC tokens that let search find a whole word
// without the word being stored). Loaded only when a command touches encrypted data.
import type {FieldValue} from '../model.js'
import {BlindIndex, KEY_BYTES, openValue, randomBytes, sealValue, unwrapKeyBytes, wrapKeyBytes} from './cipher.js'
import {KeyError} from './errors.js'
import type {KeyEncryptionKey} from './key-file.js'
import {INDEX_KEY_ID, type SealedValue, STORE_KEY_ID} from './sealed-value.js'

export {customerKeyId, INDEX_KEY_ID, isSealed, type SealedValue, STORE_KEY_ID, TOKEN_PREFIX} from './sealed-value.js'

/** What a store keeps of its keys: the KEK's fingerprint and every data key, wrapped. */
export interface KeyringRecord {
  kek: string
  /** When the keys were made, and when last wrapped under a new KEK (null: never). */
  created: string
  rotated: string | null
  /** Wrapped data keys by key id. A store that keeps them elsewhere (a table) gives the ones it has read. */
  keys: Record<string, string>
}

/** Where a keyring finds the wrapped keys it was not given up front (a database reads them on demand). */
export type WrappedKeyLookup = (ids: readonly string[]) => Promise<Record<string, string>>

export class Keyring {
  private readonly wrapped = new Map<string, string>()
  private readonly unwrapped = new Map<string, Buffer>()
  /** Keys made by this keyring and not yet taken to be stored. */
  private readonly fresh = new Map<string, string>()
  private readonly destroyed = new Set<string>()
  private index: BlindIndex | undefined

  private constructor(
    private readonly kek: KeyEncryptionKey,
    readonly record: Omit<KeyringRecord, 'keys'>,
  ) {}

  /** A new keyring for a store's first write: a store key and an index key, wrapped under `kek`. */
  static create(kek: KeyEncryptionKey, now: string): Keyring {
    const keyring = new Keyring(kek, {kek: kek.fingerprint, created: now, rotated: null})
    keyring.makeKey(STORE_KEY_ID)
    keyring.makeKey(INDEX_KEY_ID)
    return keyring
  }

  /**
   * The keyring a store recorded, opened with `kek`. A KEK whose fingerprint is not the recorded one
   * is refused here, before anything is read: exit 7, naming the fingerprint the store needs.
   */
  static open(record: KeyringRecord, kek: KeyEncryptionKey, store: string): Keyring {
    if (record.kek !== kek.fingerprint) throw wrongKey(store, record.kek, kek)
    const keyring = new Keyring(kek, {kek: record.kek, created: record.created, rotated: record.rotated})
    for (const [id, wrapped] of Object.entries(record.keys)) keyring.wrapped.set(id, wrapped)
    return keyring
  }

  get fingerprint(): string {
    return this.kek.fingerprint
  }

  /** Adds wrapped keys read since the keyring was opened (a database's rows for a batch's customers). */
  learn(keys: Record<string, string>): void {
    for (const [id, wrapped] of Object.entries(keys)) if (!this.destroyed.has(id)) this.wrapped.set(id, wrapped)
  }

  has(id: string): boolean {
    return this.unwrapped.has(id) || this.wrapped.has(id)
  }

  /** The keys made since the last call, wrapped, for the store to keep (in the same transaction as the data). */
  takeFresh(): Record<string, string> {
    const keys = Object.fromEntries(this.fresh)
    this.fresh.clear()
    return keys
  }

  /** Like takeFresh, into a map the caller keeps; nothing allocated when there are none. */
  drainFresh(into: Map<string, string>): void {
    if (this.fresh.size === 0) return
    for (const [id, wrapped] of this.fresh) into.set(id, wrapped)
    this.fresh.clear()
  }

  /** Forgets a data key for good (a deleted customer): the store must drop its wrapped copy too. */
  destroy(id: string): void {
    this.wrapped.delete(id)
    this.fresh.delete(id)
    this.unwrapped.get(id)?.fill(0)
    this.unwrapped.delete(id)
    this.destroyed.add(id)
  }

  /**
   * Forgets the data keys read or made so far, but for the store's, the index's and any not yet
   * taken to be stored, once more than `max` are held: a bulk write into a database meets each
   * customer's key once, and holding them all grew its memory with every batch (bench P2a). A key
   * forgotten is read again from the store (SealedStore.keysFor) by the next batch that needs it.
   */
  forgetBeyond(max: number): void {
    if (this.wrapped.size + this.unwrapped.size <= max) return
    const kept = (id: string) => id === STORE_KEY_ID || id === INDEX_KEY_ID || this.fresh.has(id)
    for (const id of [...this.wrapped.keys()]) if (!kept(id)) this.wrapped.delete(id)
    for (const id of [...this.unwrapped.keys()]) if (!kept(id)) this.unwrapped.delete(id)
  }

  /**
   * Encrypts a field's value with the data key `keyId` (made on first use), a fresh nonce, and the
   * object and field bound as associated data: the value copied to another field or object fails to
   * open. `searchWords` (the field's words, for a searchable field) become blind-index tokens.
   */
  seal(objectId: string, fieldId: string, keyId: string, value: FieldValue, searchWords?: readonly string[]): SealedValue {
    return this.sealed(objectId, fieldId, keyId, value, searchWords && searchWords.length > 0 ? this.tokens(searchWords) : undefined)
  }

  /** Like seal, for a searchable field: the tokens are those of the value's words (words() cuts them). */
  sealSearchable(objectId: string, fieldId: string, keyId: string, value: FieldValue): SealedValue {
    const tokens = this.blindIndex().tokensOfText(String(value))
    return this.sealed(objectId, fieldId, keyId, value, tokens.length > 0 ? tokens : undefined)
  }

  private sealed(objectId: string, fieldId: string, keyId: string, value: FieldValue, tokens: readonly string[] | undefined): SealedValue {
    const sealed: SealedValue = {sealed: sealValue(this.dataKey(keyId, true), objectId, fieldId, value), key: keyId}
    if (tokens) sealed.tokens = tokens
    return sealed
  }

  /** The clear value of a sealed one; exit 7 when its key is gone or it was tampered with or moved. */
  open(objectId: string, fieldId: string, value: SealedValue): FieldValue {
    const key = this.dataKey(value.key, false, objectId)
    try {
      return openValue(key, objectId, fieldId, value.sealed)
    } catch {
      throw tampered(objectId, fieldId)
    }
  }

  /** The blind-index token of one word (as words() cuts it): the same word, the same token, store-wide. */
  token(word: string): string {
    return this.blindIndex().token(word)
  }

  /** The tokens of a value's words and of each two consecutive words, distinct and sorted (cipher.ts). */
  tokens(searchWords: readonly string[]): string[] {
    return this.blindIndex().tokens(searchWords)
  }

  private blindIndex(): BlindIndex {
    this.index ??= new BlindIndex(this.dataKey(INDEX_KEY_ID, false))
    return this.index
  }

  /**
   * Every data key wrapped under `next` instead: what `keys rotate` stores. The data is not touched.
   * `all` are every wrapped key the store holds (a database reads them all for this).
   */
  rewrap(next: KeyEncryptionKey, all: Record<string, string>, now: string): KeyringRecord {
    const keys: Record<string, string> = {}
    for (const [id, wrapped] of Object.entries(all)) keys[id] = wrapKey(next, id, this.unwrapKey(id, wrapped))
    return {kek: next.fingerprint, created: this.record.created, rotated: now, keys}
  }

  private dataKey(id: string, create: boolean, objectId?: string): Buffer {
    const known = this.unwrapped.get(id)
    if (known) return known
    const wrapped = this.wrapped.get(id)
    if (wrapped !== undefined) {
      const key = this.unwrapKey(id, wrapped)
      this.unwrapped.set(id, key)
      return key
    }
    if (create && !this.destroyed.has(id)) return this.makeKey(id)
    throw new KeyError(`the data key ${id} is not in this store${objectId ? `, so ${objectId} cannot be read` : ''}`, {
      where: objectId ?? id,
      hint: 'Its customer was deleted (its key destroyed with it), or this copy of the store is read with another store\'s keys.',
    })
  }

  private makeKey(id: string): Buffer {
    const key = randomBytes(KEY_BYTES)
    const wrapped = wrapKey(this.kek, id, key)
    this.unwrapped.set(id, key)
    this.wrapped.set(id, wrapped)
    this.fresh.set(id, wrapped)
    return key
  }

  private unwrapKey(id: string, wrapped: string): Buffer {
    try {
      return unwrapKeyBytes(this.kek.bytes, id, wrapped)
    } catch {
      throw new KeyError(`the data key ${id} does not open with the key ${this.kek.fingerprint} (${this.kek.path}): it was tampered with, or wrapped under another key`, {
        where: id,
        hint: 'Restore the store or its key file from a backup.',
      })
    }
  }
}

/** A data key wrapped under the KEK: nonce, ciphertext and tag, with the key's id bound as associated data. */
export function wrapKey(kek: KeyEncryptionKey, id: string, key: Buffer): string {
  return wrapKeyBytes(kek.bytes, id, key)
}

function tampered(objectId: string, fieldId: string): KeyError {
  return new KeyError(`the value of ${fieldId} in ${objectId} does not decrypt: it was tampered with, or copied from another field or object`, {
    where: `${objectId} ${fieldId}`,
    hint: 'Restore the store from a backup; nothing was changed.',
  })
}

/** Exit 7 for a key that is not the store's: names the store, the fingerprint it needs and the key given. */
export function wrongKey(store: string, needed: string, given: KeyEncryptionKey): KeyError {
  return new KeyError(`${store} is encrypted under the key ${needed}; the key in ${given.path} is ${given.fingerprint}`, {
    where: store,
    hint: 'Give the store\'s key file with --key-file or CTX_KEY_FILE (it may be in a backup of the config directory).',
    details: {needed, given: given.fingerprint, keyFile: given.path},
  })
}

/** Exit 7 for an encrypted store and no key file at all. */
export function missingKey(store: string, needed: string, path: string): KeyError {
  return new KeyError(`${store} is encrypted under the key ${needed}, and there is no key file at ${path}`, {
    where: store,
    hint: 'Give the store\'s key file with --key-file or CTX_KEY_FILE (it may be in a backup of the config directory).',
    details: {needed, keyFile: path},
  })
}
