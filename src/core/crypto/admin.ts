// `ctx keys status` and `ctx keys rotate`: what a store's keys are and where, and wrapping every data
// key under a new key-encryption key without touching the data (rotation).
import {rename} from 'node:fs/promises'
import {UsageError} from '../errors.js'
import type {Store} from '../storage/store.js'
import {createKeyFile} from './key-file.js'
import {Keyring, missingKey, wrongKey} from './keyring.js'
import {SealedStore} from './sealed-store.js'

export interface KeyStatus {
  store: string
  /** Whether the store holds encrypted values (it has a keyring). */
  encrypted: boolean
  /** The fingerprint of the key the store's data keys are wrapped under; null before its first encrypted value. */
  fingerprint: string | null
  /** Where ctx looks for the key, and who said so. */
  keyFile: string
  keySource: 'flag' | 'env' | 'default' | 'memory'
  /** The key found there: its fingerprint, whether it is the store's, when it was made and how many days ago. */
  keyFound: boolean
  keyFingerprint: string | null
  keyMatches: boolean | null
  keyCreated: string | null
  keyAgeDays: number | null
  /** When the data keys were last wrapped under a new key (null: never). */
  rotated: string | null
  /** Data keys the store holds: one per customer with encrypted values, plus the store's and the index's. */
  dataKeys: number
}

export async function keyStatus(store: Store, now: string): Promise<KeyStatus> {
  const sealed = sealedStore(store)
  const source = await sealed.keySource()
  const [record, key, keys] = await Promise.all([store.keyring(), source.existing(), store.wrappedKeys('all')])
  return {
    store: store.location,
    encrypted: record !== null,
    fingerprint: record?.kek ?? null,
    keyFile: source.location.path,
    keySource: source.location.source,
    keyFound: key !== null,
    keyFingerprint: key?.fingerprint ?? null,
    keyMatches: record && key ? record.kek === key.fingerprint : null,
    keyCreated: key?.created ?? null,
    keyAgeDays: key ? Math.floor((Date.parse(now) - Date.parse(key.created)) / 86_400_000) : null,
    rotated: record?.rotated ?? null,
    dataKeys: Object.keys(keys).length,
  }
}

export interface RotateResult {
  store: string
  from: string
  to: string
  /** Where the new key is: the old key's file, replaced, unless --new-key-file named another. */
  keyFile: string
  dataKeys: number
}

/**
 * Wraps every data key under a new key-encryption key, in one transaction; the values are not
 * rewritten. The new key is made beside the old one (`.next`) and, once the store records it,
 * replaces the old file, which is gone from then on; with `newKeyFile`, the new key goes there and
 * the old file is left for the operator to destroy.
 */
export async function rotateKeys(store: Store, options: {newKeyFile?: string; now: string}): Promise<RotateResult> {
  const sealed = sealedStore(store)
  const source = await sealed.keySource()
  if (source.location.source === 'memory') {
    throw new UsageError(`the key of ${store.location} lives in this process only; there is no key file to rotate`, {hint: 'Give the store a key file with --key-file.'})
  }
  const record = await store.keyring()
  if (!record) throw new UsageError(`${store.location} holds no encrypted value yet: there are no keys to rotate`)
  const old = await source.existing()
  if (!old) throw missingKey(store.location, record.kek, source.location.path)
  if (old.fingerprint !== record.kek) throw wrongKey(store.location, record.kek, old)
  const nextPath = options.newKeyFile ?? `${old.path}.next`
  const next = await createKeyFile(nextPath, options.now)
  if (next.fingerprint === old.fingerprint) throw new UsageError(`${nextPath} holds the store's current key; give a new file`)
  let dataKeys = 0
  await store.transaction(async (tx) => {
    const current = await tx.keyring()
    if (!current || current.kek !== old.fingerprint) throw wrongKey(store.location, current?.kek ?? record.kek, old)
    const all = await tx.wrappedKeys('all')
    const rotated = Keyring.open({...current, keys: all}, old, store.location).rewrap(next, all, options.now)
    await tx.putKeys(rotated, rotated.keys)
    dataKeys = Object.keys(rotated.keys).length
  })
  sealed.forgetKeys()
  if (!options.newKeyFile) await rename(nextPath, old.path)
  return {store: store.location, from: old.fingerprint, to: next.fingerprint, keyFile: options.newKeyFile ?? old.path, dataKeys}
}

function sealedStore(store: Store): SealedStore {
  if (!(store instanceof SealedStore)) throw new Error('keys are managed through a store opened by openStore()')
  return store
}
