// A lone surrogate (half of a UTF-16 pair) or a NUL in any text of an object or a definition is refused at
// write, the same on every store (InvalidDataError, exit 5): PostgreSQL cannot hold it, and a file or
// memory store that took it would hold what a later `ctx migrate` cannot move, or a PII value sealed
// as U+FFFD. A store an older ctx wrote with one is refused by migrate, naming it.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {addActivity, updateActivity} from '../../src/core/activities.js'
import {systemClock} from '../../src/core/clock.js'
import {addComment} from '../../src/core/comments.js'
import {createCustomer, updateCustomer} from '../../src/core/customers.js'
import {applyDefinitions, updateDefinition} from '../../src/core/definitions/manage.js'
import {ExitCode, InvalidDataError} from '../../src/core/errors.js'
import {migrateStore} from '../../src/core/migrate.js'
import {assertWellFormedText} from '../../src/core/model.js'
import type {Session} from '../../src/core/objects.js'
import {openRequest} from '../../src/core/requests.js'
import {openStore} from '../../src/core/storage/open.js'
import type {StoreWriter} from '../../src/core/storage/store.js'
import {fixture} from '../contract/store-contract.js'
import {eachStore} from '../helpers/each-store.js'

const HIGH = '\ud83d'
const LOW = '\ude00'

