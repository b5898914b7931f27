// How a command comes by a store's key-encryption key: read from its file when the store is
// encrypted, created on the store's first write when there is none (announced once through
// `onCreated`, for the command to tell the user where it is and that it must be backed up), and for
// a `memory:` store without a key file, made in memory for as long as the store lives.
import {randomBytes} from 'node:crypto'
import {parseStoreUrl} from '../storage/open.js'
import {createKeyFile, fingerprintOf, storeIdentity, KEY_BYTES, type KeyEncryptionKey, keyFileLocation, type KeyFileLocation, readKeyFile} from './key-file.js'
import {type KeyringRecord, Keyring, missingKey} from './keyring.js'

export interface KeyOptions {
  /** The store's location as it prints it (a file's path, a redacted URL). */
  store: string
  /** --key-file */
  keyFile?: string
  /** CTX_KEY_FILE */
  env?: string
  /** ctx's config directory, where a default key file goes; without one (and no key file given), the key lives in this process. */
  configDir?: string
  now: () => string
  /** Called once when a key file is created. */
  onCreated?: (key: KeyEncryptionKey, location: KeyFileLocation) => void
}

/** The keys of `memory:` stores without a key file: as long-lived as the stores themselves. */
const memoryKeys = new Map<string, KeyEncryptionKey>()

export class KeySource {
  readonly location: KeyFileLocation | {path: string; source: 'memory'}
  private key: Promise<KeyEncryptionKey | null> | undefined

  constructor(private readonly options: KeyOptions) {
    const given = (options.keyFile ?? '') !== '' || (options.env ?? '') !== ''
    let memory = false
    try {
      memory = parseStoreUrl(options.store).kind === 'memory'
    } catch {
      // Not a URL ctx knows: the store reports that itself.
    }
    const inProcess = !given && (memory || options.configDir === undefined)
    this.location = inProcess
      ? {path: `(in memory, for ${options.store})`, source: 'memory'}
      : keyFileLocation(options.store, {flag: options.keyFile, env: options.env, configDir: options.configDir ?? ''})
  }

  /** The key, or null when there is no key file yet. */
  existing(): Promise<KeyEncryptionKey | null> {
    this.key ??= this.location.source === 'memory' ? Promise.resolve(this.memoryKey(false)) : readKeyFile(this.location.path)
    return this.key
  }

  /** The key to encrypt a store's first values with: the one there is, or a new one. */
  async forWrite(): Promise<KeyEncryptionKey> {
    const existing = await this.existing()
    if (existing) return existing
    if (this.location.source === 'memory') {
      const made = this.memoryKey(true)!
      this.key = Promise.resolve(made)
      return made
    }
    const created = await createKeyFile(this.location.path, this.options.now())
    this.key = Promise.resolve(created)
    this.options.onCreated?.(created, this.location)
    return created
  }

  /** The keyring a store recorded, opened with this key: exit 7 when the key is missing or another. */
  async open(record: KeyringRecord): Promise<Keyring> {
    const key = await this.existing()
    if (!key) throw missingKey(this.options.store, record.kek, this.location.path)
    return Keyring.open(record, key, this.options.store)
  }

  /** A new keyring for a store that has none yet (its first encrypted write). */
  async create(): Promise<Keyring> {
    return Keyring.create(await this.forWrite(), this.options.now())
  }

  private memoryKey(create: boolean): KeyEncryptionKey | null {
    const name = storeIdentity(this.options.store)
    let key = memoryKeys.get(name)
    if (!key && create) {
      const bytes = randomBytes(KEY_BYTES)
      key = {bytes, fingerprint: fingerprintOf(bytes), created: this.options.now(), path: this.location.path}
      // Plain `memory:` is a new store each time it is opened: its key is not kept for another.
      if (name !== 'memory:') memoryKeys.set(name, key)
    }
    return key ?? null
  }
}
