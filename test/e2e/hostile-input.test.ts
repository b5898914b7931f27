// Input a user can give that ctx must answer with a usage or data error, never exit 1: names every
// JavaScript object has (constructor, toString, __proto__), JSON nested 10k deep, an externalId too
// long for any store, a --json error too big for one pipe buffer, and a mistyped command.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore} from '../helpers/store.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

function file(name: string, text: string): string {
  const path = join(box.dir, name)
  writeFileSync(path, text)
  return path
}

describe('names every JavaScript object has', () => {
  it('finds no field or fieldset called constructor, toString or __proto__ (exit 3)', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const fieldset = await expectRun(box, ['fieldsets', 'show', name, '--json'], 3)
      expect(fieldset.json.error.code).toBe('NOT_FOUND')
      await expectRun(box, ['fields', 'show', name, '--json'], 3)
    }
  })

  it('refuses --fieldset toString and --field __proto__=x as invalid data, storing nothing', async () => {
    const fieldset = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--fieldset', 'toString', '--json'], 5)
    expect(fieldset.json.error.code).toBe('INVALID_DATA')
    const field = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--field', '__proto__=x', '--json'], 5)
    expect(field.json.error.message).toContain('__proto__')
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--field', 'constructor=x', '--json'], 5)
    expect(await readStore(box.storePath)).toEqual([])
  })

  it('rejects import rows whose fieldsets or data use __proto__, and imports the rest', async () => {
    const lines = [
      '{"type":"customer","fieldsets":{"__proto__":["cisco.base.customer"]},"data":{"Context_First_Name":"A"}}',
      '{"type":"customer","data":{"__proto__":"x"}}',
      '{"type":"customer","fieldsets":["constructor"],"data":{"Context_First_Name":"B"}}',
      '{"type":"customer","data":{"Context_First_Name":"Kept"}}',
    ]
    const result = await expectRun(box, ['import', file('proto.jsonl', `${lines.join('\n')}\n`), '--json'], 6)
    expect(result.json).toMatchObject({read: 4, created: 1, rejected: 3})
    expect((await readStore(box.storePath)).map((object) => object.data.Context_First_Name)).toEqual(['Kept'])
  })

  it('refuses a definitions file whose fieldsets are an object keyed __proto__ (exit 5)', async () => {
    const path = file('defs.json', '{"fieldsets": {"__proto__": {"id": "x", "fields": []}}}')
    const result = await expectRun(box, ['fields', 'apply', '-f', path, '--json'], 5)
    expect(result.json.error.code).toBe('INVALID_DATA')
  })
})

describe('JSON nested 10,000 deep', () => {
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`

  it('rejects the line of an import, writes its rejects file, and imports the other lines', async () => {
    const lines = [`{"type":"customer","data":${deep}}`, `{"type":"customer","data":{"Context_First_Name":${deep}}}`, '{"type":"customer","data":{"Context_First_Name":"Kept"}}']
    const result = await expectRun(box, ['import', file('deep.jsonl', `${lines.join('\n')}\n`), '--json'], 6)
    expect(result.json).toMatchObject({read: 3, created: 1, rejected: 2})
    expect(result.json.rejectsFile).toBeTruthy()
  })

  it('refuses a definitions file nested that deep (exit 5)', async () => {
    const result = await expectRun(box, ['fields', 'apply', '-f', file('deep.json', `{"fields": ${deep}}`), '--json'], 5)
    expect(result.json.error.message).toContain('nested deeper')
  })
})

describe('the externalId limit', () => {
  const long = 'x'.repeat(3000)

  it('refuses an externalId of 3,000 characters on create, with exit 5, storing nothing', async () => {
    const result = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--external-id', long, '--json'], 5)
    expect(result.json.error.details).toEqual({length: 3000, limit: 256})
    expect(await readStore(box.storePath)).toEqual([])
  })

  it('takes 256 characters and rejects 257 on import', async () => {
    const row = (externalId: string) => JSON.stringify({type: 'customer', externalId, data: {Context_First_Name: 'A'}})
    const result = await expectRun(box, ['import', file('ids.jsonl', `${row('y'.repeat(256))}\n${row('z'.repeat(257))}\n${row(long)}\n`), '--json'], 6)
    expect(result.json).toMatchObject({created: 1, rejected: 2})
    expect((await readStore(box.storePath)).map((object) => object.externalId)).toEqual(['y'.repeat(256)])
  })
})

describe('--json in a pipe', () => {
  it('prints a whole error object of several hundred KB before it exits', async () => {
    const fields = Array.from({length: 4000}, (_, index) => ({id: `Bad_Field_${index}`, dataType: 'no-such-type', classification: 'PII'}))
    const result = await expectRun(box, ['fields', 'apply', '-f', file('bad.json', JSON.stringify({fields})), '--json'], 5)
    expect(result.stdout.length).toBeGreaterThan(256 * 1024)
    expect(result.json?.error.code).toBe('INVALID_DATA')
  })
})

describe('a mistyped command', () => {
  it('suggests the command by its words, runs nothing, and answers --json with an error object (exit 2)', async () => {
    const search = await expectRun(box, ['serch', 'lovelace', '--json'], 2)
    expect(search.json.error).toMatchObject({code: 'USAGE', details: {suggestion: 'search'}})
    expect(search.stderr).toContain('ctx search lovelace')
    const journey = await expectRun(box, ['jurney', 'ada@example.com', '--json'], 2)
    expect(journey.json.error.details).toEqual({suggestion: 'journey'})
    const topic = await expectRun(box, ['custmers', 'serch', 'ada'], 2)
    expect(topic.stderr).toContain('ctx customers search ada')
    expect(await readStore(box.storePath)).toEqual([])
  })

  it('suggests nothing for words far from any command', async () => {
    const result = await expectRun(box, ['xyzzy', '--json'], 2)
    expect(result.json.error.code).toBe('USAGE')
    expect(result.json.error.details).toBeUndefined()
  })

  it('answers an unknown flag with an error object under --json (exit 2)', async () => {
    const result = await expectRun(box, ['search', 'ada', '--no-such-flag', '--json'], 2)
    expect(result.json.error).toMatchObject({code: 'USAGE', exitCode: 2})
  })

  it('prints its version as a JSON object under --json', async () => {
    const result = await expectRun(box, ['--version', '--json'])
    expect(result.json).toMatchObject({version: expect.stringMatching(/^\d+\.\d+\.\d+/), userAgent: expect.stringMatching(/^ctx-cli\//)})
  })
})
