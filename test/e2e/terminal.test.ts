// ctx in a real terminal (tmux): what a person sees and what the exit code is when they press
// Ctrl-C at a prompt, decline a confirmation, or give a prompt a value it cannot take.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore} from '../helpers/store.js'
import {describeTerminal, openTerminal, type Terminal} from '../helpers/terminal.js'

let box: Sandbox
let terminal: Terminal | undefined

beforeEach(() => {
  box = sandbox()
})

afterEach(async () => {
  terminal?.close()
  terminal = undefined
  await box.cleanup()
})

function open(args: readonly string[], width?: number): Terminal {
  terminal = openTerminal('cli', args, {...box.env, CTX_STORE: box.storePath}, box.dir, width)
  return terminal
}

describeTerminal('a prompt in a terminal', () => {
  it('ends with exit 130 and one quiet line when Ctrl-C is pressed at a prompt', async () => {
    const term = open(['search'])
    await term.waitFor('Search query')
    term.keys('C-c')
    expect(await term.exitCode()).toBe(130)
    const screen = term.screen()
    expect(screen).toContain('Cancelled; nothing was changed.')
    expect(screen).not.toMatch(/unexpected failure|bug in ctx|SIGINT/)
  })

  it('deletes nothing when Ctrl-C is pressed at a confirmation', async () => {
    const created = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])
    const term = open(['customers', 'delete', created.json.id])
    await term.waitFor('Delete Ada')
    term.keys('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(term.screen()).toContain('Cancelled; nothing was changed.')
    expect(await readStore(box.storePath)).toHaveLength(1)
  })

  it('says nothing was changed when a confirmation is declined, and keeps the customer', async () => {
    const created = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])
    const term = open(['customers', 'delete', created.json.id])
    await term.waitFor('Delete Ada')
    term.keys('Enter')
    expect(await term.exitCode()).toBe(2)
    expect(term.screen()).toContain('nothing was changed')
    expect(await readStore(box.storePath)).toHaveLength(1)
  })

  it('asks for a missing customer with a search as you type: nothing that matches no customer can be taken', async () => {
    const created = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json'])
    const term = open(['customers', 'show'])
    await term.waitFor('Customer id, email or phone (type to search)')
    term.type('notauuid')
    await term.waitFor('No customer matches')
    term.keys('Enter')
    for (let left = 'notauuid'.length; left > 0; left--) term.keys('BSpace')
    term.type('lovelace')
    await term.waitFor(/❯ Ada Lovelace/)
    expect(term.screen()).not.toContain('✔')
    term.keys('Enter')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).toContain(created.json.id)
  })

  it('ends with exit 130 when Ctrl-C is pressed at a search as you type, and opens nothing', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const term = open(['requests', 'open', '--title', 'Router'])
    await term.waitFor('Customer id (type to search)')
    term.type('ada')
    await term.waitFor(/❯ Ada/)
    term.keys('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(term.screen()).toContain('Cancelled; nothing was changed.')
    expect((await readStore(box.storePath)).filter((object) => object.type === 'request')).toHaveLength(0)
  })

  it('picks the customer of `requests open` and of `activities add` from a search (by email, by the start of an id)', async () => {
    const ada = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--email', 'ada@example.com', '--json'])).json
    await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--email', 'grace@example.com'])
    let term = open(['requests', 'open', '--title', 'Router'])
    await term.waitFor('Customer id (type to search)')
    term.type('ada@example.com')
    await term.choose('Ada')
    expect(await term.exitCode()).toBe(0)
    term.close()
    const request = (await readStore(box.storePath)).find((object) => object.type === 'request')
    expect(request?.customerId).toBe(ada.id)

    term = open(['activities', 'add', '--media', 'chat', '--notes', 'Hello'])
    await term.waitFor('Customer (type to search)')
    term.type(ada.id.slice(0, 8))
    await term.choose('Ada')
    expect(await term.exitCode()).toBe(0)
    expect((await readStore(box.storePath)).find((object) => object.type === 'activity')?.customerId).toBe(ada.id)
  })

  it('refuses an answer that is not an activity id at the prompt, before taking it', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    const added = (await expectRun(box, ['activities', 'add', '--media', 'voice', '--customer', customer.id, '--json'])).json
    const term = open(['activities', 'show'])
    await term.waitFor('Activity id')
    term.type('notauuid')
    term.keys('Enter')
    await term.waitFor('"notauuid" is not a UUID')
    expect(term.screen()).not.toContain('✔')
    for (let left = 'notauuid'.length; left > 0; left--) term.keys('BSpace')
    term.type(added.activity.id.slice(0, 8))
    term.keys('Enter')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).toContain(added.activity.id)
  })

  it('picks the request of `requests show` from a search of titles', async () => {
    const ada = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    await expectRun(box, ['requests', 'open', '--customer', ada.id, '--title', 'Billing question'])
    const router = (await expectRun(box, ['requests', 'open', '--customer', ada.id, '--title', 'Router drops', '--json'])).json
    const term = open(['requests', 'show'])
    await term.waitFor('Request id (type to search)')
    term.type('router')
    await term.choose('Router drops')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).toContain(router.id)
  })

  it('asks for a required field a new object lacks: an enum from a list, a typed value checked before it is taken', async () => {
    const definitions = {
      fields: [
        {id: 'Tier', dataType: 'string', classification: 'UNENCRYPTED', required: true, enum: [{value: 'bronze'}, {value: 'gold', translations: {en_US: 'Gold'}}, {value: 'old', active: false}]},
        {id: 'Account_Code', dataType: 'string', classification: 'UNENCRYPTED', required: true, pattern: '^[A-Z]{3}-[0-9]{3}$'},
      ],
      fieldsets: [{id: 'accounts', fields: ['Tier', 'Account_Code']}],
    }
    writeFileSync(join(box.dir, 'defs.json'), JSON.stringify(definitions))
    await expectRun(box, ['fields', 'apply', '-f', join(box.dir, 'defs.json')])
    const args = ['customers', 'create', '--first-name', 'Ada', '--fieldset', 'cisco.base.customer', '--fieldset', 'accounts']
    // Off a terminal the missing fields are an invalid-data error, as before.
    await expectRun(box, [...args, '--json'], 5)
    const term = open(args)
    await term.waitFor('Tier')
    const list = await term.waitFor('bronze')
    expect(list).toContain('Gold (gold)')
    expect(list).not.toMatch(/^\s+old$/m)
    await term.choose('Gold')
    await term.waitFor('Account_Code')
    term.type('abc')
    term.keys('Enter')
    await term.waitFor(/must match pattern/)
    expect(term.screen()).not.toMatch(/✔ Account_Code/)
    for (let left = 3; left > 0; left--) term.keys('BSpace')
    term.type('ABC-123')
    term.keys('Enter')
    expect(await term.exitCode()).toBe(0)
    const customer = (await readStore(box.storePath)).find((object) => object.type === 'customer')
    expect(customer?.data).toMatchObject({Context_First_Name: 'Ada', Tier: 'gold', Account_Code: 'ABC-123'})
  })

  it('fits search, customers recent, activities list and requests list into an 80-column terminal, borders whole', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com', '--json'])).json
    const notes = 'The router at the branch office drops every connection each night at two, and a reset only helps until the next night'
    await expectRun(box, ['activities', 'add', '--media', 'voice', '--customer', customer.id, '--notes', notes, '--tag', 'network,escalated'])
    await expectRun(box, ['requests', 'open', '--customer', customer.id, '--title', notes])
    for (const args of [['search', 'lovelace OR router'], ['customers', 'recent'], ['activities', 'list', '--customer', customer.id], ['requests', 'list']]) {
      const term = open(args, 80)
      expect(await term.exitCode()).toBe(0)
      const lines = term.screen().split('\n').filter((line) => /[│┌└├]/.test(line))
      expect(lines.length).toBeGreaterThan(2)
      for (const line of lines) {
        expect(line.trimEnd().length).toBeLessThanOrEqual(80)
        expect(line.trimEnd()).toMatch(/[│┐┘┤]$/)
      }
      term.close()
    }
  })

  it('shows a customer in a 60-column terminal with its id whole, and a list in 40 columns as plain rows', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json'])).json
    let term = open(['customers', 'show', customer.id], 60)
    expect(await term.exitCode()).toBe(0)
    const lines = term.screen().split('\n').filter((line) => /[│┌└├]/.test(line))
    expect(lines.find((line) => line.includes(customer.id))).toMatch(/^│ Id +│ [0-9a-f-]{36} +│$/)
    for (const line of lines) expect(line.trimEnd().length).toBeLessThanOrEqual(60)
    expect(term.screen()).not.toContain('…')
    term.close()
    term = open(['customers', 'list'], 40)
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).not.toMatch(/[│┌└├]/)
    expect(term.screen()).toContain(customer.id)
  })

  it('says what an import had read when Ctrl-C stops it (exit 130), and a re-run with --upsert finishes it once', async () => {
    // Enough rows that the import is still reading seconds after its progress shows, when Ctrl-C comes.
    const rows = Array.from({length: 60_000}, (_, index) => `ext-${index},Name${index}`)
    const file = join(box.dir, 'many.csv')
    writeFileSync(file, `externalId,Context_First_Name\n${rows.join('\n')}\n`)
    const term = open(['import', file, '--type', 'customer'])
    await term.waitFor(/Importing .*rows/)
    term.keys('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(term.screen()).toMatch(/Interrupted after [\d,]+ rows? read\. .*--upsert/s)
    const finished = await expectRun(box, ['import', file, '--type', 'customer', '--upsert', '--json'])
    expect(finished.json.rejected).toBe(0)
    expect(await readStore(box.storePath)).toHaveLength(60_000)
    // 60k customers imported twice, each with a data key of its own sealing its values (README,
    // "Customer data at rest"): under a full suite's load, more than the default minute.
  }, 180_000)

  it('offers the media types as a list when --media is missing on a terminal', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    const term = open(['activities', 'add', '--customer', customer.id, '--notes', 'Hi'])
    await term.waitFor('Media type')
    expect(term.screen()).toContain('chat')
    term.keys('Down')
    term.keys('Enter')
    expect(await term.exitCode()).toBe(0)
    expect((await readStore(box.storePath)).find((object) => object.type === 'activity')?.mediaType).toBe('email')
  })
})
