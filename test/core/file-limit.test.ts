// The file store's size limit: the CTX_FILE_STORE_LIMIT_MB override, the stat-only check, and the
// warning that names the `ctx migrate` to run.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {UsageError} from '../../src/core/errors.js'
import {FILE_STORE_LIMIT_BYTES, fileStoreLimit, fileStorePastLimit, fileStoreWarning} from '../../src/core/storage/file-limit.js'

describe('the file store size limit', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ctx-limit-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('is the default unless CTX_FILE_STORE_LIMIT_MB gives megabytes (decimals allowed)', () => {
    expect(fileStoreLimit(undefined)).toBe(FILE_STORE_LIMIT_BYTES)
    expect(fileStoreLimit('')).toBe(FILE_STORE_LIMIT_BYTES)
    expect(fileStoreLimit('250')).toBe(250_000_000)
    expect(fileStoreLimit('0.001')).toBe(1000)
  })

  it('refuses a limit that is not a positive number (usage error)', () => {
    for (const setting of ['0', '-5', 'lots', '10MB']) expect(() => fileStoreLimit(setting)).toThrow(UsageError)
  })

  it('is passed only by a file larger than the limit; no file is not past it', () => {
    const path = join(dir, 'store.json')
    expect(fileStorePastLimit(path, 10)).toBeNull()
    writeFileSync(path, '0123456789')
    expect(fileStorePastLimit(path, 10)).toBeNull()
    expect(fileStorePastLimit(path, 9)).toEqual({bytes: 10, limit: 9})
  })

  it('names the exact migrate command, the path quoted for a shell, and CTX_STORE, with no password', () => {
    const warning = fileStoreWarning("/data/it's mine/store.json", {bytes: 182_400_000, limit: 150_000_000})
    expect(warning).toContain('182 MB, past the 150 MB')
    expect(warning).toContain(`\`ctx migrate --from '/data/it'\\''s mine/store.json' --to 'postgres://USER@HOST/DATABASE'\``)
    expect(warning).toContain('CTX_STORE')
    expect(warning).not.toMatch(/postgres:\/\/[^@']*:[^@']*@/)
    expect(fileStoreWarning('/plain/store.json', {bytes: 2000, limit: 1000})).toContain('--from /plain/store.json --to')
  })
})
