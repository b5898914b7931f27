// The recent-customers list (src/core/recent.ts): kept per store, replaced whole in one step, 0600,
// and never failing the command that records it.
import {closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {listRecent, RECENT_LIMIT, touchRecent} from '../../src/core/recent.js'

let dir: string
let path: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-recent-'))
  path = join(dir, 'config', 'recent.json')
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

const viewed = (id: string) => ({id, at: '2026-03-20T12:00:00.000Z', action: 'viewed' as const})

it('keeps the latest first, once each, up to the limit, per store', async () => {
  for (let index = 0; index < RECENT_LIMIT + 2; index++) await touchRecent(path, 'a.json', viewed(`c${index}`))
  await touchRecent(path, 'a.json', viewed('c5'))
  await touchRecent(path, 'b.json', viewed('other'))
  const listed = await listRecent(path, 'a.json')
  expect(listed.map((entry) => entry.id)).toEqual(['c5', 'c11', 'c10', 'c9', 'c8', 'c7', 'c6', 'c4', 'c3', 'c2'])
  expect((await listRecent(path, 'b.json')).map((entry) => entry.id)).toEqual(['other'])
})

it('writes the list 0600 in a directory of its own (0700), leaving no temporary file', async () => {
  await touchRecent(path, 'a.json', viewed('c1'))
  expect(statSync(path).mode & 0o777).toBe(0o600)
  expect(statSync(join(dir, 'config')).mode & 0o777).toBe(0o700)
  expect(readdirSync(join(dir, 'config'))).toEqual(['recent.json'])
})

it('replaces the file whole: a reader of the old one still reads it complete', async () => {
  await touchRecent(path, 'a.json', viewed('c1'))
  const before = readFileSync(path)
  const reader = openSync(path, 'r')
  try {
    await touchRecent(path, 'a.json', viewed('c2'))
    const seen = Buffer.alloc(before.length + 100)
    expect(seen.subarray(0, readSync(reader, seen, 0, seen.length, 0)).equals(before)).toBe(true)
  } finally {
    closeSync(reader)
  }
  expect((await listRecent(path, 'a.json')).map((entry) => entry.id)).toEqual(['c2', 'c1'])
})

it('records nothing, and fails nothing, where the list cannot be written; a damaged list reads as empty', async () => {
  writeFileSync(join(dir, 'config'), 'a file where the directory should be')
  await expect(touchRecent(path, 'a.json', viewed('c1'))).resolves.toBeUndefined()
  expect(readFileSync(join(dir, 'config'), 'utf8')).toBe('a file where the directory should be')
  rmSync(join(dir, 'config'))
  await touchRecent(path, 'a.json', viewed('c1'))
  writeFileSync(path, '{"version": 1, "stores": ')
  expect(await listRecent(path, 'a.json')).toEqual([])
  await touchRecent(path, 'a.json', viewed('c2'))
  expect((await listRecent(path, 'a.json')).map((entry) => entry.id)).toEqual(['c2'])
})

it('replaces the file a linked list leads to, and keeps the link', async () => {
  mkdirSync(join(dir, 'config'))
  const target = join(dir, 'kept.json')
  writeFileSync(target, JSON.stringify({version: 1, stores: {'a.json': [viewed('c1')]}}))
  symlinkSync(target, path)
  await touchRecent(path, 'a.json', viewed('c2'))
  expect(lstatSync(path).isSymbolicLink()).toBe(true)
  expect(statSync(target).mode & 0o777).toBe(0o600)
  expect((await listRecent(target, 'a.json')).map((entry) => entry.id)).toEqual(['c2', 'c1'])
  expect(readdirSync(dir).sort()).toEqual(['config', 'kept.json'])
})
