import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {InvalidDataError, NotFoundError} from '../../src/core/errors.js'
import {readJsonFile} from '../../src/core/json-file.js'

const dir = mkdtempSync(join(tmpdir(), 'ctx-json-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('reading a JSON file a user hands ctx', () => {
  it('parses it, ignoring a leading BOM', async () => {
    const path = join(dir, 'bom.json')
    writeFileSync(path, '\uFEFF{"fields": []}')
    expect(await readJsonFile(path)).toEqual({fields: []})
  })

  it('names file:line:column of malformed JSON as invalid data', async () => {
    const path = join(dir, 'broken.json')
    writeFileSync(path, '{\n  "a": 1,\n}')
    const error = await readJsonFile(path).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).where).toBe(`${path}:3:1`)
  })

  it('reports a missing file as not found', async () => {
    await expect(readJsonFile(join(dir, 'absent.json'))).rejects.toBeInstanceOf(NotFoundError)
  })
})
