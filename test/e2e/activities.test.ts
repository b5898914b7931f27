// End to end: activities, comments and moves through the built CLI, every rule with its exit code
// and what the store holds afterwards.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type CliResult, expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

describe('ctx activities', () => {
  let box: Sandbox
  let ada: string
  let bob: string
  let router: string
  let closed: string
  let inClosed: string

  // Every run reads CTX_NOW: a fixed day unless the test names another moment.
  const DAY = '2026-03-03T00:00:00Z'
  const run = (args: string[], code = 0, now = DAY) => expectRun(box, args, code, {now})
  const json = async (args: string[], code = 0, now = DAY): Promise<any> => (await run([...args, '--json'], code, now)).json
  const storeCounts = async () => (await json(['store', 'info'])).counts

  beforeAll(async () => {
    box = sandbox()
    const at = '2026-03-01T09:00:00Z'
    ada = (await json(['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com'], 0, at)).id
    bob = (await json(['customers', 'create', '--first-name', 'Bob', '--last-name', 'Babbage', '--phone', '+44 20 7946 0000'], 0, at)).id
    router = (await json(['requests', 'open', '--customer', ada, '--title', 'Router'], 0, at)).id
    closed = (await json(['requests', 'open', '--customer', ada, '--title', 'Old'], 0, at)).id
    inClosed = (await json(['activities', 'add', '--media', 'web', '--request', closed], 0, at)).activity.id
    await json(['requests', 'close', closed], 0, at)
  })
  afterAll(() => box.cleanup())

  it('adds an activity in a request with its tags and notes, and counts it as an update of the request', async () => {
    const added = await json(['activities', 'add', '--media', 'voice', '--request', router, '--tag', 'vip', '--tag', 'router', '--notes', 'Resets nightly'], 0, '2026-03-02T10:00:00Z')
    expect(added.customer).toEqual({id: ada, displayName: 'Ada Lovelace', identifiedBy: 'request'})
    expect(added.activity).toMatchObject({customerId: ada, parentId: router, mediaType: 'voice', tags: ['vip', 'router'], data: {Context_Notes: 'Resets nightly'}})
    expect((await json(['requests', 'show', router])).lastUpdated).toBe('2026-03-02T10:00:00.000Z')
    expect(await json(['activities', 'show', added.activity.id])).toEqual(added.activity)
  })

  it('refuses an activity naming another customer than its request’s (rule 1, exit 5)', async () => {
    const before = await storeCounts()
    const refused = await json(['activities', 'add', '--media', 'voice', '--customer', bob, '--request', router], 5)
    expect(refused.error.code).toBe('INVALID_DATA')
    expect(await storeCounts()).toEqual(before)
  })

  it('refuses to add to, edit under, comment under, or move out of or into a closed request (rule 2, exit 4)', async () => {
    const before = await storeCounts()
    const loose = (await json(['activities', 'add', '--media', 'chat', '--customer', ada])).activity.id
    const refusals: CliResult[] = [
      await run(['activities', 'add', '--media', 'voice', '--request', closed], 4),
      await run(['activities', 'update', inClosed, '--notes', 'edited'], 4),
      await run(['activities', 'comment', inClosed, '--text', 'late'], 4),
      await run(['activities', 'comment', closed, '--text', 'late'], 4),
      await run(['activities', 'move', inClosed, '--to-customer', bob], 4),
      await run(['activities', 'move', loose, '--to-customer', ada, '--to-request', closed], 4),
    ]
    for (const refusal of refusals) expect(refusal.stderr).toMatch(/is closed/)
    expect(await storeCounts()).toEqual({...before, activity: before.activity + 1})
    expect((await json(['activities', 'show', inClosed])).data).toEqual({})
  })

  it('refuses an unknown media type as a usage error (exit 2)', async () => {
    const refused = await json(['activities', 'add', '--media', 'fax', '--customer', ada], 2)
    expect(refused.error.message).toMatch(/unknown media type "fax"/)
    await run(['activities', 'list', '--media', 'voice,fax'], 2)
  })

  it('refuses an activity over 256 KiB of JSON (exit 5) and stores nothing', async () => {
    const before = await storeCounts()
    const result = await box.run(['activities', 'add', '--media', 'chat', '--customer', ada, '--notes', '-', '--json'], {input: 'x'.repeat(300 * 1024), now: DAY})
    expect(result.code).toBe(5)
    expect(result.json.error.message).toMatch(/256 KiB/)
    expect(await storeCounts()).toEqual(before)
  })

  it('identifies the customer from the source email, from the source phone, or creates one, and says which', async () => {
    const byEmail = await run(['activities', 'add', '--media', 'email', '--field', 'Context_POD_Source_Email=ada@example.com'])
    expect(byEmail.stdout).toContain('for Ada Lovelace, matched by email ada@example.com')
    const byPhone = await json(['activities', 'add', '--media', 'voice', '--field', 'Context_POD_Source_Phone=+44 20 7946 0000'])
    expect(byPhone.customer).toMatchObject({id: bob, identifiedBy: 'phone', matchedValue: '+44 20 7946 0000'})
    expect(byPhone.activity.customerId).toBe(bob)

    const created = await run([
      'activities', 'add', '--media', 'social',
      '--field', 'Context_POD_Source_Cust_Name=Grace Brewster Hopper',
      '--field', 'Context_POD_Source_Email=grace@example.com',
      '--field', 'Context_POD_Source_Phone=+15550100',
    ])
    expect(created.stdout).toMatch(/for Grace Brewster Hopper, a new customer made from the source fields/)
    const grace = (await json(['customers', 'search', 'Context_Home_Email:grace@example.com'])).items
    expect(grace).toHaveLength(1)
    expect(grace[0].data).toEqual({
      Context_First_Name: 'Grace Brewster',
      Context_Last_Name: 'Hopper',
      Context_Home_Email: 'grace@example.com',
      Context_Mobile_Phone: '+15550100',
    })
    await run(['activities', 'add', '--media', 'voice', '--notes', 'who?'], 2)
  })

  it('writes immutable comments on activities and requests, recording the operator', async () => {
    const activity = (await json(['activities', 'add', '--media', 'chat', '--request', router])).activity.id
    const comment = await json(['activities', 'comment', activity, '--text', 'Called back'], 0, '2026-03-03T12:00:00Z')
    expect(comment).toMatchObject({type: 'comment', state: 'closed', parentId: activity, data: {Context_Comment: 'Called back', Context_DisplayName: 'tester'}})
    expect((await json(['requests', 'show', router])).lastUpdated).toBe('2026-03-03T12:00:00.000Z')
    expect((await json(['activities', 'comment', router, '--text', 'Escalated'])).parentId).toBe(router)

    const update = await json(['activities', 'update', comment.id, '--notes', 'rewritten'], 4)
    expect(update.error.message).toMatch(/immutable/)
    await run(['activities', 'move', comment.id, '--to-customer', bob], 4)
    await run(['activities', 'comment', activity, '--text', ''], 2)
  })

  it('moves an activity to another customer’s request: both requests updated, a system comment says who, from where, when', async () => {
    const bobs = (await json(['requests', 'open', '--customer', bob, '--title', 'Engine'], 0, '2026-03-04T09:00:00Z')).id
    const activity = (await json(['activities', 'add', '--media', 'voice', '--request', router], 0, '2026-03-04T09:00:00Z')).activity.id
    const moved = await json(['activities', 'move', activity, '--to-customer', bob, '--to-request', bobs], 0, '2026-03-05T12:00:00Z')
    expect(moved).toMatchObject({moved: true, from: {customerId: ada, requestId: router}, to: {customerId: bob, requestId: bobs}})
    expect(moved.comment.data.Context_Comment).toBe(
      `Moved by tester at 2026-03-05T12:00:00.000Z from customer Ada Lovelace (${ada}), request "Router" (${router}) to customer Bob Babbage (${bob}), request "Engine" (${bobs}).`,
    )
    expect(moved.comment.data.Context_DisplayName).toBe('ctx (system)')
    expect(await json(['activities', 'show', activity])).toMatchObject({customerId: bob, parentId: bobs})
    expect((await json(['requests', 'show', router])).lastUpdated).toBe('2026-03-05T12:00:00.000Z')
    expect((await json(['requests', 'show', bobs])).lastUpdated).toBe('2026-03-05T12:00:00.000Z')

    const wrongRequest = await json(['activities', 'move', activity, '--to-customer', ada, '--to-request', bobs], 5)
    expect(wrongRequest.error.code).toBe('INVALID_DATA')
    const out = await run(['activities', 'move', activity, '--to-customer', ada])
    expect(out.stdout).toContain(`to   customer ${ada}, no request`)
  })

  it('lists activities by customer, request, media and tag, paged', async () => {
    const list = await json(['activities', 'list', '--customer', bob, '--media', 'voice'])
    expect(list.next).toBeNull()
    expect(list.items.every((activity: {customerId: string; mediaType: string}) => activity.customerId === bob && activity.mediaType === 'voice')).toBe(true)
    expect((await json(['activities', 'list', '--tag', 'VIP'])).items.map((a: {tags: string[]}) => a.tags)).toEqual([['vip', 'router']])
    const page = await json(['activities', 'list', '--request', router, '--limit', '1'])
    expect(page.items).toHaveLength(1)
    expect(page.next).toEqual(expect.any(String))
  })
})
