import {expect, it} from 'vitest'
import {addActivity, listActivities, moveActivity, showActivity, updateActivity} from '../../src/core/activities.js'
import {addComment, SYSTEM_AUTHOR} from '../../src/core/comments.js'
import {createCustomer, updateCustomer} from '../../src/core/customers.js'
import {ConflictError, InvalidDataError, NotFoundError, UsageError} from '../../src/core/errors.js'
import type {ContextObject} from '../../src/core/model.js'
import {closeRequest, openRequest, updateRequest} from '../../src/core/requests.js'
import {eachStore} from '../helpers/each-store.js'

eachStore('activities', (world) => {
  const session = () => world().session
  const customer = (last: string) => createCustomer(session(), {changes: {Context_First_Name: 'Test', Context_Last_Name: last}})
  const open = (customerId: string, title: string) => openRequest(session(), {customerId, changes: {Context_Title: title}})
  const add = async (input: {customerId?: string; requestId?: string; notes?: string}) =>
    (await addActivity(session(), {mediaType: 'voice', customerId: input.customerId, requestId: input.requestId, changes: {Context_Notes: input.notes ?? 'call'}}))
      .activity
  const everything = async () => (await session().store.find({limit: 1000})).items

  /** Runs `change` expecting it to fail with `type`, and checks that the store did not move. */
  async function refused(change: () => Promise<unknown>, type: new (...args: any[]) => Error): Promise<void> {
    const before = await everything()
    await expect(change()).rejects.toBeInstanceOf(type)
    expect(await everything()).toEqual(before)
  }

  it('adds an activity under a request with the request’s customer, and counts it as an update of the request', async () => {
    const ada = await customer('Lovelace')
    const request = await open(ada.id, 'Router')
    world().at('2026-03-02T10:00:00Z')
    const added = await addActivity(session(), {mediaType: 'Voice', requestId: request.id, tags: ['vip', ' router ', 'VIP'], changes: {Context_Notes: 'n'}})
    expect(added.activity).toMatchObject({type: 'activity', customerId: ada.id, parentId: request.id, mediaType: 'voice', tags: ['vip', 'router']})
    expect(added.customer).toEqual({id: ada.id, displayName: 'Test Lovelace', identifiedBy: 'request'})
    expect((await session().store.get(request.id))?.lastUpdated).toBe('2026-03-02T10:00:00.000Z')
  })

  it('refuses an activity whose customer is not its request’s customer (rule 1)', async () => {
    const ada = await customer('Lovelace')
    const bob = await customer('Babbage')
    const request = await open(ada.id, 'Router')
    await refused(() => add({customerId: bob.id, requestId: request.id}), InvalidDataError)
  })

  it('refuses to add to, edit under, or comment under a closed request (rule 2)', async () => {
    const ada = await customer('Lovelace')
    const request = await open(ada.id, 'Router')
    const activity = await add({requestId: request.id})
    await closeRequest(session(), request.id)
    await refused(() => add({requestId: request.id}), ConflictError)
    await refused(() => updateActivity(session(), activity.id, {changes: {Context_Notes: 'edited'}}), ConflictError)
    await refused(() => addComment(session(), activity.id, 'late note'), ConflictError)
    await refused(() => addComment(session(), request.id, 'late note'), ConflictError)
  })

  it('refuses an unknown media type as a usage error, and an activity with no way to find its customer', async () => {
    const ada = await customer('Lovelace')
    await refused(() => addActivity(session(), {mediaType: 'fax', customerId: ada.id, changes: {}}), UsageError)
    await refused(() => addActivity(session(), {mediaType: 'chat', changes: {Context_Notes: 'who?'}}), UsageError)
  })

  it('refuses an object over 256 KiB of JSON (rule 8) and stores nothing', async () => {
    const ada = await customer('Lovelace')
    await refused(() => add({customerId: ada.id, notes: 'x'.repeat(300 * 1024)}), InvalidDataError)
  })

  it('edits an activity outside any request and one under an active request, touching that request', async () => {
    const ada = await customer('Lovelace')
    const loose = await add({customerId: ada.id})
    const edited = await updateActivity(session(), loose.id, {changes: {Context_Notes: 'better'}, tags: ['x']})
    expect(edited).toMatchObject({data: {Context_Notes: 'better'}, tags: ['x']})
    const request = await open(ada.id, 'Router')
    const inside = await add({requestId: request.id})
    world().at('2026-03-03T00:00:00Z')
    await updateActivity(session(), inside.id, {changes: {Context_Notes: 'again'}})
    expect((await session().store.get(request.id))?.lastUpdated).toBe('2026-03-03T00:00:00.000Z')
    await expect(updateActivity(session(), inside.id, {changes: {}})).rejects.toBeInstanceOf(UsageError)
  })

  it('writes comments on activities and requests that can never change afterwards', async () => {
    const ada = await customer('Lovelace')
    const request = await open(ada.id, 'Router')
    const activity = await add({requestId: request.id})
    world().at('2026-03-04T00:00:00Z')
    const comment = await addComment(session(), activity.id, '  Called back  ')
    expect(comment).toMatchObject({
      type: 'comment',
      state: 'closed',
      parentId: activity.id,
      fieldsets: ['cisco.base.comment'],
      data: {Context_Comment: 'Called back', Context_DisplayName: 'tester'},
    })
    expect((await session().store.get(request.id))?.lastUpdated).toBe('2026-03-04T00:00:00.000Z')
    expect((await showActivity(session(), activity.id)).comments).toEqual([comment])
    const other = await customer('Babbage')
    await refused(() => updateActivity(session(), comment.id, {changes: {Context_Notes: 'x'}}), ConflictError)
    await refused(() => moveActivity(session(), comment.id, {toCustomerId: other.id}), ConflictError)
    await refused(() => closeRequest(session(), comment.id), ConflictError)
    await refused(() => addComment(session(), comment.id, 'on a comment'), NotFoundError)
    await refused(() => addComment(session(), activity.id, '   '), UsageError)
  })

  it('lists activities by customer, request, media, tag and query', async () => {
    const ada = await customer('Lovelace')
    const request = await open(ada.id, 'Router')
    const call = await add({requestId: request.id, notes: 'router resets'})
    world().at('2026-03-02T00:00:00Z')
    const {activity: chat} = await addActivity(session(), {mediaType: 'chat', customerId: ada.id, tags: ['vip'], changes: {Context_Notes: 'lights'}})
    await add({customerId: (await customer('Babbage')).id})
    const ids = async (filters: Parameters<typeof listActivities>[1]) => (await listActivities(session(), filters)).items.map((a) => a.id)
    expect(await ids({customerId: ada.id})).toEqual([chat.id, call.id])
    expect(await ids({requestId: request.id})).toEqual([call.id])
    expect(await ids({customerId: ada.id, media: ['chat', 'email']})).toEqual([chat.id])
    expect(await ids({tags: ['VIP']})).toEqual([chat.id])
    expect(await ids({query: 'router'})).toEqual([call.id])
    await expect(ids({media: ['fax']})).rejects.toBeInstanceOf(UsageError)
  })
})

