// ctx compiles its schemas without checking them against the meta-schema (createAjv, for startup
// time), so this test is where they are checked: every file in schemas/ is a valid JSON Schema.
import {readdirSync, readFileSync} from 'node:fs'
import {Ajv} from 'ajv'
import {describe, expect, it} from 'vitest'

const dir = new URL('../../../schemas/', import.meta.url)
const files = readdirSync(dir).filter((file) => file.endsWith('.schema.json'))

describe('shipped JSON Schemas', () => {
  it('finds the schemas', () => {
    expect(files.length).toBeGreaterThanOrEqual(5)
  })

  it.each(files)('%s is valid against the JSON Schema meta-schema', (file) => {
    const ajv = new Ajv({strict: false})
    const schema = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as object
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
  })
})
