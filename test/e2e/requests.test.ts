// End to end: requests as a support engineer uses them, through the built CLI with a fixed clock.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

describe('ctx requests', () => {
  let box: Sandbox
  let ada: string
  // Every run reads CTX_NOW: a fixed day unless the test names another moment.
  const run = (args: string[], code = 0, now = '2026-03-03T00:00:00Z') => expectRun(box, args, code, {now})

  beforeAll(async () => {
    box = sandbox()
    ada = (await run(['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json'], 0, '2026-03-01T09:00:00Z')).json.id
  })
  afterAll(() => box.cleanup())

  it('opens a request with its title and description, shows it, and lists it as active', async () => {
    const opened = await run(['requests', 'open', '--customer', ada, '--title', 'Router keeps dropping', '--description', 'Nightly', '--json'], 0, '2026-03-01T10:00:00Z')
    expect(opened.json).toMatchObject({
      type: 'request',
      customerId: ada,
      state: 'active',
      data: {Context_Title: 'Router keeps dropping', Context_Description: 'Nightly'},
      created: '2026-03-01T10:00:00.000Z',
    })
    const shown = await run(['requests', 'show', opened.json.id, '--json'])
    expect(shown.json).toEqual(opened.json)
    const human = await run(['requests', 'show', opened.json.id], 0, '2026-03-02T10:00:00Z')
    expect(human.stdout).toContain('Router keeps dropping')
    expect(human.stdout).toContain('Timeline: 0 comments, 0 activities')

    const listed = await run(['requests', 'list', '--customer', ada, '--state', 'active', '--json'])
    expect(listed.json).toEqual({items: [opened.json], next: null})
  })

  it('closes a request by hand, then refuses to close or edit it again (exit 4)', async () => {
    const id = (await run(['requests', 'open', '--customer', ada, '--title', 'Billing', '--json'], 0, '2026-03-01T11:00:00Z')).json.id
    const closed = await run(['requests', 'close', id, '--json'], 0, '2026-03-02T08:00:00Z')
    expect(closed.json).toMatchObject({state: 'closed', closedAt: '2026-03-02T08:00:00.000Z', closeReason: 'manual'})
    const again = await run(['requests', 'close', id, '--json'], 4)
    expect(again.json.error).toMatchObject({code: 'CONFLICT', where: id})
    await run(['requests', 'update', id, '--title', 'Renamed'], 4)
    expect((await run(['requests', 'show', id, '--json'])).json).toEqual(closed.json)

    const closedOnly = await run(['requests', 'list', '--customer', ada, '--state', 'closed', '--json'])
    expect(closedOnly.json.items.map((request: {id: string}) => request.id)).toEqual([id])
  })

  it('pages and searches the list: --limit, --cursor, --query', async () => {
    const first = await run(['requests', 'list', '--limit', '1', '--json'])
    expect(first.json.items).toHaveLength(1)
    expect(first.json.next).toEqual(expect.any(String))
    const second = await run(['requests', 'list', '--limit', '1', '--cursor', first.json.next, '--json'])
    expect(second.json.items[0].id).not.toBe(first.json.items[0].id)
    const found = await run(['requests', 'list', '--query', 'Context_Title:router', '--json'])
    expect(found.json.items.map((request: {data: {Context_Title: string}}) => request.data.Context_Title)).toEqual(['Router keeps dropping'])
    await run(['requests', 'list', '--query', 'Context_Title:(', '--json'], 2)
  })

  it('needs a title and an existing customer', async () => {
    const untitled = await run(['requests', 'open', '--customer', ada, '--json'], 2)
    expect(untitled.json.error.message).toMatch(/Title is required/)
    await run(['requests', 'open', '--customer', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '--title', 'x'], 3)
    await run(['requests', 'list', '--state', 'pending'], 2)
  })

  it('shows in `customers recent` which customers have active requests', async () => {
    const recent = await run(['customers', 'recent', '--json'])
    expect(recent.json.items[0]).toMatchObject({customer: {id: ada}, activeRequests: 1})
  })
})
