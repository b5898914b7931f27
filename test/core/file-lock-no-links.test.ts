// The file store's lock on a file system without hard links (FAT, some network shares): taken by
// exclusive creation instead, and still one holder at a time.
import {linkSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it, vi} from 'vitest'
import {LockTimeoutError} from '../../src/core/errors.js'
import {takeLock} from '../../src/core/storage/file-lock.js'

vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>()
  const linkSync = () => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), {code: 'EPERM'})
  }
  return {...fs, linkSync, default: {...fs, linkSync}}
})

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-lock-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

it('takes the lock by exclusive creation where links fail, one holder at a time', async () => {
  const target = join(dir, 'store.json')
  expect(() => linkSync(target, `${target}.x`)).toThrow('EPERM')
  const first = await takeLock(target, {timeoutMs: 1000, staleMs: 10_000})
  await expect(takeLock(target, {timeoutMs: 200, staleMs: 10_000})).rejects.toBeInstanceOf(LockTimeoutError)
  first.confirm()
  first.release()
  const second = await takeLock(target, {timeoutMs: 1000, staleMs: 10_000})
  second.release()
})
