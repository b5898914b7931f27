// The key-encryption key's file: where it is looked for, made 0600 once, read back, refused when foreign.
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {KeyError} from '../../../src/core/crypto/errors.js'
import {createKeyFile, fingerprintOf, keyFileLocation, readKeyFile, storeKeyName} from '../../../src/core/crypto/key-file.js'
import {KeySource} from '../../../src/core/crypto/keys.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-key-file-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

const NOW = '2026-12-07T03:00:00.000Z'

describe('where the key file is', () => {
  it('takes --key-file over CTX_KEY_FILE over the config directory', () => {
    expect(keyFileLocation('/data/a.json', {flag: '/k/flag.key', env: '/k/env.key', configDir: '/cfg'})).toEqual({path: '/k/flag.key', source: 'flag'})
    expect(keyFileLocation('/data/a.json', {env: '/k/env.key', configDir: '/cfg'})).toEqual({path: '/k/env.key', source: 'env'})
    const byDefault = keyFileLocation('/data/a.json', {configDir: '/cfg'})
    expect(byDefault.source).toBe('default')
    expect(byDefault.path).toMatch(/^\/cfg\/keys\/a\.json-[0-9a-f]{8}\.key$/)
  })

  it('names the default file after the store, distinct for stores of the same name', () => {
    expect(storeKeyName('/one/store.json')).toMatch(/^store\.json-[0-9a-f]{8}$/)
    expect(storeKeyName('/one/store.json')).not.toBe(storeKeyName('/two/store.json'))
    expect(storeKeyName('postgres://root@127.0.0.1:5432/test?schema=ctx_a')).toMatch(/^test-ctx_a-[0-9a-f]{8}$/)
    expect(storeKeyName('postgres://u:secret@host/db')).not.toContain('secret')
  })
})

describe('making and reading a key file', () => {
  it('creates the key 0600 in a 0700 directory and reads back the same key', async () => {
    const path = join(dir, 'keys', 'store.key')
    const made = await createKeyFile(path, NOW)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700)
    expect(made.bytes).toHaveLength(32)
    expect(made.fingerprint).toBe(fingerprintOf(made.bytes))
    expect(made.fingerprint).toMatch(/^kek:[0-9a-f]{32}$/)
    const read = await readKeyFile(path)
    expect(read?.bytes.equals(made.bytes)).toBe(true)
    expect(read?.created).toBe(NOW)
  })

  it('never replaces a key file that is there: the one there is the key', async () => {
    const path = join(dir, 'store.key')
    const first = await createKeyFile(path, NOW)
    const second = await createKeyFile(path, NOW)
    expect(second.fingerprint).toBe(first.fingerprint)
  })

  it('reads no key where there is no file, and refuses (exit 7) a file that is not a ctx key', async () => {
    expect(await readKeyFile(join(dir, 'absent.key'))).toBeNull()
    const path = join(dir, 'foreign.key')
    writeFileSync(path, '{"format":"ctx-key","version":1,"created":"x","key":"c2hvcnQ="}')
    const error = await readKeyFile(path).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(KeyError)
    expect((error as KeyError).exitCode).toBe(7)
    // One that cannot be read at all (here a directory) is exit 7 too, as a rejection, not a throw.
    const unreadable = readKeyFile(dir)
    await expect(unreadable).rejects.toBeInstanceOf(KeyError)
    expect(((await unreadable.catch((caught: unknown) => caught)) as KeyError).exitCode).toBe(7)
  })

  it('fingerprints differ between keys and do not hold the key', async () => {
    const a = await createKeyFile(join(dir, 'a.key'), NOW)
    const b = await createKeyFile(join(dir, 'b.key'), NOW)
    expect(a.fingerprint).not.toBe(b.fingerprint)
    expect(a.fingerprint).not.toContain(a.bytes.toString('hex').slice(0, 8))
  })
})

describe('a store key source', () => {
  it('creates the key file on the first write only, and says so once', async () => {
    const created: string[] = []
    const source = new KeySource({store: join(dir, 'store.json'), configDir: dir, now: () => NOW, onCreated: (key, location) => created.push(location.path)})
    expect(await source.existing()).toBeNull()
    const key = await source.forWrite()
    const again = await source.forWrite()
    expect(again.fingerprint).toBe(key.fingerprint)
    expect(created).toEqual([source.location.path])
    expect(JSON.parse(readFileSync(source.location.path, 'utf8')).key).toBe(key.bytes.toString('base64'))
  })

  it('keeps the key of a memory: store in memory, writing no file', async () => {
    const source = new KeySource({store: 'memory:', configDir: dir, now: () => NOW})
    expect(source.location.source).toBe('memory')
    const key = await source.forWrite()
    expect((await source.existing())?.fingerprint).toBe(key.fingerprint)
    expect(statSync(dir).isDirectory()).toBe(true)
    expect(() => statSync(join(dir, 'keys'))).toThrow()
  })
})
