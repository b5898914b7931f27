// The agent desk driven as an agent would, in an 80x24 terminal (tmux): a screen pop of a number
// written another way, an unknown email, filing, commenting, moving, closing, Esc and Ctrl-C on
// every screen — each checked on the screen, by the exit code and in the store.
import {afterEach, beforeEach, expect, it} from 'vitest'
import type {ContextObject} from '../../src/core/model.js'
import {type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore} from '../helpers/store.js'
import {describeTerminal, openTerminal, type Terminal} from '../helpers/terminal.js'

let box: Sandbox
let terminals: Terminal[] = []
let ada: ContextObject

beforeEach(async () => {
  box = sandbox('ctx-desk-')
  ada = (await box.run(['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--phone', '+44 20 7946 0000', '--email', 'ada@example.com', '--json'])).json
  const earlier = await box.run(['activities', 'add', '--media', 'chat', '--customer', ada.id, '--notes', 'Asked about the engine', '--json'])
  expect(earlier.code).toBe(0)
})

afterEach(async () => {
  for (const terminal of terminals) terminal.close()
  terminals = []
  await box.cleanup()
})

function desk(...args: string[]): Terminal {
  const terminal = openTerminal('desk-i17', ['desk', ...args], {...box.env, CTX_STORE: box.storePath}, box.dir)
  terminals.push(terminal)
  return terminal
}

const ofType = (objects: ContextObject[], type: string) => objects.filter((object) => object.type === type)

it('is a usage error off a terminal, naming the one-shot commands (exit 2)', async () => {
  const result = await box.run(['desk', '--phone', '+44 20 7946 0000'])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('ctx activities add')
  expect(result.stderr).toContain('ctx journey')
  expect(ofType(await readStore(box.storePath), 'activity')).toHaveLength(1)
})

