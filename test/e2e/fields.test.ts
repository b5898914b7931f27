// End to end: field definitions as an admin manages them, through the built CLI.
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {expectRun, sandbox, type Sandbox} from '../helpers/cli.js'

const definitions = {
  fields: [
    {id: 'Acme_Tier', dataType: 'string', classification: 'UNENCRYPTED', translations: {en_US: 'Tier'}, enum: [{value: 'gold'}, {value: 'silver'}]},
    {id: 'Acme_Score', dataType: 'integer', classification: 'UNENCRYPTED', translations: {en_US: 'Score'}},
    {id: 'Acme_Ratio', dataType: 'double', classification: 'UNENCRYPTED'},
  ],
  fieldsets: [{id: 'acme.support', description: 'Support', fields: ['Acme_Tier', 'Acme_Score', 'Acme_Ratio']}],
}

function writeJson(box: Sandbox, name: string, value: unknown): string {
  const path = join(box.dir, name)
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2))
  return path
}

describe('fields apply', () => {
  let box: Sandbox
  let file: string
  beforeAll(() => {
    box = sandbox()
    file = writeJson(box, 'definitions.json', definitions)
  })
  afterAll(() => box.cleanup())

  it('writes nothing on a dry run: no store is created, and an existing store keeps its bytes', async () => {
    const dry = await expectRun(box, ['fields', 'apply', '-f', file, '--dry-run', '--json'])
    expect(dry.json.created).toHaveLength(4)
    expect(dry.json.dryRun).toBe(true)
    expect(existsSync(box.storePath)).toBe(false)

    await expectRun(box, ['store', 'init', '--mode', 'lab'])
    const before = readFileSync(box.storePath)
    const human = await expectRun(box, ['fields', 'apply', '-f', file, '--dry-run'])
    expect(human.stdout).toMatch(/create\s+│ field\s+│ Acme_Tier/)
    expect(human.stdout).toContain('nothing was written')
    expect(readFileSync(box.storePath).equals(before)).toBe(true)
  })

  it('creates what differs, then changes nothing when the same file is applied again', async () => {
    const first = await expectRun(box, ['fields', 'apply', '-f', file, '--json'])
    expect(first.json).toMatchObject({created: expect.arrayContaining([{kind: 'fieldset', id: 'acme.support'}]), updated: [], unchanged: []})
    const bytes = readFileSync(box.storePath)
    const second = await expectRun(box, ['fields', 'apply', '-f', file, '--json'])
    expect(second.json).toMatchObject({created: [], updated: [], dryRun: false})
    expect(second.json.unchanged).toHaveLength(4)
    expect(readFileSync(box.storePath).equals(bytes)).toBe(true)
  })

  it('round-trips: what `fields show --json` prints, `fields update -f` takes back (edited), and labels follow the locale', async () => {
    const shown = await expectRun(box, ['fields', 'show', 'Acme_Tier', '--json'])
    const path = writeJson(box, 'tier.json', {...shown.json, translations: {en_US: 'Tier', fr_FR: 'Niveau'}})
    const updated = await expectRun(box, ['fields', 'update', '-f', path, '--json'])
    expect(updated.json.translations).toEqual({en_US: 'Tier', fr_FR: 'Niveau'})
    const listed = await expectRun(box, ['fields', 'list', '--json'], 0, {env: {LANG: 'fr_FR.UTF-8'}})
    expect(listed.json.items.find((field: {id: string}) => field.id === 'Acme_Tier')).toMatchObject({label: 'Niveau', usedBy: ['acme.support']})
  })

  it('refuses a malformed file (5) naming the definition, property and value, and a missing file (3)', async () => {
    const bad = writeJson(box, 'bad.json', {fields: [{id: 'Acme_New', dataType: 'text', classification: 'PII'}]})
    const refused = await expectRun(box, ['fields', 'apply', '-f', bad, '--json'], 5)
    expect(refused.json.error.message).toContain('field Acme_New: dataType "text" must be one of')
    expect(refused.json.error.details.problems[0]).toMatchObject({definition: 'field Acme_New', property: 'dataType', value: 'text'})
    const broken = writeJson(box, 'broken.json', '{"fields": [\n  {"id": "x",}\n]}')
    expect((await expectRun(box, ['fields', 'apply', '-f', broken, '--json'], 5)).json.error.where).toBe(`${broken}:2:14`)
    await expectRun(box, ['fields', 'apply', '-f', join(box.dir, 'absent.json')], 3)
  })
})

