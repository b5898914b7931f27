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

  it('refuses a value that is not an id at the prompt, before accepting it', async () => {
    const created = await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])
    const term = open(['customers', 'show'])
    await term.waitFor('Customer')
    term.type('notauuid')
    term.keys('Enter')
    await term.waitFor(/not a customer id|no customer|matches no/i)
    expect(term.screen()).not.toContain('✔')
    term.keys('C-u')
    term.type(created.json.id)
    term.keys('Enter')
    expect(await term.exitCode()).toBe(0)
    expect(term.screen()).toContain('Ada')
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

  it('says what an import had read when Ctrl-C stops it (exit 130), and a re-run with --upsert finishes it once', async () => {
    const rows = Array.from({length: 150_000}, (_, index) => `ext-${index},Name${index}`)
    const file = join(box.dir, 'many.csv')
    writeFileSync(file, `externalId,Context_First_Name\n${rows.join('\n')}\n`)
    const term = open(['import', file, '--type', 'customer'])
    await term.waitFor(/Importing .*rows/)
    term.keys('C-c')
    expect(await term.exitCode()).toBe(130)
    expect(term.screen()).toMatch(/Interrupted after [\d,]+ rows? read\. .*--upsert/s)
    const finished = await expectRun(box, ['import', file, '--type', 'customer', '--upsert', '--json'])
    expect(finished.json.rejected).toBe(0)
    expect(await readStore(box.storePath)).toHaveLength(150_000)
    // 150k customers imported twice, each with a data key of its own sealing its values (README,
    // "Customer data at rest"): on PostgreSQL under a full suite's load, more than the default minute.
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
