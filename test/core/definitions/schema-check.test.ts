import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {baseDefinitions, SCHEMAS_DIR} from '../../../src/core/definitions/model.js'
import {checkDefinitionsFile, checkFieldDefinition, checkFieldsetDefinition, crossCheck} from '../../../src/core/definitions/schema-check.js'
import {InvalidDataError} from '../../../src/core/errors.js'

const baseFile = JSON.parse(readFileSync(new URL('base-definitions.json', SCHEMAS_DIR), 'utf8'))
const field = (overrides: Record<string, unknown> = {}) => ({id: 'Custom_Score', dataType: 'integer', classification: 'UNENCRYPTED', ...overrides})

function problemsOf(run: () => unknown): {definition: string; property?: string; value?: unknown; message: string}[] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDataError)
    return (error as InvalidDataError).details!.problems as never
  }
  throw new Error('expected the definitions to be refused')
}

describe('meta-schemas', () => {
  it('accept every base definition, the file and each definition on its own', () => {
    expect(checkDefinitionsFile(baseFile, 'base')).toBe(baseFile)
    for (const one of baseFile.fields) expect(checkFieldDefinition(one, 'base')).toBe(one)
    for (const one of baseFile.fieldsets) expect(checkFieldsetDefinition(one, 'base')).toBe(one)
    expect(crossCheck(baseDefinitions())).toEqual([])
  })

  it('refuse an unknown dataType, naming the field, the property and the value', () => {
    const [problem] = problemsOf(() => checkDefinitionsFile({fields: [field({dataType: 'text'})]}, 'defs.json'))
    expect(problem).toMatchObject({definition: 'field Custom_Score', property: 'dataType', value: 'text'})
    expect(problem.message).toContain('string, integer, long, double, boolean, date')
  })

  it('refuse a bad id, a missing classification and unknown properties', () => {
    expect(problemsOf(() => checkFieldDefinition(field({id: '1st field'}), 'x'))).toEqual([
      expect.objectContaining({definition: 'field 1st field', property: 'id', value: '1st field'}),
    ])
    expect(problemsOf(() => checkFieldDefinition({id: 'A', dataType: 'string'}, 'x'))).toEqual([
      expect.objectContaining({property: 'classification', message: 'is required'}),
    ])
    expect(problemsOf(() => checkFieldsetDefinition({id: 'acme', fields: [], colour: 'red'}, 'x'))).toEqual([
      expect.objectContaining({definition: 'fieldset acme', property: 'colour'}),
    ])
  })

  it('refuse enum, maxLength and pattern on a field that is not a string', () => {
    const problems = problemsOf(() => checkFieldDefinition(field({maxLength: 3, enum: [{value: 'a'}]}), 'x'))
    expect(problems.map((problem) => problem.property).sort()).toEqual(['enum', 'maxLength'])
    expect(problems[0].message).toContain('only to string fields')
  })

  it('refuse a pattern that is not a regular expression, and bad locales', () => {
    expect(problemsOf(() => checkFieldDefinition(field({dataType: 'string', pattern: '[a-'}), 'x'))).toEqual([
      expect.objectContaining({property: 'pattern', value: '[a-'}),
    ])
    expect(problemsOf(() => checkFieldDefinition(field({translations: {English: 'Score'}}), 'x'))).toEqual([
      expect.objectContaining({property: 'translations.English'}),
    ])
  })

  it('refuse duplicate ids in a file, also when they differ only in case', () => {
    const problems = problemsOf(() =>
      checkDefinitionsFile({fields: [field(), field()], fieldsets: [{id: 'acme', fields: []}, {id: 'ACME', fields: []}]}, 'x'),
    )
    expect(problems).toEqual([
      expect.objectContaining({definition: 'field Custom_Score', message: 'is defined twice'}),
      expect.objectContaining({definition: 'fieldset ACME', message: expect.stringContaining('only in case')}),
    ])
  })

  it('report every problem of a file at once, naming definitions by id or position', () => {
    const problems = problemsOf(() => checkDefinitionsFile({fields: [field({dataType: 'text'}), {dataType: 'string'}], extra: 1}, 'x'))
    expect(problems.map((problem) => problem.definition)).toEqual(expect.arrayContaining(['field Custom_Score', 'fields[1]', 'the file']))
  })
})

describe('cross-checks', () => {
  const withFieldset = (fieldset: Record<string, unknown>) => {
    const definitions = baseDefinitions()
    definitions.fieldsets[fieldset.id as string] = fieldset as never
    return definitions
  }

  it('refuse a fieldset naming an unknown field', () => {
    expect(crossCheck(withFieldset({id: 'acme', fields: ['Context_City', 'Nope']}))).toEqual([
      {definition: 'fieldset acme', property: 'fields[1]', value: 'Nope', message: 'names a field that is not defined'},
    ])
  })

  it('refuse a field that is both active and inactive in one fieldset', () => {
    expect(crossCheck(withFieldset({id: 'acme', fields: ['Context_City'], inactiveFields: ['Context_City']}))).toEqual([
      expect.objectContaining({property: 'inactiveFields[0]', value: 'Context_City'}),
    ])
  })

  it('refuse duplicate enum values, patterns ajv cannot compile and ids search reserves', () => {
    const definitions = baseDefinitions()
    definitions.fields.Tier = {id: 'Tier', dataType: 'string', classification: 'UNENCRYPTED', enum: [{value: 'a'}, {value: 'a'}], pattern: 'a\\-b'}
    definitions.fields.state = {id: 'state', dataType: 'string', classification: 'UNENCRYPTED'}
    expect(crossCheck(definitions).map((problem) => `${problem.definition} ${problem.property}`)).toEqual([
      'field Tier pattern',
      'field Tier enum[1].value',
      'field state id',
    ])
  })
})
