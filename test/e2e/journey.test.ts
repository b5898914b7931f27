// End to end: a customer's story from first call to closed request, read back with `ctx journey`.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

describe('ctx journey', () => {
  let box: Sandbox
  const ids: Record<string, string> = {}
  const NOW = '2026-03-05T09:00:00Z'
  const run = (args: string[], code = 0, now = NOW, env: NodeJS.ProcessEnv = {}) => expectRun(box, args, code, {now, env: {TZ: 'UTC', ...env}})
  const json = async (args: string[], now = NOW): Promise<any> => (await run([...args, '--json'], 0, now)).json

  beforeAll(async () => {
    box = sandbox()
    ids.ada = (await json(['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com'], '2026-02-01T08:00:00Z')).id
    ids.billing = (await json(['requests', 'open', '--customer', ids.ada, '--title', 'Billing question'], '2026-02-01T09:00:00Z')).id
    ids.web = (await json(['activities', 'add', '--media', 'web', '--request', ids.billing, '--notes', 'Double charge'], '2026-02-01T09:05:00Z')).activity.id
    await json(['requests', 'close', ids.billing], '2026-02-03T09:00:00Z')
    ids.router = (await json(['requests', 'open', '--customer', ids.ada, '--title', 'Router keeps dropping'], '2026-03-01T09:00:00Z')).id
    ids.voice = (
      await json(
        ['activities', 'add', '--media', 'voice', '--request', ids.router, '--tag', 'vip', '--notes', 'Resets nightly', '--field', 'Context_POD_Activity_Link=https://rec.example.com/calls/1'],
        '2026-03-01T09:10:00Z',
      )
    ).activity.id
    ids.chat = (await json(['activities', 'add', '--media', 'chat', '--field', 'Context_POD_Source_Email=ada@example.com', '--notes', 'Lights blink'], '2026-03-02T09:00:00Z')).activity.id
    await json(['activities', 'comment', ids.voice, '--text', 'Called back; firmware updated'], '2026-03-03T09:00:00Z')
    await json(['activities', 'move', ids.chat, '--to-customer', ids.ada, '--to-request', ids.router], '2026-03-04T09:00:00Z')
  })
  afterAll(() => box.cleanup())

  it('returns the story as groups under requests, newest first, with media, tags, notes and comments (--json)', async () => {
    const journey = await json(['journey', ids.ada])
    expect(journey.customer.id).toBe(ids.ada)
    expect(journey.counts).toEqual({requests: 2, activeRequests: 1, activities: 3, comments: 2})
    expect(journey.groups.map((group: any) => [group.request.data.Context_Title, group.request.state, group.activities.map((entry: any) => entry.activity.id)])).toEqual([
      ['Router keeps dropping', 'active', [ids.chat, ids.voice]],
      ['Billing question', 'closed', [ids.web]],
    ])
    const [chat, voice] = journey.groups[0].activities
    expect(voice.activity).toMatchObject({mediaType: 'voice', tags: ['vip'], data: {Context_Notes: 'Resets nightly'}})
    expect(voice.comments.map((comment: any) => comment.data.Context_Comment)).toEqual(['Called back; firmware updated'])
    expect(chat.comments[0].data).toMatchObject({Context_DisplayName: 'ctx (system)'})
    expect(chat.comments[0].data.Context_Comment).toContain(`Moved by tester at 2026-03-04T09:00:00.000Z within customer Ada Lovelace (${ids.ada}): from no request to request "Router keeps dropping"`)
  })

  it('filters by --media, --since and --request', async () => {
    const voiceOnly = await json(['journey', ids.ada, '--media', 'voice'])
    expect(voiceOnly.groups.map((group: any) => group.activities.map((entry: any) => entry.activity.mediaType))).toEqual([['voice']])
    const recent = await json(['journey', ids.ada, '--since', '2026-03-02'])
    expect(recent.groups.map((group: any) => group.activities.map((entry: any) => entry.activity.id))).toEqual([[ids.chat]])
    const lastWeeks = await json(['journey', ids.ada, '--since', '5w'])
    expect(lastWeeks.counts.activities).toBe(3)
    const billing = await json(['journey', ids.ada, '--request', ids.billing])
    expect(billing.groups).toHaveLength(1)
    expect(billing.groups[0].request.id).toBe(ids.billing)
    await run(['journey', ids.ada, '--since', 'someday'], 2)
    await run(['journey', ids.ada, '--media', 'pigeon'], 2)
  })

  it('reads as a timeline in a pipe: no colour, relative and absolute times, links as plain text', async () => {
    const {stdout} = await run(['journey', 'ada@example.com'])
    expect(stdout).not.toMatch(/\u001B/)
    const lines = stdout.split('\n')
    const at = (text: string) => lines.findIndex((line) => line.includes(text))
    expect(lines[0]).toBe('Ada Lovelace')
    expect(at('Router keeps dropping  ACTIVE')).toBeGreaterThan(0)
    expect(at('CHAT   3 days ago (2026-03-02 09:00 UTC)')).toBeGreaterThan(at('Router keeps dropping'))
    expect(at('VOICE  4 days ago (2026-03-01 09:10 UTC)  #vip')).toBeGreaterThan(at('CHAT'))
    expect(at('Billing question  CLOSED (manual)')).toBeGreaterThan(at('VOICE'))
    expect(stdout).toContain('Activity Link: https://rec.example.com/calls/1')
    expect(stdout).toContain('Called back; firmware updated')
    expect(stdout).toContain('✎ ctx (system)')
  })

  it('colours media types and makes links clickable on a terminal that supports them', async () => {
    const {stdout} = await run(['journey', ids.ada], 0, NOW, {NO_COLOR: '', FORCE_COLOR: '1', FORCE_HYPERLINK: '1'})
    expect(stdout).toContain('\u001B[32mVOICE')
    expect(stdout).toContain('\u001B[36mCHAT')
    expect(stdout).toContain('\u001B]8;;https://rec.example.com/calls/1\u0007https://rec.example.com/calls/1\u001B]8;;\u0007')
  })

  it('pages the newest activities first: --limit, --cursor from next, --all', async () => {
    const first = await json(['journey', ids.ada, '--limit', '2'])
    expect(first.groups.flatMap((group: any) => group.activities.map((entry: any) => entry.activity.id))).toEqual([ids.chat, ids.voice])
    expect(first).toMatchObject({shown: 2, counts: {activities: 3}, next: expect.any(String)})
    const second = await json(['journey', ids.ada, '--limit', '2', '--cursor', first.next])
    expect(second.groups.flatMap((group: any) => group.activities.map((entry: any) => entry.activity.id))).toEqual([ids.web])
    expect(second.next).toBeNull()
    expect(await json(['journey', ids.ada, '--all'])).toMatchObject({shown: 3, next: null})
    const text = await run(['journey', ids.ada, '--limit', '1'])
    expect(text.stdout).toContain(`1 of 3 activities shown. Older ones: --cursor `)
    expect((await run(['journey', ids.ada])).stdout).not.toContain('Older ones:')
    await run(['journey', ids.ada, '--all', '--limit', '2'], 2)
    await run(['journey', ids.ada, '--cursor', 'nonsense'], 2)
  })

  it('answers not found for a customer that does not exist', async () => {
    await run(['journey', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b'], 3)
    await run(['journey', 'nobody@example.com'], 3)
  })
})

describe('a caller whose number is written another way is the same customer everywhere', () => {
  let box: Sandbox
  afterAll(() => box.cleanup())

  it('finds the journey and records the activity for +442079460000 on the customer stored as +44 20 7946 0000, with no duplicate', async () => {
    box = sandbox()
    const babbage = (await expectRun(box, ['customers', 'create', '--last-name', 'Babbage', '--phone', '+44 20 7946 0000', '--json'])).json
    const added = (await expectRun(box, ['activities', 'add', '--media', 'voice', '--field', 'Context_POD_Source_Phone=0044 (0)20 7946 0000', '--json'])).json
    expect(added.customer).toMatchObject({id: babbage.id, identifiedBy: 'phone'})
    const journey = (await expectRun(box, ['journey', '+442079460000', '--json'])).json
    expect(journey.customer.id).toBe(babbage.id)
    expect(journey.counts.activities).toBe(1)
    expect((await expectRun(box, ['search', 'type:customer', '--json'])).json.items).toHaveLength(1)
    await expectRun(box, ['journey', '020 7946 0000'], 3)
  })
})
