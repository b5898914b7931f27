// CSV bytes that a careless import would change without a word: invalid UTF-8 past the first
// chunk, NUL characters, a quote inside an unquoted cell, header names padded with spaces. What ctx
// accepts it stores exactly; what it refuses it names; a header is a name, matched without its padding. Runs on the file store and on PostgreSQL.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

function csv(name: string, content: string | Buffer): string {
  const path = join(box.dir, name)
  writeFileSync(path, content)
  return path
}

async function cities(): Promise<string[]> {
  const result = await expectRun(box, ['export', '--type', 'customer', '--format', 'jsonl'])
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).data.Context_City)
}

describe('CSV import edges', () => {
  it('refuses invalid UTF-8 far past the first chunk (exit 5, naming the line), never storing U+FFFD', async () => {
    const rows = Array.from({length: 4000}, (_, index) => `Name${index},City${index}`)
    const head = Buffer.from(`Context_First_Name,Context_City\n${rows.join('\n')}\n`)
    const bad = Buffer.concat([head, Buffer.from('Bad,Caf'), Buffer.from([0xe9]), Buffer.from('\nAfter,Town\n')])
    expect(head.length).toBeGreaterThan(64 * 1024)
    const result = await expectRun(box, ['import', csv('latin.csv', bad), '--type', 'customer', '--json'], 5)
    expect(result.json.error.message).toContain('not UTF-8')
    expect(result.json.error.details.line).toBe(4002)
    expect((await cities()).some((city) => city.includes('\uFFFD'))).toBe(false)
  })

  it('rejects a row holding a NUL character, on every store alike, and imports the rest', async () => {
    const result = await expectRun(box, ['import', csv('nul.csv', 'Context_First_Name,Context_City\nAda,Lon\u0000don\nGrace,Paris\n'), '--type', 'customer', '--json'], 6)
    expect(result.json).toMatchObject({created: 1, rejected: 1})
    expect(await cities()).toEqual(['Paris'])
  })

  it('stores a quote inside an unquoted cell exactly as written', async () => {
    await expectRun(box, ['import', csv('quote.csv', 'Context_First_Name,Context_City\nAda,Saint "Malo\n'), '--type', 'customer', '--json'])
    expect(await cities()).toEqual(['Saint "Malo'])
  })

  it('reads a header name padded with spaces as the field it names, and keeps the cells exactly (spaces too)', async () => {
    await expectRun(box, ['import', csv('padded.csv', 'Context_First_Name, Context_City \nAda, Lyon \n'), '--type', 'customer', '--json'])
    expect(await cities()).toEqual([' Lyon '])
  })
})
