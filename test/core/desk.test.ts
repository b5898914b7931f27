import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {addActivity, moveActivity} from '../../src/core/activities.js'
import {createCustomer} from '../../src/core/customers.js'
import {deskEntries, forgetInteractions, openCustomers, popMediaType, rememberInteraction, sourceChanges} from '../../src/core/desk.js'
import {UsageError} from '../../src/core/errors.js'
import {closeRequest, openRequest} from '../../src/core/requests.js'
import {eachStore} from '../helpers/each-store.js'

it('pops a phone as a voice call and an address as an email unless --media says otherwise', () => {
  expect(popMediaType({phone: '+44 20 7946 0000'})).toBe('voice')
  expect(popMediaType({email: 'ada@example.com'})).toBe('email')
  expect(popMediaType({email: 'ada@example.com'}, 'Chat')).toBe('chat')
  expect(() => popMediaType({phone: '1'}, 'fax')).toThrow(UsageError)
  expect(sourceChanges({name: 'Ada Lovelace', phone: '+442079460000'})).toEqual({
    Context_POD_Source_Cust_Name: 'Ada Lovelace',
    Context_POD_Source_Phone: '+442079460000',
  })
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-desk-list-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

eachStore('open customers at the desk', (world) => {
  const session = () => world().session
  const file = () => join(dir, 'desk.json')
  const entries = () => deskEntries(file(), session().store.location, 'agent')

  it('keeps a customer open while the interaction is unfiled or its request active, per operator, until closed or done', async () => {
    const ada = await createCustomer(session(), {changes: {Context_Last_Name: 'Lovelace'}})
    const grace = await createCustomer(session(), {changes: {Context_Last_Name: 'Hopper'}})
    const {activity: call} = await addActivity(session(), {mediaType: 'voice', customerId: ada.id, changes: {}})
    await rememberInteraction(file(), session().store.location, {activityId: call.id, operator: 'agent', at: call.created})
    await rememberInteraction(file(), session().store.location, {activityId: call.id, operator: 'someone else', at: call.created})
    expect(statSync(file()).mode & 0o777).toBe(0o600)

    let open = await openCustomers(session(), await entries())
    expect(open.items.map((item) => [item.customer.id, item.unfiled, item.filed])).toEqual([[ada.id, 1, 0]])

    const request = await openRequest(session(), {customerId: ada.id, changes: {Context_Title: 'Engine'}})
    await moveActivity(session(), call.id, {toCustomerId: ada.id, toRequestId: request.id})
    open = await openCustomers(session(), await entries())
    expect(open.items.map((item) => [item.customer.id, item.unfiled, item.filed])).toEqual([[ada.id, 0, 1]])

    await moveActivity(session(), call.id, {toCustomerId: grace.id})
    open = await openCustomers(session(), await entries())
    expect(open.items.map((item) => item.customer.id)).toEqual([grace.id])

    const graceRequest = await openRequest(session(), {customerId: grace.id, changes: {Context_Title: 'Compiler'}})
    await moveActivity(session(), call.id, {toCustomerId: grace.id, toRequestId: graceRequest.id})
    await closeRequest(session(), graceRequest.id)
    open = await openCustomers(session(), await entries())
    expect(open.items).toEqual([])
    expect(open.finished).toEqual([call.id])

    await forgetInteractions(file(), session().store.location, 'agent', open.finished)
    expect(await entries()).toEqual([])
    expect(await deskEntries(file(), session().store.location, 'someone else')).toHaveLength(1)
  })

  it('forgets an interaction whose activity is gone', async () => {
    const open = await openCustomers(session(), [{activityId: '00000000-0000-4000-8000-000000000000', operator: 'agent', at: '2026-01-01T00:00:00.000Z'}])
    expect(open).toMatchObject({items: [], finished: ['00000000-0000-4000-8000-000000000000']})
  })
})