async function refused(write: Promise<unknown>, where: string, what = 'lone surrogate'): Promise<void> {
  const error = await write.then(
    () => null,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(InvalidDataError)
  expect((error as InvalidDataError).exitCode).toBe(ExitCode.invalid)
  expect((error as InvalidDataError).message).toContain(what)
  expect((error as InvalidDataError).where).toBe(where)
}

async function everything(session: Session) {
  const objects = []
  for await (const batch of session.store.scan()) objects.push(...batch)
  return objects
}

describe('assertWellFormedText', () => {
  it('refuses a lone surrogate in any string of an object, high or low, and takes a whole pair', () => {
    expect(() => assertWellFormedText(fixture('activity', {tags: ['fine'], data: {Context_Notes: `a pair: ${HIGH}${LOW}`}}))).not.toThrow()
    for (const object of [
      fixture('customer', {externalId: `x${HIGH}`}),
      fixture('activity', {tags: ['fine', `${LOW}x`]}),
      fixture('customer', {fieldsets: [`set${HIGH}`]}),
      fixture('customer', {data: {Context_First_Name: `Ada${LOW}`}}),
      fixture('customer', {data: {[`Field${HIGH}`]: 'x'}}),
      fixture('customer', {data: {Context_First_Name: `${LOW}${HIGH}`}}),
    ]) {
      expect(() => assertWellFormedText(object)).toThrow(InvalidDataError)
    }
  })
})

eachStore('a lone surrogate', (world) => {
  it('in a field value, a PII one included, or an externalId refuses the customer and stores nothing', async () => {
    const {session} = world()
    await refused(createCustomer(session, {changes: {Context_First_Name: `Ada${HIGH}`}}), 'Context_First_Name')
    await refused(createCustomer(session, {changes: {Context_City: `Lon${LOW}don`}}), 'Context_City')
    await refused(createCustomer(session, {changes: {Context_City: 'London'}, externalId: `crm-${HIGH}`}), 'externalId')
    expect(await everything(session)).toEqual([])
  })

  it('in an update leaves the object as it was', async () => {
    const {session} = world()
    const ada = await createCustomer(session, {changes: {Context_First_Name: `Ada ${HIGH}${LOW}`}})
    await refused(updateCustomer(session, ada.id, {changes: {Context_Last_Name: `Love${HIGH}lace`}}), 'Context_Last_Name')
    const {activity} = await addActivity(session, {mediaType: 'chat', customerId: ada.id, changes: {Context_Notes: 'hello'}})
    await refused(updateActivity(session, activity.id, {changes: {Context_Notes: `bye ${LOW}`}}), 'Context_Notes')
    expect((await everything(session)).sort((a, b) => a.type.localeCompare(b.type))).toEqual([activity, ada])
  })

  it('in a tag or a comment’s text refuses the activity or the comment', async () => {
    const {session} = world()
    const ada = await createCustomer(session, {changes: {Context_First_Name: 'Ada'}})
    await refused(addActivity(session, {mediaType: 'voice', customerId: ada.id, tags: ['vip', `b${HIGH}`], changes: {}}), 'tags')
    const request = await openRequest(session, {customerId: ada.id, changes: {Context_Title: 'Broken'}})
    await refused(addComment(session, request.id, `Called back ${LOW}`), 'Context_Comment')
    expect((await everything(session)).map((object) => object.type).sort()).toEqual(['customer', 'request'])
  })
})

eachStore('a NUL character', (world) => {
  it('in an externalId, a tag or a definition is refused as in a value, storing nothing', async () => {
    const {session} = world()
    await refused(createCustomer(session, {changes: {Context_City: 'Lon\u0000don'}}), 'Context_City', 'NUL character')
    await refused(createCustomer(session, {changes: {Context_City: 'London'}, externalId: 'crm-\u0000'}), 'externalId', 'NUL character')
    const ada = await createCustomer(session, {changes: {Context_First_Name: 'Ada'}})
    await refused(addActivity(session, {mediaType: 'voice', customerId: ada.id, tags: ['vip\u0000'], changes: {}}), 'tags', 'NUL character')
    expect(await everything(session)).toEqual([ada])
    const file = {fields: [{id: 'Acme_Tier', dataType: 'string', classification: 'UNENCRYPTED', translations: {en_US: 'Tier\u0000'}}], fieldsets: []}
    const error = await applyDefinitions(session.store, file, {source: 'defs.json'}).catch((error: unknown) => error)
    expect((error as InvalidDataError).details?.problems).toEqual([
      expect.objectContaining({definition: 'field Acme_Tier', property: 'translations.en_US', message: expect.stringContaining('NUL character')}),
    ])
  })
})

eachStore('a lone surrogate in a definition', (world) => {
  it('refuses the definitions change, naming the definition and the property, and leaves them as they were', async () => {
    const {session} = world()
    const before = await session.store.definitions()
    const file = {
      fields: [{id: 'Acme_Tier', dataType: 'string', classification: 'UNENCRYPTED', translations: {en_US: `Tier ${HIGH}`}}],
      fieldsets: [{id: 'acme.support', description: 'Support', fields: ['Acme_Tier']}],
    }
    const error = await applyDefinitions(session.store, file, {source: 'defs.json'}).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(InvalidDataError)
    expect((error as InvalidDataError).details?.problems).toEqual([
      expect.objectContaining({definition: 'field Acme_Tier', property: 'translations.en_US', message: expect.stringContaining('lone surrogate')}),
    ])
    expect(await session.store.definitions()).toEqual(before)
    file.fields[0].translations.en_US = 'Tier'
    await applyDefinitions(session.store, file)
    const patched = updateDefinition(session.store, 'fieldset', 'acme.support', {patch: {description: `Support ${LOW}`}})
    await expect(patched).rejects.toBeInstanceOf(InvalidDataError)
    expect((await session.store.definitions()).fieldsets['acme.support'].description).toBe('Support')
  })
})

describe('ctx migrate of a store an older ctx wrote with a lone surrogate', () => {
  it('refuses it (exit 5) naming the definition or the object, before the target holds anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-surrogate-'))
    try {
      for (const [name, write] of [
        ['definition', (tx: StoreWriter) => tx.definitions().then((definitions) => {
          definitions.fields.Acme_Tier = {id: 'Acme_Tier', dataType: 'string', classification: 'UNENCRYPTED', translations: {en_US: `Tier ${HIGH}`}}
          return tx.putDefinitions(definitions)
        })],
        ['object', (tx: StoreWriter) => tx.insert([fixture('customer', {externalId: `crm-${LOW}`})])],
      ] as const) {
        const from = join(dir, `${name}.json`)
        const source = await openStore(from, {clock: systemClock})
        // Written past core's checks, as an older ctx could have.
        await source.transaction((tx) => write(tx))
        await source.close()
        const to = `memory:surrogate-${name}-${process.pid}`
        const error = await migrateStore({from, to, clock: systemClock}).catch((error: unknown) => error)
        expect(error, name).toBeInstanceOf(InvalidDataError)
        expect((error as InvalidDataError).message).toContain(name === 'definition' ? 'field Acme_Tier: translations.en_US holds a lone surrogate' : 'externalId holds a lone surrogate')
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