describe('fields and fieldsets commands', () => {
  let box: Sandbox
  let customer: string
  beforeAll(async () => {
    box = sandbox()
    await expectRun(box, ['fields', 'apply', '-f', writeJson(box, 'definitions.json', definitions)])
  })
  afterAll(() => box.cleanup())

  it('creates a field and a fieldset from flags, and lists them with labels and use', async () => {
    const field = await expectRun(box, [
      'fields', 'create', '--id', 'Acme_Region', '--data-type', 'string', '--classification', 'PII', '--label', 'Region',
      '--max-length', '8', '--no-searchable', '--json',
    ])
    expect(field.json).toEqual({id: 'Acme_Region', dataType: 'string', classification: 'PII', searchable: false, translations: {en_US: 'Region'}, maxLength: 8})
    await expectRun(box, ['fieldsets', 'create', '--id', 'acme.geo', '--field', 'Acme_Region', '--json'])
    const fields = await expectRun(box, ['fields', 'list'])
    // In a pipe, plain aligned rows like every other list.
    expect(fields.stdout).toMatch(/\nAcme_Region\s+Region\s+string\s+PII\s+no\s+acme.geo\n/)
    await expectRun(box, ['fields', 'create', '--id', 'Acme_Region', '--data-type', 'string', '--classification', 'PII'], 4)
    await expectRun(box, ['fieldsets', 'create', '--id', 'acme.bad', '--field', 'Nope'], 5)
  })

  it('validates object data against the object’s fieldsets, coercing text by type', async () => {
    const created = await expectRun(box, [
      'customers', 'create', '--first-name', 'Ada', '--fieldset', 'cisco.base.customer', '--fieldset', 'acme.support',
      '--field', 'Acme_Score=42', '--field', 'Acme_Ratio=12.5', '--field', 'Acme_Tier=gold', '--json',
    ])
    customer = created.json.id
    expect(created.json.data).toEqual({Acme_Ratio: 12.5, Acme_Score: 42, Acme_Tier: 'gold', Context_First_Name: 'Ada'})
    const shown = await expectRun(box, ['customers', 'show', customer])
    expect(shown.stdout).toMatch(/Score\s+│ 42/)

    const coercion = await expectRun(box, ['customers', 'update', customer, '--field', 'Acme_Score=2.5', '--json'], 5)
    expect(coercion.json.error.message).toMatch(/Acme_Score.*integer/)
    expect((await expectRun(box, ['customers', 'update', customer, '--field', 'Acme_Ratio=twelve', '--json'], 5)).json.error.message).toMatch(/Acme_Ratio.*double/)
    await expectRun(box, ['customers', 'update', customer, '--field', 'Unknown_Field=1'], 5)
    await expectRun(box, ['customers', 'create', '--fieldset', 'nope.nothing', '--first-name', 'X'], 5)
  })

  it('protects what is in use with exit 4, naming what uses it', async () => {
    const held = await expectRun(box, ['fields', 'delete', 'Acme_Score', '--force', '--json'], 4)
    expect(held.json.error.message).toContain('acme.support')
    const used = await expectRun(box, ['fieldsets', 'delete', 'acme.support', '--force', '--json'], 4)
    expect(used.json.error.details.refusals[0].usedBy).toEqual({count: 1, ids: [customer]})
    await expectRun(box, ['fieldsets', 'update', 'acme.support', '--remove-field', 'Acme_Ratio'], 4)
    await expectRun(box, ['fieldsets', 'delete', 'cisco.base.customer', '--force'], 4)
    await expectRun(box, ['fieldsets', 'delete', 'acme.geo', '--force'])
    const deleted = await expectRun(box, ['fields', 'delete', 'Acme_Region', '--force', '--json'])
    expect(deleted.json).toEqual({kind: 'field', id: 'Acme_Region', deleted: true})
    await expectRun(box, ['fields', 'show', 'Acme_Region'], 3)
  })

  it('keeps inactive fields and enum values on old data while refusing new values', async () => {
    const inactive = await expectRun(box, ['fieldsets', 'update', 'acme.support', '--inactive-field', 'Acme_Ratio', '--json'])
    expect(inactive.json).toMatchObject({fields: ['Acme_Tier', 'Acme_Score'], inactiveFields: ['Acme_Ratio']})
    await expectRun(box, ['fields', 'update', 'Acme_Tier', '--deactivate-enum', 'gold'])
    const kept = await expectRun(box, ['customers', 'update', customer, '--field', 'Acme_Score=7', '--json'])
    expect(kept.json.data).toMatchObject({Acme_Ratio: 12.5, Acme_Tier: 'gold', Acme_Score: 7})
    await expectRun(box, ['customers', 'update', customer, '--field', 'Acme_Ratio=1'], 5)
    await expectRun(box, ['customers', 'create', '--fieldset', 'acme.support', '--field', 'Acme_Tier=gold'], 5)
    const listed = await expectRun(box, ['fieldsets', 'list', '--json'])
    expect(listed.json.items.find((fieldset: {id: string}) => fieldset.id === 'acme.support')).toMatchObject({objects: 1, inactiveFields: ['Acme_Ratio']})
  })
})
