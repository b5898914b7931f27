// CSV import, one small fixture per edge case of real-world files: encodings, delimiters, quoting,
// ragged and mistyped rows, unknown columns, malformed files, formula-looking values.
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {InvalidDataError, UsageError} from '../../../src/core/errors.js'
import {baseDefinitions} from '../../../src/core/definitions/model.js'
import type {Store} from '../../../src/core/storage/store.js'
import {allObjects, byExternalId, exportText, FIXTURES, importInto, memoryStore, type Scratch, scratch} from './helpers.js'

let store: Store
let dir: Scratch

beforeEach(() => {
  store = memoryStore()
  dir = scratch()
})

afterEach(() => dir.cleanup())

const fixture = (name: string) => join(FIXTURES, name)
const importCustomers = (name: string, options = {}) => importInto(store, fixture(name), {type: 'customer', ...options}, dir)

describe('CSV import: file layouts', () => {
  it('strips a byte order mark, so the first column is still recognised', async () => {
    const summary = await importCustomers('bom.csv')
    expect(summary).toMatchObject({read: 2, created: 2, rejected: 0, layout: {bom: true, delimiter: ','}})
    expect((await byExternalId(store))['b-1'].data).toEqual({Context_First_Name: 'Ada', Context_Last_Name: 'Lovelace'})
  })

  it('reads CRLF files and keeps a CRLF inside a quoted value as it was', async () => {
    const summary = await importCustomers('crlf.csv')
    expect(summary).toMatchObject({created: 2, layout: {lineEnding: '\r\n'}})
    expect((await byExternalId(store))['c-2'].data.Context_City).toBe('New\r\nYork')
  })

  it.each([
    ['semicolon.csv', ';', 's-2', 'Arlington, VA'],
    ['tab.tsv', '\t', 't-1', 'London; UK'],
    ['pipe.csv', '|', 'p-1', 'London, UK'],
  ])('detects the delimiter of %s from its header', async (name, delimiter, externalId, city) => {
    const summary = await importCustomers(name)
    expect(summary.layout?.delimiter).toBe(delimiter)
    expect(summary.rejected).toBe(0)
    expect((await byExternalId(store))[externalId].data.Context_City).toBe(city)
  })

  it('keeps newlines inside quoted values, blank lines included', async () => {
    await importCustomers('quoted-newline.csv')
    const objects = await byExternalId(store)
    expect(objects['q-1'].data.Context_Street_Address_1).toBe("12 St James's Square\nLondon")
    expect(objects['q-2'].data.Context_Street_Address_1).toBe('line one\n\nline three')
    expect(objects['q-3'].data.Context_Street_Address_1).toBe('plain')
  })

  it('reads doubled quotes as one, and a quoted empty cell as an empty value', async () => {
    await importCustomers('escaped-quotes.csv')
    const objects = await byExternalId(store)
    expect(objects['e-1'].data).toEqual({Context_First_Name: 'Ada "the Countess"', Context_Last_Name: 'Lovelace'})
    expect(objects['e-2'].data).toEqual({Context_First_Name: '"quoted"', Context_Last_Name: ''})
  })

  it('keeps UTF-8 names, accents, CJK and emoji intact', async () => {
    await importCustomers('utf8-names.csv')
    const objects = await byExternalId(store)
    expect(objects['u-1'].data).toMatchObject({Context_First_Name: 'Zoë', Context_Last_Name: 'Ñúñez', Context_City: 'Zürich'})
    expect(objects['u-2'].data).toMatchObject({Context_First_Name: '李', Context_Last_Name: '小龍', Context_City: '香港'})
    expect(objects['u-3'].data.Context_Last_Name).toBe('🦄 Unicorn')
  })

  it('refuses a file that is not UTF-8 before reading a row, naming the line and byte', async () => {
    const latin1 = dir.path('latin1.csv')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(latin1, Buffer.from('externalId,Context_First_Name\nl-1,Zo\xeb\n', 'latin1'))
    const refused = importInto(store, latin1, {type: 'customer'}, dir)
    await expect(refused).rejects.toThrow(/not UTF-8/)
    await expect(refused).rejects.toMatchObject({exitCode: 5, where: `${latin1}:2`, details: {line: 2, byte: 36}})
    expect(await allObjects(store)).toEqual([])
  })

  it('imports nothing, without error, from an empty file or a header alone', async () => {
    expect(await importCustomers('empty.csv')).toMatchObject({read: 0, created: 0, rejected: 0, rejectsFile: null})
    expect(await importCustomers('header-only.csv')).toMatchObject({read: 0, created: 0, rejected: 0, rejectsFile: null})
    expect(await allObjects(store)).toEqual([])
  })
})

