// A value as a store holds it once sealed, and the ids of data keys: what storage and search need
// to recognise sealed data without loading node:crypto or any key (a command's startup stays as it was).

/** The data key of objects that belong to no customer. */
export const STORE_KEY_ID = 'store'
/** The key of the blind index: search tokens, never used to encrypt. */
export const INDEX_KEY_ID = 'index'
/** Marks a search token, so it can never equal a clear word (words start with a letter or digit). */
export const TOKEN_PREFIX = '#'

/** The data key of a customer's objects. */
export function customerKeyId(customerId: string): string {
  return `customer:${customerId}`
}

/**
 * A value as a store holds it: the AES-256-GCM nonce, ciphertext and tag (base64), the id of the
 * data key, and — for a searchable field — the sorted, distinct tokens of its words. An object, so
 * it can never be mistaken for a field's value (strings, numbers, booleans).
 */
export interface SealedValue {
  sealed: string
  key: string
  tokens?: readonly string[]
}

export function isSealed(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && typeof (value as SealedValue).sealed === 'string' && typeof (value as SealedValue).key === 'string'
}

export function isToken(word: string): boolean {
  return word.startsWith(TOKEN_PREFIX)
}
