// File-adapter behaviour beyond the shared contract: the lock and the store file's stamp.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import lockfile from 'proper-lockfile'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {StorageError} from '../../src/core/errors.js'
import {openStore} from '../../src/core/storage/open.js'
import {fixture} from '../contract/store-contract.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-file-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('the file store', () => {
  it('waits for another holder of the lock, then gives up with StorageError after its timeout', async () => {
    const path = join(dir, 'store.json')
    const release = await lockfile.lock(path, {realpath: false, lockfilePath: `${path}.lock`})
    const store = await openStore(path, {clock: systemClock, lockTimeoutMs: 300})
    await expect(store.transaction((tx) => tx.insert([fixture('customer')]))).rejects.toBeInstanceOf(StorageError)
    await release()
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    expect((await store.info()).counts.customer).toBe(1)
  })

  it('writes a format stamp and a mode into the file', async () => {
    const path = join(dir, 'store.json')
    const store = await openStore(path, {clock: systemClock})
    await store.init('lab')
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({format: 'ctx-store', version: 2, mode: 'lab'})
  })

  it('does not create a file for reads, or for a transaction that writes nothing', async () => {
    const path = join(dir, 'store.json')
    const store = await openStore(path, {clock: systemClock})
    expect(await store.get(fixture('customer').id)).toBeNull()
    await store.transaction(async (tx) => tx.count())
    expect(() => readFileSync(path)).toThrow()
  })

  it('refuses a damaged store whose objects are missing', async () => {
    const path = join(dir, 'store.json')
    writeFileSync(path, JSON.stringify({format: 'ctx-store', version: 2}))
    const store = await openStore(path, {clock: systemClock})
    await expect(store.count()).rejects.toBeInstanceOf(StorageError)
  })
})
