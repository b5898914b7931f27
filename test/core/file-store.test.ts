// File-adapter behaviour beyond the shared contract: the lock and the store file's stamp.
import {spawnSync} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import lockfile from 'proper-lockfile'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {LockTimeoutError, StorageError} from '../../src/core/errors.js'
import {openStore} from '../../src/core/storage/open.js'
import {STORE_FORMAT_VERSION} from '../../src/core/storage/state.js'
import type {Store} from '../../src/core/storage/store.js'
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
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({format: 'ctx-store', version: STORE_FORMAT_VERSION, mode: 'lab'})
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

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
  return Number(child.stdout)
}

/** This process's pid namespace, as a lock records it (null where /proc has none). */
function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid')
  } catch {
    return null
  }
}

/** A lock file as another process would leave it. */
function foreignLock(path: string, holder: {host?: string; pid: number}, ageMs = 0): void {
  const lock = {host: holder.host ?? hostname(), pids: pidNamespace(), pid: holder.pid, started: null, token: `other-${holder.pid}`}
  writeFileSync(`${path}.lock`, JSON.stringify(lock))
  const at = new Date(Date.now() - ageMs)
  utimesSync(`${path}.lock`, at, at)
}

async function customerCount(store: Store): Promise<number> {
  return (await store.info()).counts.customer
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the file store lock', () => {
  it('is not taken from a live holder however long its lock goes untouched (a holder busy parsing a large store)', async () => {
    const path = join(dir, 'store.json')
    const holder = await openStore(path, {clock: systemClock})
    const waiter = await openStore(path, {clock: systemClock, lockTimeoutMs: 20_000})
    let waiting: Promise<void> | undefined
    await holder.transaction(async (tx) => {
      // As if the holder had been too busy to touch its lock for a minute.
      const past = new Date(Date.now() - 60_000)
      utimesSync(`${path}.lock`, past, past)
      waiting = waiter.transaction((other) => other.insert([fixture('customer')]))
      await sleep(300)
      await tx.insert([fixture('customer')])
    })
    await waiting
    expect(await customerCount(await openStore(path, {clock: systemClock}))).toBe(2)
  })

  it('makes a holder that lost its lock fail with exit 7 before its file replaces the store', async () => {
    const path = join(dir, 'store.json')
    const store = await openStore(path, {clock: systemClock})
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    const before = readFileSync(path, 'utf8')
    const write = store.transaction(async (tx) => {
      // Another process judged this one gone and took the lock.
      rmSync(`${path}.lock`, {recursive: true, force: true})
      foreignLock(path, {pid: process.pid})
      await tx.insert([fixture('customer')])
    })
    await expect(write).rejects.toBeInstanceOf(StorageError)
    await expect(write).rejects.toMatchObject({exitCode: 7})
    expect(readFileSync(path, 'utf8')).toBe(before)
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('takes at once the lock of a process on this host that is gone', async () => {
    const path = join(dir, 'store.json')
    foreignLock(path, {pid: deadPid()})
    const store = await openStore(path, {clock: systemClock, lockTimeoutMs: 1000})
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    expect(await customerCount(store)).toBe(1)
    expect(existsSync(`${path}.lock`)).toBe(false)
  })

  it('judges a holder in another pid namespace (a container with the same host name) by its lock’s age, not its pid', async () => {
    const path = join(dir, 'store.json')
    writeFileSync(`${path}.lock`, JSON.stringify({host: hostname(), pids: 'pid:[1]', pid: deadPid(), started: null, token: 'container'}))
    const store = await openStore(path, {clock: systemClock, lockTimeoutMs: 300})
    await expect(store.transaction((tx) => tx.insert([fixture('customer')]))).rejects.toBeInstanceOf(LockTimeoutError)
  })

  it('waits for a lock of another host while it is kept fresh, and takes it once stale', async () => {
    const path = join(dir, 'store.json')
    foreignLock(path, {host: 'elsewhere.example', pid: process.pid})
    const store = await openStore(path, {clock: systemClock, lockTimeoutMs: 300})
    await expect(store.transaction((tx) => tx.insert([fixture('customer')]))).rejects.toBeInstanceOf(LockTimeoutError)
    foreignLock(path, {host: 'elsewhere.example', pid: process.pid}, 60_000)
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    expect(await customerCount(store)).toBe(1)
  })

  it('removes temporary files and lock files that killed writers left, and nothing else', async () => {
    const path = join(dir, 'store.json')
    const dead = deadPid()
    const leftovers = [`store.json.${dead}.3.tmp`, `store.json.lock.${dead}.0b7c6a52-1f0e-4c58-9a43-5d3f0e6b7a10`]
    const kept = [`store.json.${process.ppid}.9.tmp`, `store.json.${dead}.bak`, 'store.json.2024.12.tmp.old', 'other.json.1.1.tmp']
    for (const name of [...leftovers, ...kept]) writeFileSync(join(dir, name), 'x')
    const store = await openStore(path, {clock: systemClock})
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    expect(readdirSync(dir).sort()).toEqual(['store.json', ...kept].sort())
  })

  it('locks and writes the file a symlinked store points at: writers through the link and the target share one lock', async () => {
    const real = join(dir, 'real', 'store.json')
    const link = join(dir, 'alias.json')
    mkdirSync(join(dir, 'real'))
    symlinkSync(real, link)
    const direct = await openStore(real, {clock: systemClock})
    const linked = await openStore(link, {clock: systemClock, lockTimeoutMs: 200})
    await direct.transaction(async (tx) => {
      await expect(linked.transaction((other) => other.insert([fixture('customer')]))).rejects.toBeInstanceOf(LockTimeoutError)
      await tx.insert([fixture('customer')])
    })
    await linked.transaction((tx) => tx.insert([fixture('customer')]))
    expect(await customerCount(await openStore(real, {clock: systemClock}))).toBe(2)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['alias.json', 'real'])
  })

  it('creates the target of a dangling symlink and keeps the link a link', async () => {
    const real = join(dir, 'real', 'store.json')
    const link = join(dir, 'alias.json')
    mkdirSync(join(dir, 'real'))
    symlinkSync(real, link)
    const store = await openStore(link, {clock: systemClock})
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(Object.keys(JSON.parse(readFileSync(real, 'utf8')).objects)).toHaveLength(1)
  })

  it('refuses a dangling symlink whose target directory does not exist, creating nothing', async () => {
    const link = join(dir, 'alias.json')
    symlinkSync(join(dir, 'unmounted', 'store.json'), link)
    const store = await openStore(link, {clock: systemClock})
    await expect(store.transaction((tx) => tx.insert([fixture('customer')]))).rejects.toBeInstanceOf(StorageError)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir)).toEqual(['alias.json'])
  })
})
