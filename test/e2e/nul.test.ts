// A NUL character where PostgreSQL stores text: one imported row with it is one reject (line,
// rejects file, the good rows kept) and a cursor holding it is a usage error — the same on every store.
// So is a lone surrogate (half of a UTF-16 pair, which a JSON escape can give) in any text of a row.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

const customer = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({id, type: 'customer', fieldsets: ['cisco.base.customer'], data: {Context_First_Name: id.slice(0, 4)}, ...extra})

describe('a NUL character', () => {
  it('in one imported row’s externalId or tags rejects that row alone, with its line, keeping the good rows', async () => {
    const file = join(box.dir, 'customers.jsonl')
    const lines = [
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a11', {externalId: 'good-1'}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a12', {externalId: 'bad\u0000id'}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a13', {tags: ['vip', 'b\u0000d']}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a14', {tags: ['vip']}),
    ]
    writeFileSync(file, `${lines.join('\n')}\n`)
    const result = await expectRun(box, ['import', file, '--json'], 6)
    expect(result.json).toMatchObject({read: 4, created: 2, rejected: 2})
    const rejects = readFileSync(result.json.rejectsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    expect(rejects.map((row) => row._line)).toEqual([2, 3])
    expect(rejects[0]._reason).toContain('NUL')
    const stored = await expectRun(box, ['search', 'type:customer', '--json'])
    expect(stored.json.items.map((object: {id: string}) => object.id).sort()).toEqual(['0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a11', '0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a14'])
  })

  it('in a cursor is a usage error (exit 2)', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const cursor = Buffer.from(JSON.stringify(['v1', '2026-03-01T09:00:00.000Z\u0000', '0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a11'])).toString('base64url')
    const result = await expectRun(box, ['search', 'type:customer', '--cursor', cursor, '--json'], 2)
    expect(result.json.error.code).toBe('USAGE')
    const id = Buffer.from(JSON.stringify(['v1', '2026-03-01T09:00:00.000Z', 'a\u0000b'])).toString('base64url')
    await expectRun(box, ['customers', 'search', 'ada', '--cursor', id, '--json'], 2)
  })
})

describe('a lone surrogate', () => {
  it('in one imported JSON row’s value, tag or externalId rejects that row alone, saying why, keeping the good rows', async () => {
    const file = join(box.dir, 'people.jsonl')
    // As a file holds it: JSON's \\uD800 escape, with no low half after it.
    const lines = [
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a21', {externalId: 'good-1', data: {Context_First_Name: 'Pair \ud83d\ude00'}}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a22', {data: {Context_First_Name: 'Half \ud83d'}}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a23', {tags: ['vip', '\ude00']}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a24', {externalId: 'crm-\udbff'}),
      customer('0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a25', {externalId: 'good-2'}),
    ]
    expect(lines[1]).toContain('\\ud83d"')
    writeFileSync(file, `${lines.join('\n')}\n`)
    const result = await expectRun(box, ['import', file, '--json'], 6)
    expect(result.json).toMatchObject({read: 5, created: 2, rejected: 3})
    const rejects = readFileSync(result.json.rejectsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    expect(rejects.map((row) => row._line)).toEqual([2, 3, 4])
    for (const [index, where] of ['Context_First_Name', 'tags', 'externalId'].entries()) {
      expect(rejects[index]._reason).toContain(`${where} holds a lone surrogate (an unpaired \\uD800-\\uDFFF)`)
    }
    const stored = await expectRun(box, ['search', 'type:customer', '--json'])
    expect(stored.json.items.map((object: {id: string}) => object.id).sort()).toEqual(['0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a21', '0a4f6b8e-1c2d-4e3f-8a5b-6c7d8e9f0a25'])
    expect(stored.json.items.find((object: {externalId: string}) => object.externalId === 'good-1').data.Context_First_Name).toBe('Pair \u{1F600}')
  })
})