describeTerminal('ctx desk in a terminal', () => {
  it('pops a known number written another way, then files the call under a new request with a comment, without an id typed', async () => {
    const term = desk('--phone', '+442079460000', '--media', 'voice')
    const pop = await term.waitFor('Recorded this voice for Ada Lovelace, matched by phone')
    expect(pop).toContain('Asked about the engine')
    expect(pop).toMatch(/▶ ● VOICE  just now · not filed/)
    await term.choose('File this voice under a request')
    await term.choose('A new request')
    await term.waitFor('title:')
    term.type('Engine will not start')
    term.keys('Enter')
    await term.waitFor('Description')
    term.keys('Enter')
    await term.waitFor('Filed the voice under the request "Engine will not start"')
    await term.choose('Comment…')
    await term.choose('This voice')
    await term.waitFor(/^\? Comment on the \w+:/m)
    term.type('Told her to check the fuel')
    term.keys('Enter')
    await term.waitFor('Commented on the activity.')
    term.keys('Escape')
    const home = await term.waitFor('Open customers')
    expect(home).toMatch(/Open customers\n❯ Ada Lovelace · .* · 1 active request$/m)
    await term.choose('Leave the desk')
    expect(await term.exitCode()).toBe(0)
    expect(term.history()).toContain('ctx desk: 1 activity recorded, 1 request opened, 1 comment, 1 activity filed or moved.')

    const stored = await readStore(box.storePath)
    expect(ofType(stored, 'customer')).toHaveLength(1)
    const [request] = ofType(stored, 'request')
    expect(request).toMatchObject({customerId: ada.id, state: 'active', data: {Context_Title: 'Engine will not start'}})
    const call = ofType(stored, 'activity').find((activity) => activity.mediaType === 'voice')!
    expect(call).toMatchObject({customerId: ada.id, parentId: request.id, data: {Context_POD_Source_Phone: '+442079460000'}})
    const comments = ofType(stored, 'comment').filter((comment) => comment.parentId === call.id)
    expect(comments.map((comment) => comment.data.Context_Comment)).toContain('Told her to check the fuel')
    expect(comments.some((comment) => comment.tags?.includes('system'))).toBe(true)
  })

  it('creates an unknown email’s customer (edited) as the activity’s customer; files, moves and closes', async () => {
    const term = desk('--email', 'grace@example.com', '--name', 'Grace Hopper')
    const unknown = await term.waitFor('No customer has this address')
    expect(unknown).toContain('Email: grace@example.com')
    expect(unknown).toContain('Name:  Grace Hopper')
    await term.choose('A new customer: check and edit')
    await term.waitFor(/Home Email\s+grace@example.com/i)
    await term.choose('Last Name')
    await term.waitFor('Last Name:')
    term.keys('C-u')
    term.type('Hopper-Murray')
    term.keys('Enter')
    await term.waitFor('Hopper-Murray')
    await term.choose('Save the new customer')
    await term.waitFor('Recorded this email for Grace Hopper-Murray')

    await term.choose('Add a request…')
    await term.waitFor('title:')
    term.type('Compiler bug')
    term.keys('Enter')
    await term.waitFor('Description')
    term.keys('Enter')
    await term.waitFor('Opened the request "Compiler bug"')
    await term.choose('File this email under a request')
    await term.choose('Compiler bug · active')
    await term.waitFor('Filed the email under the request "Compiler bug"')

    await term.choose('Move an activity…')
    await term.choose('EMAIL')
    await term.waitFor('Move it to which customer?')
    term.type('Lovelace')
    await term.waitFor('Ada Lovelace · ada@example.com')
    await term.choose('Ada Lovelace')
    await term.choose('No request')
    await term.waitFor('Move the email')
    term.keys('Enter')
    await term.waitFor('Moved the email to Ada Lovelace, no request')

    await term.choose('Close a request…')
    await term.choose('Compiler bug')
    await term.waitFor('Close the request "Compiler bug"?')
    term.type('y')
    term.keys('Enter')
    await term.waitFor('Closed the request "Compiler bug"')
    term.keys('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(term.history()).toContain(
      'ctx desk: interrupted; 1 activity recorded, 1 customer created, 1 request opened, 2 activities filed or moved, 1 request closed.',
    )

    const stored = await readStore(box.storePath)
    const grace = ofType(stored, 'customer').find((customer) => customer.id !== ada.id)!
    expect(grace.data).toEqual({Context_First_Name: 'Grace', Context_Last_Name: 'Hopper-Murray', Context_Home_Email: 'grace@example.com'})
    const email = ofType(stored, 'activity').find((activity) => activity.mediaType === 'email')!
    expect(email.customerId).toBe(ada.id)
    expect(email.parentId).toBeUndefined()
    expect(email.data).toMatchObject({Context_POD_Source_Email: 'grace@example.com', Context_POD_Source_Cust_Name: 'Grace Hopper'})
    expect(ofType(stored, 'request')).toEqual([expect.objectContaining({customerId: grace.id, state: 'closed', closeReason: 'manual'})])
    expect(ofType(stored, 'comment').filter((comment) => comment.parentId === email.id)).toHaveLength(2)
  })

  it('attaches an unknown caller to an existing customer found by search, with no new customer; Esc goes back a screen', async () => {
    const term = desk('--phone', '+1 555 0100 999', '--name', 'A. Lovelace')
    await term.waitFor('No customer has this number')
    await term.choose('An existing customer: find them')
    await term.waitFor('Who is it? Type a name')
    term.type('ada@example.com')
    await term.waitFor('Ada Lovelace · ada@example.com')
    await term.choose('Ada Lovelace')
    await term.waitFor('Recorded this voice for Ada Lovelace.')
    await term.choose('Open an activity…')
    await term.choose('CHAT')
    await term.waitFor('Asked about the engine')
    term.keys('Escape')
    await term.waitFor('Ada Lovelace: what now?')
    term.keys('Escape')
    await term.waitFor('Open customers')
    term.keys('Escape')
    expect(await term.exitCode()).toBe(0)
    expect(term.history()).toContain('ctx desk: 1 activity recorded.')
    const stored = await readStore(box.storePath)
    expect(ofType(stored, 'customer')).toHaveLength(1)
    const call = ofType(stored, 'activity').find((activity) => activity.mediaType === 'voice')!
    expect(call).toMatchObject({customerId: ada.id, data: {Context_POD_Source_Phone: '+1 555 0100 999', Context_POD_Source_Cust_Name: 'A. Lovelace'}})
  })

  it('keeps a customer open across desk sessions until the call is filed and its request closed', async () => {
    const first = desk('--phone', '+44 (0)20 7946 0000')
    await first.waitFor('Recorded this voice for Ada Lovelace')
    first.keys('C-c')
    expect(await first.exitCode()).toBe(130)

    const second = desk()
    const home = await second.waitFor('Open customers')
    expect(home).toMatch(/Open customers\n.*Ada Lovelace .* · 1 unfiled/)
    await second.choose('Ada Lovelace')
    await second.choose('Done: take off the open customers')
    await second.waitFor('Ada Lovelace is no longer an open customer.')
    second.keys('Escape')
    const after = await second.waitFor('Recent customers')
    expect(after).toContain('Open customers: none')
    expect(after).toMatch(/Recent customers\n.*Ada Lovelace/)
    second.keys('Escape')
    expect(await second.exitCode()).toBe(0)
    expect(second.history()).toContain('ctx desk: nothing recorded.')
  })

  // Ctrl-C on each screen: exit 130, the line, a valid store, and nothing of the unfinished step.
  const screens: {name: string; args: string[]; reach: (term: Terminal) => Promise<void>; recorded: string; activities: number}[] = [
    {name: 'customers (search)', args: [], reach: async (term) => void (await term.waitFor('Customers')), recorded: 'nothing recorded', activities: 1},
    {
      name: 'customers, while typing a search',
      args: [],
      reach: async (term) => {
        await term.waitFor('Customers')
        term.type('Lovel')
      },
      recorded: 'nothing recorded',
      activities: 1,
    },
    {name: 'unknown caller', args: ['--phone', '+1 555 0100 999'], reach: async (term) => void (await term.waitFor('Who is it?')), recorded: 'nothing recorded', activities: 1},
    {
      name: 'new customer form, in the middle of a field',
      args: ['--phone', '+1 555 0100 999'],
      reach: async (term) => {
        await term.choose('A new customer: check and edit')
        await term.choose('First Name')
        await term.waitFor('First Name:')
        term.type('Half')
      },
      recorded: 'nothing recorded',
      activities: 1,
    },
    {name: 'customer', args: ['--email', 'ADA@example.com'], reach: async (term) => void (await term.waitFor('what now?')), recorded: '1 activity recorded', activities: 2},
    {
      name: 'new request title',
      args: ['--email', 'ada@example.com'],
      reach: async (term) => {
        await term.choose('Add a request…')
        await term.waitFor('title:')
        term.type('Half a title')
      },
      recorded: '1 activity recorded',
      activities: 2,
    },
    {
      name: 'comment text',
      args: ['--email', 'ada@example.com'],
      reach: async (term) => {
        await term.choose('Comment…')
        await term.choose('This email')
        await term.waitFor(/^\? Comment on the \w+:/m)
        term.type('half a comment')
      },
      recorded: '1 activity recorded',
      activities: 2,
    },
    {
      name: 'activity',
      args: ['--email', 'ada@example.com'],
      reach: async (term) => {
        await term.choose('Open an activity…')
        await term.choose('CHAT')
        await term.waitFor('Activity: what now?')
      },
      recorded: '1 activity recorded',
      activities: 2,
    },
    {
      name: 'move: the customer search',
      args: ['--email', 'ada@example.com'],
      reach: async (term) => {
        await term.choose('Move an activity…')
        await term.choose('CHAT')
        await term.waitFor('Move it to which customer?')
      },
      recorded: '1 activity recorded',
      activities: 2,
    },
    {
      name: 'whole journey',
      args: ['--email', 'ada@example.com'],
      reach: async (term) => {
        await term.choose('Whole journey')
        await term.waitFor('scroll back to read it')
      },
      recorded: '1 activity recorded',
      activities: 2,
    },
  ]
  for (const screen of screens) {
    it(`leaves on Ctrl-C on the ${screen.name} screen: exit 130, what was recorded, a valid store`, async () => {
      const term = desk(...screen.args)
      await screen.reach(term)
      term.keys('C-c')
      expect(await term.exitCode()).toBe(130)
      expect(term.history()).toContain(`ctx desk: interrupted; ${screen.recorded}.`)
      const info = await box.run(['store', 'info', '--json'])
      expect(info.code).toBe(0)
      const stored = await readStore(box.storePath)
      expect(ofType(stored, 'customer')).toHaveLength(1)
      expect(ofType(stored, 'activity')).toHaveLength(screen.activities)
      expect(ofType(stored, 'request')).toHaveLength(0)
      expect(ofType(stored, 'comment')).toHaveLength(0)
    })
  }
})