describe('CSV import: bad rows', () => {
  it('rejects ragged rows with their line and keeps the good ones', async () => {
    const summary = await importCustomers('ragged.csv')
    expect(summary).toMatchObject({read: 4, created: 2, rejected: 2, rejectsFile: dir.path('rejects.out')})
    expect(summary.firstRejects).toEqual([
      {line: 3, reason: 'the row has 2 cells where the header has 3'},
      {line: 4, reason: 'the row has 4 cells where the header has 3'},
    ])
    expect(Object.keys(await byExternalId(store)).sort()).toEqual(['r-1', 'r-4'])
    expect(dir.read('rejects.out')).toBe(
      '_line,_reason,externalId,Context_First_Name,Context_Last_Name\n' +
        '3,the row has 2 cells where the header has 3,r-2,Grace\n' +
        '4,the row has 4 cells where the header has 3,r-3,Alan,Turing,extra\n',
    )
  })

  it('rejects values of the wrong type, naming every field wrong in the row', async () => {
    const definitions = baseDefinitions()
    definitions.fields.Test_Age = {id: 'Test_Age', dataType: 'integer', classification: 'UNENCRYPTED'}
    definitions.fields.Test_Member = {id: 'Test_Member', dataType: 'boolean', classification: 'UNENCRYPTED'}
    definitions.fieldsets['test.loyalty'] = {id: 'test.loyalty', fields: ['Test_Age', 'Test_Member']}
    await store.transaction((tx) => tx.putDefinitions(definitions))
    const summary = await importCustomers('wrong-types.csv')
    expect(summary).toMatchObject({created: 2, rejected: 2})
    const [grace, alan] = summary.firstRejects
    expect(grace.line).toBe(3)
    expect(grace.reason).toContain('Test_Age')
    expect(alan.line).toBe(4)
    expect(alan.reason).toContain('Test_Member')
    expect(alan.reason).not.toContain('Test_Age')
    const objects = await byExternalId(store)
    expect(objects['w-1']).toMatchObject({fieldsets: ['cisco.base.customer', 'test.loyalty'], data: {Test_Age: 36, Test_Member: true, Context_Preferred_Language: 'en_US'}})
    expect(objects['w-4'].data).toEqual({Context_First_Name: 'Edsger', Test_Age: 72, Test_Member: false})
  })

  it('rejects a value its field refuses (an inactive enum value), after coercion succeeded', async () => {
    const file = dir.write('language.csv', 'externalId,Context_Preferred_Language\nl-1,klingon\n')
    const summary = await importInto(store, file, {type: 'customer'}, dir)
    expect(summary.rejected).toBe(1)
    expect(summary.firstRejects[0].reason).toContain('Context_Preferred_Language')
  })

  it('numbers rows by the line they start on, even after quoted CRLFs and blank lines', async () => {
    const file = dir.write('lines.csv', 'externalId,Context_First_Name\r\na,"x\r\ny"\r\n\r\nb,too,many\r\nc,"p\nq"\r\nd\r\n')
    const summary = await importInto(store, file, {type: 'customer'}, dir)
    expect(summary.firstRejects.map((row) => row.line)).toEqual([5, 8])
  })

  it('refuses an unknown column before writing anything (exit 5), naming it', async () => {
    const error = await importCustomers('unknown-column.csv').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).message).toContain('"Shoe_Size"')
    expect((error as InvalidDataError).details).toEqual({columns: ['"Shoe_Size"']})
    expect(await allObjects(store)).toEqual([])
  })

  it('stops at an unclosed quote naming its line, and writes nothing from the file', async () => {
    const error = await importCustomers('unclosed-quote.csv').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).where).toBe(`${fixture('unclosed-quote.csv')}:3`)
    expect(await allObjects(store)).toEqual([])
  })

  it('needs --type (or a mapping type) for CSV', async () => {
    await expect(importInto(store, fixture('bom.csv'), {}, dir)).rejects.toBeInstanceOf(UsageError)
  })
})

describe('CSV import: formulas', () => {
  it('stores formula-looking values as text, takes one escaping quote off, and exports them escaped', async () => {
    await importCustomers('formula.csv')
    const objects = await byExternalId(store)
    expect(objects['f-1'].data).toEqual({Context_First_Name: '=HYPERLINK("http://evil.example")', Context_Last_Name: '+33 1 23 45', Context_City: '-5'})
    expect(objects['f-2'].data).toEqual({Context_First_Name: '@SUM(A1)', Context_Last_Name: '=already quoted', Context_City: "'plain apostrophe"})

    const csv = await exportText(store, {format: 'csv', type: 'customer'})
    expect(csv).toContain(`'=HYPERLINK(""http://evil.example"")`)
    expect(csv).toContain("'+33 1 23 45")
    expect(csv).toContain(",'-5,")
    expect(csv).toContain("'@SUM(A1)")
    expect(csv).toContain(",'plain apostrophe,")
    const raw = await exportText(store, {format: 'csv', type: 'customer', escapeFormulas: false})
    expect(raw).toContain('"=HYPERLINK(""http://evil.example"")"')

    const again = memoryStore()
    await importInto(again, dir.write('escaped.csv', csv), {type: 'customer'}, dir)
    expect(await allObjects(again)).toEqual(await allObjects(store))
  })

  it('keeps a value that itself starts with an escaping quote through export and import', async () => {
    const file = dir.write('quote.csv', "externalId,Context_First_Name\nz-1,'''=x\n")
    await importInto(store, file, {type: 'customer'}, dir)
    expect((await byExternalId(store))['z-1'].data.Context_First_Name).toBe("''=x")
    const again = memoryStore()
    await importInto(again, dir.write('out.csv', await exportText(store, {format: 'csv', type: 'customer'})), {type: 'customer'}, dir)
    expect((await byExternalId(again))['z-1'].data.Context_First_Name).toBe("''=x")
  })
})
