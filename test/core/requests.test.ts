import {expect, it} from 'vitest'
import {addActivity} from '../../src/core/activities.js'
import {addComment} from '../../src/core/comments.js'
import {createCustomer} from '../../src/core/customers.js'
import {ConflictError, InvalidDataError, NotFoundError, UsageError} from '../../src/core/errors.js'
import {newId} from '../../src/core/ids.js'
import {closeRequest, listRequests, openRequest, showRequest, updateRequest} from '../../src/core/requests.js'
import {eachStore} from '../helpers/each-store.js'

eachStore('requests', (world) => {
  const customer = (last = 'Lovelace') => createCustomer(world().session, {changes: {Context_Last_Name: last}})
  const open = (customerId: string, title = 'Router keeps dropping') => openRequest(world().session, {customerId, changes: {Context_Title: title}})

  it('opens an active request for a customer, with its title in Context_Title', async () => {
    const ada = await customer()
    const request = await openRequest(world().session, {customerId: ada.id, changes: {Context_Title: 'Router', Context_Description: 'Resets nightly'}})
    expect(request).toMatchObject({type: 'request', customerId: ada.id, state: 'active', fieldsets: ['cisco.base.request']})
    expect(request.data).toEqual({Context_Title: 'Router', Context_Description: 'Resets nightly'})
    expect(await world().session.store.get(request.id)).toEqual(request)
  })

  it('refuses a request without a title or for a customer that does not exist, storing nothing', async () => {
    const ada = await customer()
    await expect(openRequest(world().session, {customerId: ada.id, changes: {}})).rejects.toBeInstanceOf(InvalidDataError)
    await expect(open(newId())).rejects.toBeInstanceOf(NotFoundError)
    expect(await world().session.store.count()).toBe(1)
  })

  it('lists requests by customer, by state and by query, newest update first, paged', async () => {
    const ada = await customer()
    const bob = await customer('Babbage')
    world().at('2026-03-01T10:00:00Z')
    const router = await open(ada.id, 'Router keeps dropping')
    world().at('2026-03-01T11:00:00Z')
    const billing = await open(ada.id, 'Billing question')
    await open(bob.id, 'Router again')
    await closeRequest(world().session, billing.id)

    const adas = await listRequests(world().session, {customerId: ada.id})
    expect(adas.items.map((request) => request.id)).toEqual([billing.id, router.id])
    expect((await listRequests(world().session, {customerId: ada.id, state: 'active'})).items.map((r) => r.id)).toEqual([router.id])
    expect((await listRequests(world().session, {query: 'router', state: 'active'})).items).toHaveLength(2)
    const first = await listRequests(world().session, {limit: 2})
    expect(first.items).toHaveLength(2)
    const second = await listRequests(world().session, {limit: 2, cursor: first.next})
    expect(second).toMatchObject({next: null})
    expect(second.items).toHaveLength(1)
    await expect(listRequests(world().session, {customerId: newId()})).rejects.toBeInstanceOf(NotFoundError)
    await expect(listRequests(world().session, {query: '(unclosed'})).rejects.toBeInstanceOf(UsageError)
  })

  it('closes by hand: closedAt, closeReason manual, and never again', async () => {
    const request = await open((await customer()).id)
    world().at('2026-03-02T08:00:00Z')
    const closed = await closeRequest(world().session, request.id)
    expect(closed).toMatchObject({state: 'closed', closedAt: '2026-03-02T08:00:00.000Z', closeReason: 'manual', lastUpdated: '2026-03-02T08:00:00.000Z'})
    expect(await world().session.store.get(request.id)).toEqual(closed)
    await expect(closeRequest(world().session, request.id)).rejects.toBeInstanceOf(ConflictError)
  })

  it('refuses to edit a closed request', async () => {
    const request = await open((await customer()).id)
    const closed = await closeRequest(world().session, request.id)
    await expect(updateRequest(world().session, request.id, {changes: {Context_Title: 'New'}})).rejects.toBeInstanceOf(ConflictError)
    expect(await world().session.store.get(request.id)).toEqual(closed)
  })

  it('edits an active request, refusing a stale lastUpdated (rule 4)', async () => {
    const request = await open((await customer()).id)
    const updated = await updateRequest(world().session, request.id, {changes: {Context_Description: 'More'}, ifLastUpdated: request.lastUpdated})
    expect(updated.data).toEqual({Context_Title: 'Router keeps dropping', Context_Description: 'More'})
    await expect(updateRequest(world().session, request.id, {changes: {Context_Title: 'x'}, ifLastUpdated: request.lastUpdated})).rejects.toBeInstanceOf(
      ConflictError,
    )
    await expect(closeRequest(world().session, request.id, {ifLastUpdated: request.lastUpdated})).rejects.toBeInstanceOf(ConflictError)
  })

  it('shows a request with its activities and its comments', async () => {
    const ada = await customer()
    const request = await open(ada.id)
    const {activity} = await addActivity(world().session, {mediaType: 'voice', requestId: request.id, changes: {Context_Notes: 'hello'}})
    const comment = await addComment(world().session, request.id, 'Escalated')
    const shown = await showRequest(world().session, request.id)
    expect(shown.request.id).toBe(request.id)
    expect(shown.timeline.activities.map((entry) => entry.activity.id)).toEqual([activity.id])
    expect(shown.timeline.comments.map((c) => c.id)).toEqual([comment.id])
    await expect(showRequest(world().session, ada.id)).rejects.toBeInstanceOf(NotFoundError)
  })
})
