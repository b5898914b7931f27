import {expect, it} from 'vitest'
import {addActivity} from '../../src/core/activities.js'
import {createCustomer} from '../../src/core/customers.js'
import {customerDataFromContact, customersWithContact} from '../../src/core/identify.js'
import {findCustomer} from '../../src/core/journey.js'
import {eachStore} from '../helpers/each-store.js'

it('splits a source name into first names and a last name, and puts email and phone in home email and mobile phone', () => {
  expect(customerDataFromContact({name: '  Grace  Brewster Hopper ', email: 'g@navy.mil', phone: '+1 555 0100'})).toEqual({
    Context_First_Name: 'Grace Brewster',
    Context_Last_Name: 'Hopper',
    Context_Home_Email: 'g@navy.mil',
    Context_Mobile_Phone: '+1 555 0100',
  })
  expect(customerDataFromContact({name: 'Cher'})).toEqual({Context_Last_Name: 'Cher'})
  expect(customerDataFromContact({phone: '+15550100'})).toEqual({Context_Mobile_Phone: '+15550100'})
})

eachStore('identifying the customer of an activity (rule 6)', (world) => {
  const session = () => world().session
  const source = (fields: Record<string, string>) =>
    addActivity(session(), {
      mediaType: 'voice',
      changes: Object.fromEntries(Object.entries(fields).map(([key, value]) => [`Context_POD_Source_${key}`, value])),
    })

  it('attaches to the customer whose email matches exactly, ignoring case', async () => {
    const ada = await createCustomer(session(), {changes: {Context_Last_Name: 'Lovelace', Context_Work_Email: 'Ada@Example.com'}})
    await createCustomer(session(), {changes: {Context_Work_Email: 'not.ada@example.com'}})
    const {activity, customer} = await source({Email: 'ada@example.com', Cust_Name: 'Someone Else'})
    expect(customer).toMatchObject({id: ada.id, identifiedBy: 'email', matchedValue: 'ada@example.com', matches: 1})
    expect(activity.customerId).toBe(ada.id)
    expect(await session().store.count()).toBe(3)
  })

  it('attaches to the customer whose phone matches exactly, in any of the three phone fields', async () => {
    const bob = await createCustomer(session(), {changes: {Context_Last_Name: 'Babbage', Context_Home_Phone: '+44 20 7946 0000'}})
    await createCustomer(session(), {changes: {Context_Work_Phone: '+44 20 7946 0001'}})
    const {customer} = await source({Phone: '+44 20 7946 0000'})
    expect(customer).toMatchObject({id: bob.id, identifiedBy: 'phone'})
  })

  it('prefers an email match over a phone match', async () => {
    const byEmail = await createCustomer(session(), {changes: {Context_Home_Email: 'e@example.com'}})
    await createCustomer(session(), {changes: {Context_Mobile_Phone: '555-0100'}})
    expect((await source({Email: 'e@example.com', Phone: '555-0100'})).customer.id).toBe(byEmail.id)
  })

  it('creates the customer from the source fields when nothing matches', async () => {
    await createCustomer(session(), {changes: {Context_Work_Email: 'other@example.com'}})
    const {activity, customer} = await source({Cust_Name: 'Grace Brewster Hopper', Email: 'grace@example.com', Phone: '+15550100'})
    expect(customer).toMatchObject({identifiedBy: 'created', displayName: 'Grace Brewster Hopper'})
    const created = await session().store.get(customer.id)
    expect(created).toMatchObject({type: 'customer', fieldsets: ['cisco.base.customer']})
    expect(created?.data).toEqual({
      Context_First_Name: 'Grace Brewster',
      Context_Last_Name: 'Hopper',
      Context_Home_Email: 'grace@example.com',
      Context_Mobile_Phone: '+15550100',
    })
    expect(activity.customerId).toBe(customer.id)
    expect(activity.data.Context_POD_Source_Email).toBe('grace@example.com')
  })

  it('takes the most recently updated of several customers with the same email, and says how many matched', async () => {
    await createCustomer(session(), {changes: {Context_Work_Email: 'shared@example.com'}})
    world().at('2026-03-02T00:00:00Z')
    const newer = await createCustomer(session(), {changes: {Context_Home_Email: 'shared@example.com'}})
    const {customer} = await source({Email: 'shared@example.com'})
    expect(customer).toMatchObject({id: newer.id, matches: 2})
  })

  it('does not create a customer when the activity itself is invalid', async () => {
    await expect(source({Email: 'x'.repeat(400)})).rejects.toThrow(/Context_POD_Source_Email|Context_Home_Email/)
    expect(await session().store.count()).toBe(0)
  })
})

eachStore('a phone number written another way is the same customer (the phone rule)', (world) => {
  const session = () => world().session

  it('identifies the caller of +442079460000 as the customer stored as +44 20 7946 0000, and 0044 (0)20… too', async () => {
    const bob = await createCustomer(session(), {changes: {Context_Last_Name: 'Babbage', Context_Work_Phone: '+44 20 7946 0000'}})
    await createCustomer(session(), {changes: {Context_Work_Phone: '+44 20 7946 0001'}})
    for (const phone of ['+442079460000', '0044 (0)20 7946 0000', '+44-20-7946-0000']) {
      const {customer} = await addActivity(session(), {mediaType: 'voice', changes: {Context_POD_Source_Phone: phone}})
      expect(customer, phone).toMatchObject({id: bob.id, identifiedBy: 'phone'})
    }
    expect(await session().store.count({kind: 'equals', key: 'type', value: 'customer'})).toBe(2)
  })

  it('finds a number stored in bare groups from its international spelling, and not a national number', async () => {
    const grouped = await createCustomer(session(), {changes: {Context_Home_Phone: '0044 20 7946 0000'}})
    await createCustomer(session(), {changes: {Context_Home_Phone: '020 7946 0000'}})
    expect((await customersWithContact(session().store, 'phone', '+442079460000')).map((customer) => customer.id)).toEqual([grouped.id])
    expect((await findCustomer(session().store, '+44 20 7946 0000')).id).toBe(grouped.id)
  })
})
