import {expect, it, vi} from 'vitest'
import {addActivity, moveActivity} from '../../src/core/activities.js'
import {addComment} from '../../src/core/comments.js'
import {createCustomer} from '../../src/core/customers.js'
import {NotFoundError, UsageError} from '../../src/core/errors.js'
import {customerJourney, type Journey} from '../../src/core/journey.js'
import type {ContextObject} from '../../src/core/model.js'
import {closeRequest, openRequest} from '../../src/core/requests.js'
import {eachStore, type TestWorld} from '../helpers/each-store.js'

/** Ada's story: a closed billing request, an active router request, a chat outside any request, an empty request. */
async function story(world: TestWorld) {
  const {session} = world
  const ada = await createCustomer(session, {changes: {Context_First_Name: 'Ada', Context_Last_Name: 'Lovelace', Context_Work_Email: 'ada@example.com'}})
  const add = async (at: string, mediaType: string, where: {requestId?: string; customerId?: string}, notes: string) => {
    world.at(at)
    return (await addActivity(session, {mediaType, ...where, changes: {Context_Notes: notes}})).activity
  }
  world.at('2026-02-01T09:00:00Z')
  const billing = await openRequest(session, {customerId: ada.id, changes: {Context_Title: 'Billing'}})
  const web = await add('2026-02-01T09:05:00Z', 'web', {requestId: billing.id}, 'double charge')
  world.at('2026-02-03T09:00:00Z')
  await closeRequest(session, billing.id)
  world.at('2026-03-01T09:00:00Z')
  const router = await openRequest(session, {customerId: ada.id, changes: {Context_Title: 'Router'}})
  const voice = await add('2026-03-01T09:10:00Z', 'voice', {requestId: router.id}, 'resets nightly')
  const chat = await add('2026-03-02T09:00:00Z', 'chat', {customerId: ada.id}, 'lights blink')
  const email = await add('2026-03-03T09:00:00Z', 'email', {requestId: router.id}, 'sent firmware')
  world.at('2026-03-03T10:00:00Z')
  const second = await addComment(session, voice.id, 'second')
  world.at('2026-03-03T09:30:00Z')
  const first = await addComment(session, voice.id, 'first')
  world.at('2026-03-04T09:00:00Z')
  const empty = await openRequest(session, {customerId: ada.id, changes: {Context_Title: 'Empty'}})
  const bob = await createCustomer(session, {changes: {Context_Last_Name: 'Babbage'}})
  const bobs = await openRequest(session, {customerId: bob.id, changes: {Context_Title: 'Bob'}})
  await addActivity(session, {mediaType: 'voice', requestId: bobs.id, changes: {}})
  world.at('2026-03-05T09:00:00Z')
  return {ada, billing, router, empty, web, voice, chat, email, comments: [first, second], bobs}
}

const shape = (journey: Journey) =>
  journey.groups.map((group) => [group.request?.data.Context_Title ?? null, group.activities.map((entry) => entry.activity.mediaType)])

