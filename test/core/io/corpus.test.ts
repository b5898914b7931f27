// The csv-spectrum acid test (the `csv-spectrum` npm package, a devDependency): every file imports through a mapping onto fields,
// every value matches what a correct parser yields, and export → import gives the same objects.
import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Mapping} from '../../../src/core/io/mapping.js'
import {allObjects, exportText, importInto, MAPPINGS, memoryStore, type Scratch, scratch} from './helpers.js'

/** The corpus as the `csv-spectrum` package ships it: csvs/NAME.csv and json/NAME.json. */
function corpusDir(): string {
  return dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'))
}

const MAPPING_OF: Record<string, string> = {
  comma_in_quotes: 'address.json',
  empty: 'abc.json',
  empty_crlf: 'abc.json',
  escaped_quotes: 'ab.json',
  json: 'key-val.json',
  location_coordinates: 'location.json',
  newlines: 'abc.json',
  newlines_crlf: 'abc.json',
  quotes_and_newlines: 'ab.json',
  simple: 'abc.json',
  simple_crlf: 'abc.json',
  utf8: 'abc.json',
}

/**
 * Upstream's expected record for location_coordinates.csv is a lone object (not an array) whose
 * phone number differs from the one in the CSV; the CSV is the input, so its number is expected.
 */
const UPSTREAM_ERRATA: Record<string, Record<string, string>> = {location_coordinates: {'Contact Phone Number': '2095257564'}}

function expectedRecords(corpus: string, name: string): Record<string, string>[] {
  const parsed = JSON.parse(readFileSync(join(corpus, 'json', `${name}.json`), 'utf8')) as Record<string, string> | Record<string, string>[]
  const records = Array.isArray(parsed) ? parsed : [parsed]
  return records.map((record) => ({...record, ...UPSTREAM_ERRATA[name]}))
}

describe('csv-spectrum corpus', () => {
  const corpus = corpusDir()
  const names = readdirSync(join(corpus, 'csvs')).map((file) => file.replace(/\.csv$/, '')).sort()
  let dir: Scratch

  beforeAll(() => {
    dir = scratch()
  })

  afterAll(() => dir.cleanup())

  it('has a mapping for every file of the corpus', () => {
    expect(names.filter((name) => !MAPPING_OF[name])).toEqual([])
  })

  it.each(names)('imports %s with every value intact, and round-trips it through CSV export', async (name) => {
    const mappingFile = join(MAPPINGS, MAPPING_OF[name])
    const mapping = JSON.parse(readFileSync(mappingFile, 'utf8')) as Mapping
    const store = memoryStore()
    const summary = await importInto(store, join(corpus, 'csvs', `${name}.csv`), {mapping: mappingFile}, dir)
    const expected = expectedRecords(corpus, name)
    expect(summary).toMatchObject({read: expected.length, created: expected.length, rejected: 0})

    const imported = await allObjects(store)
    const values = imported.map((object) =>
      Object.fromEntries(
        Object.entries(mapping.columns!).map(([column, to]) => [column, to === 'externalId' ? object.externalId : object.data[to as string]]),
      ),
    )
    expect(values).toEqual(expected)

    const csv = await exportText(store, {format: 'csv', type: 'customer'})
    const again = memoryStore()
    expect(await importInto(again, dir.write(`${name}.csv`, csv), {type: 'customer'}, dir)).toMatchObject({rejected: 0})
    expect(await allObjects(again)).toEqual(imported)
  })
})
