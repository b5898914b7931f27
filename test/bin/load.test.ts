// bin/load.js: the bundle loaded through vm.Script with a code cache behaves as require() would,
// with a cache or without, and its import() calls (routed to __ctxImport) work from cached code.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
// @ts-expect-error: bin/ is plain JavaScript, without declarations
import {loadBundle} from '../../bin/load.js'

let dir: string
let file: string
let serial = 0

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-load-'))
  // A new name each time: loadBundle registers the module in require's cache, as require() does.
  file = join(dir, `bundle-${serial++}.cjs`)
  writeFileSync(
    file,
    `exports.answer = 42
exports.here = __filename
exports.sep = async () => (await __ctxImport('node:path')).sep
exports.self = () => require(__filename)
`,
  )
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('loading the bundle', () => {
  it('runs it as a CommonJS module registered under its file name, without a cache', async () => {
    const {module, cacheRejected} = loadBundle(file)
    expect(module.exports.answer).toBe(42)
    expect(module.exports.here).toBe(file)
    expect(module.exports.self()).toBe(module.exports)
    expect(createRequire(file)(file)).toBe(module.exports)
    expect(await module.exports.sep()).toBe('/')
    expect(cacheRejected).toBe(false)
  })

  it('uses a code cache it made, and import() still works in the cached code', async () => {
    const first = loadBundle(file)
    await first.module.exports.sep()
    const cache = `${file}.cache`
    writeFileSync(cache, first.script.createCachedData())
    delete createRequire(file).cache[file]
    const second = loadBundle(file)
    expect(second.cacheRejected).toBe(false)
    expect(second.script.cachedDataRejected).toBe(false)
    expect(await second.module.exports.sep()).toBe('/')
  })

  it('ignores a cache V8 rejects and loads from source', async () => {
    writeFileSync(`${file}.cache`, 'not a code cache')
    const {module, cacheRejected} = loadBundle(file)
    expect(cacheRejected).toBe(true)
    expect(module.exports.answer).toBe(42)
  })
})