eachStore('moving activities (rule 5)', (world) => {
  const session = () => world().session
  const customer = (last: string) => createCustomer(session(), {changes: {Context_Last_Name: last}})
  const open = (customerId: string, title: string) => openRequest(session(), {customerId, changes: {Context_Title: title}})
  const add = async (customerId: string, requestId?: string) =>
    (await addActivity(session(), {mediaType: 'email', customerId, requestId, changes: {}})).activity

  it('moves an activity between customers and requests: both requests updated, a system comment records who, from where, when', async () => {
    const ada = await customer('Lovelace')
    const bob = await customer('Babbage')
    const from = await open(ada.id, 'Router')
    const to = await open(bob.id, 'Engine')
    const activity = await add(ada.id, from.id)
    world().at('2026-03-05T12:00:00Z')
    const moved = await moveActivity(session(), activity.id, {toCustomerId: bob.id, toRequestId: to.id})

    expect(moved).toMatchObject({moved: true, from: {customerId: ada.id, requestId: from.id}, to: {customerId: bob.id, requestId: to.id}})
    const stored = await session().store.get(activity.id)
    expect(stored).toMatchObject({customerId: bob.id, parentId: to.id, lastUpdated: '2026-03-05T12:00:00.000Z'})
    expect((await session().store.get(from.id))?.lastUpdated).toBe('2026-03-05T12:00:00.000Z')
    expect((await session().store.get(to.id))?.lastUpdated).toBe('2026-03-05T12:00:00.000Z')
    const comment = moved.comment as ContextObject
    expect(comment).toMatchObject({type: 'comment', state: 'closed', parentId: activity.id, tags: ['system']})
    expect(comment.data.Context_DisplayName).toBe(SYSTEM_AUTHOR)
    expect(comment.data.Context_Comment).toContain('Moved by tester at 2026-03-05T12:00:00.000Z')
    expect(comment.data.Context_Comment).toContain(`from customer Lovelace (${ada.id}), request "Router" (${from.id})`)
    expect(comment.data.Context_Comment).toContain(`to customer Babbage (${bob.id}), request "Engine" (${to.id})`)
    expect(await session().store.get(comment.id)).toEqual(comment)
  })

  it('moves an activity out of a request to another customer with no request, and between requests of one customer', async () => {
    const ada = await customer('Lovelace')
    const bob = await customer('Babbage')
    const router = await open(ada.id, 'Router')
    const billing = await open(ada.id, 'Billing')
    const activity = await add(ada.id, router.id)
    const within = await moveActivity(session(), activity.id, {toCustomerId: ada.id, toRequestId: billing.id})
    expect(within.comment?.data.Context_Comment).toContain(`within customer Lovelace (${ada.id}): from request "Router"`)
    const out = await moveActivity(session(), activity.id, {toCustomerId: bob.id})
    expect(out.activity.parentId).toBeUndefined()
    expect(await session().store.get(activity.id)).toMatchObject({customerId: bob.id})
    expect((await session().store.get(activity.id))?.parentId).toBeUndefined()
  })

  it('refuses to move out of a closed request or into one, and into a request of another customer', async () => {
    const ada = await customer('Lovelace')
    const bob = await customer('Babbage')
    const open1 = await open(ada.id, 'Open')
    const closed = await open(bob.id, 'Closed')
    const bobsOpen = await open(bob.id, 'Bob open')
    const loose = await add(ada.id)
    const inClosed = await add(bob.id, closed.id)
    await closeRequest(session(), closed.id)
    const before = (await session().store.find({limit: 1000})).items

    await expect(moveActivity(session(), inClosed.id, {toCustomerId: ada.id})).rejects.toBeInstanceOf(ConflictError)
    await expect(moveActivity(session(), loose.id, {toCustomerId: bob.id, toRequestId: closed.id})).rejects.toBeInstanceOf(ConflictError)
    await expect(moveActivity(session(), loose.id, {toCustomerId: ada.id, toRequestId: bobsOpen.id})).rejects.toBeInstanceOf(InvalidDataError)
    expect((await session().store.find({limit: 1000})).items).toEqual(before)
    expect(open1.state).toBe('active')
  })

  it('changes nothing, and writes no comment, when the activity is already where it should go', async () => {
    const ada = await customer('Lovelace')
    const activity = await add(ada.id)
    const moved = await moveActivity(session(), activity.id, {toCustomerId: ada.id})
    expect(moved).toMatchObject({moved: false, comment: null})
    expect(await session().store.get(activity.id)).toEqual(activity)
    expect(await session().store.count()).toBe(2)
  })
})

eachStore('comments are immutable on every update path', (world) => {
  it('refuses to update a comment through the customer, request and activity update paths (exit 4)', async () => {
    const session = world().session
    const ada = await createCustomer(session, {changes: {Context_Last_Name: 'Lovelace'}})
    const request = await openRequest(session, {customerId: ada.id, changes: {Context_Title: 'Router'}})
    const comment = await addComment(session, request.id, 'Escalated')
    await expect(updateCustomer(session, comment.id, {changes: {Context_Last_Name: 'x'}})).rejects.toBeInstanceOf(ConflictError)
    await expect(updateRequest(session, comment.id, {changes: {Context_Title: 'x'}})).rejects.toBeInstanceOf(ConflictError)
    await expect(updateActivity(session, comment.id, {changes: {Context_Notes: 'x'}})).rejects.toBeInstanceOf(ConflictError)
    expect(await session.store.get(comment.id)).toEqual(comment)
  })
})