eachStore('journey', (world) => {
  it('groups every activity under its request, newest group and newest activity first, with comments oldest first', async () => {
    const s = await story(world())
    const journey = await customerJourney(world().session, s.ada.id)
    expect(shape(journey)).toEqual([
      ['Empty', []],
      ['Router', ['email', 'voice']],
      [null, ['chat']],
      ['Billing', ['web']],
    ])
    const router = journey.groups[1]
    expect(router.request?.id).toBe(s.router.id)
    expect(router.latest).toBe('2026-03-03T10:00:00.000Z')
    expect(router.activities[1].comments.map((comment: ContextObject) => comment.data.Context_Comment)).toEqual(['first', 'second'])
    expect(journey.groups[3].request).toMatchObject({state: 'closed', closeReason: 'manual'})
    expect(journey.counts).toEqual({requests: 3, activeRequests: 2, activities: 4, comments: 2})
    expect(journey.filters).toEqual({media: [], since: null, requestId: null})
  })

  it('pages by activity, newest first: each page the next older ones in their groups, the counts the whole journey’s', async () => {
    const s = await story(world())
    const first = await customerJourney(world().session, s.ada.id, {}, {limit: 2})
    expect(shape(first)).toEqual([
      ['Empty', []],
      ['Router', ['email']],
      [null, ['chat']],
    ])
    expect(first).toMatchObject({shown: 2, counts: {requests: 3, activities: 4, comments: 2}})
    expect(first.next).toEqual(expect.any(String))
    const second = await customerJourney(world().session, s.ada.id, {}, {limit: 2, cursor: first.next})
    expect(shape(second)).toEqual([
      ['Router', ['voice']],
      ['Billing', ['web']],
    ])
    expect(second.groups[0].activities[0].comments).toHaveLength(2)
    expect(second).toMatchObject({shown: 2, next: null})
    const all = await customerJourney(world().session, s.ada.id, {}, {all: true, limit: 1})
    expect(all).toMatchObject({shown: 4, next: null})
    expect(all.groups).toHaveLength(4)
    expect((await customerJourney(world().session, s.ada.id)).next).toBeNull()
    for (const paging of [{cursor: 'not-a-cursor'}, {limit: 0}]) {
      await expect(customerJourney(world().session, s.ada.id, {}, paging)).rejects.toBeInstanceOf(UsageError)
    }
  })

  it('reads whole only what its page shows: the requests, the page’s activities and the comments on them', async () => {
    const s = await story(world())
    const cursor = (await customerJourney(world().session, s.ada.id, {}, {limit: 2})).next
    const store = world().session.store
    const asked: string[] = []
    const getMany = vi.spyOn(store, 'getMany')
    const find = vi.spyOn(store, 'find').mockRejectedValue(new Error('the journey read objects whole by find'))
    try {
      const second = await customerJourney(world().session, s.ada.id, {}, {limit: 1, cursor})
      expect(second).toMatchObject({shown: 1, counts: {activities: 4, comments: 2}})
      expect(shape(second)).toEqual([['Router', ['voice']]])
      asked.push(...getMany.mock.calls.flatMap(([ids]) => ids))
    } finally {
      find.mockRestore()
      getMany.mockRestore()
    }
    expect(asked).toEqual(expect.arrayContaining([s.voice.id, ...s.comments.map((comment) => comment.id)]))
    for (const unshown of [s.web, s.email, s.chat]) expect(asked, unshown.mediaType).not.toContain(unshown.id)
  })

  it('filters by media type, keeping only the groups with matching activities', async () => {
    const s = await story(world())
    const journey = await customerJourney(world().session, s.ada.id, {media: ['VOICE', 'web']})
    expect(shape(journey)).toEqual([
      ['Router', ['voice']],
      ['Billing', ['web']],
    ])
    expect(journey.filters.media).toEqual(['voice', 'web'])
    await expect(customerJourney(world().session, s.ada.id, {media: ['fax']})).rejects.toBeInstanceOf(UsageError)
  })

  it('filters by time: activities since an instant or a span back from now, and requests that changed since', async () => {
    const s = await story(world())
    const sinceDate = await customerJourney(world().session, s.ada.id, {since: '2026-03-02T12:00:00Z'})
    expect(shape(sinceDate)).toEqual([
      ['Empty', []],
      ['Router', ['email']],
    ])
    const sinceSpan = await customerJourney(world().session, s.ada.id, {since: '3d'})
    expect(sinceSpan.filters.since).toBe('2026-03-02T09:00:00.000Z')
    expect(shape(sinceSpan)).toEqual([
      ['Empty', []],
      ['Router', ['email']],
      [null, ['chat']],
    ])
    await expect(customerJourney(world().session, s.ada.id, {since: 'last tuesday'})).rejects.toBeInstanceOf(UsageError)
  })

  it('narrows to one request of the customer, and refuses a request of another customer', async () => {
    const s = await story(world())
    expect(shape(await customerJourney(world().session, s.ada.id, {requestId: s.billing.id}))).toEqual([['Billing', ['web']]])
    await expect(customerJourney(world().session, s.ada.id, {requestId: s.bobs.id})).rejects.toBeInstanceOf(NotFoundError)
  })

  it('finds the customer by an exact email as well as by id', async () => {
    const s = await story(world())
    expect((await customerJourney(world().session, 'ADA@example.com')).customer.id).toBe(s.ada.id)
    await expect(customerJourney(world().session, 'nobody@example.com')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('shows a moved activity under its new request, with the system comment', async () => {
    const s = await story(world())
    await moveActivity(world().session, s.chat.id, {toCustomerId: s.ada.id, toRequestId: s.router.id})
    const journey = await customerJourney(world().session, s.ada.id)
    // The move's system comment is the newest event: the router group comes first now.
    expect(shape(journey)).toEqual([
      ['Router', ['email', 'chat', 'voice']],
      ['Empty', []],
      ['Billing', ['web']],
    ])
    expect(journey.groups[0].activities[1].comments[0]).toMatchObject({tags: ['system'], data: {Context_DisplayName: 'ctx (system)'}})
  })
})
