// The store file's writer: the same bytes as JSON.stringify, replaced atomically as 0600.
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {jsonPieces, writeJsonFileAtomically} from '../../src/core/storage/file-write.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-file-write-'))
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

/** Members before and after the streamed one, non-ASCII text, a skipped member and an entry larger than a write chunk. */
const VALUE = {
  format: 'ctx-store',
  skipped: undefined,
  objects: {
    a: {id: 'a', data: {name: 'Zoë 東京 😀', quote: '"\\\n'}},
    '10': {id: '10', gone: undefined},
    big: {id: 'big', data: {text: 'é'.repeat(600_000)}},
    none: undefined,
  },
  definitions: {fields: {}},
}

describe('writing a JSON file atomically', () => {
  it('writes the pieces of JSON.stringify, with a newline', () => {
    expect([...jsonPieces(VALUE, 'objects')].join('')).toBe(`${JSON.stringify(VALUE)}\n`)
    expect([...jsonPieces({objects: {}}, 'objects')].join('')).toBe('{"objects":{}}\n')
  })

  it('writes a Map member as the object of its entries', () => {
    const objects = new Map(Object.entries(VALUE.objects))
    expect([...jsonPieces({...VALUE, objects}, 'objects')].join('')).toBe(`${JSON.stringify(VALUE)}\n`)
  })

  it('writes the same bytes as JSON.stringify, as mode 0600, leaving no temporary file', async () => {
    const path = join(dir, 'store.json')
    writeFileSync(path, 'old', {mode: 0o644})
    await writeJsonFileAtomically(path, VALUE, 'objects')
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(VALUE)}\n`)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['store.json'])
  })

  it('leaves the old file and no temporary file when the check before the rename throws', async () => {
    const path = join(dir, 'store.json')
    writeFileSync(path, 'old')
    const lost = new Error('lost the lock')
    const progress: number[] = []
    const write = writeJsonFileAtomically(path, VALUE, 'objects', {
      progress: () => progress.push(1),
      beforeRename: () => {
        throw lost
      },
    })
    await expect(write).rejects.toBe(lost)
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['store.json'])
    // The 1.2 MB entry is more than a chunk: the write reported progress on the way.
    expect(progress.length).toBeGreaterThan(0)
  })
})
