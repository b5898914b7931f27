// Small things a careful user notices: usage errors with a hint instead of oclif's raw message,
// lists that answer {items, next}, counts in words that agree with their number.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {readFileSync} from 'node:fs'
import {expectRun, ROOT, type Sandbox, sandbox} from '../helpers/cli.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

describe('the conventions of a careful CLI', () => {
  it('answers `ctx seed` without --customers with a usage error and a hint (exit 2)', async () => {
    const result = await expectRun(box, ['seed', '--json'], 2)
    expect(result.json.error).toMatchObject({code: 'USAGE', hint: expect.stringContaining('--customers 100')})
  })

  it('prints customers recent --json as a list: {items, next}', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const recent = await expectRun(box, ['customers', 'recent', '--json'])
    expect(Object.keys(recent.json)).toEqual(['items', 'next'])
    expect(recent.json.next).toBeNull()
  })

  it('says what went with a deleted customer, in words that agree with the counts', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    const request = (await expectRun(box, ['requests', 'open', '--customer', customer.id, '--title', 'Help', '--json'])).json
    await expectRun(box, ['activities', 'add', '--media', 'voice', '--customer', customer.id, '--request', request.id])
    const chat = (await expectRun(box, ['activities', 'add', '--media', 'chat', '--customer', customer.id, '--request', request.id, '--json'])).json
    await expectRun(box, ['activities', 'comment', chat.activity.id, '--text', 'Called back'])
    await expectRun(box, ['activities', 'comment', request.id, '--text', 'Escalated'])
    const deleted = await expectRun(box, ['customers', 'delete', customer.id, '--force'])
    expect(deleted.stdout.trim()).toBe(`Deleted customer ${customer.id} with 1 request, 2 activities, 2 comments.`)
    const alone = (await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--json'])).json
    expect((await expectRun(box, ['customers', 'delete', alone.id, '--force'])).stdout.trim()).toBe(`Deleted customer ${alone.id}.`)
  })

  it('says "Copied 1 object", not "1 objects"', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const target = `${box.dir}/copy.json`
    const result = await expectRun(box, ['migrate', '--from', box.storePath, '--to', target])
    expect(result.stdout).toContain('Copied 1 object from')
  })
})

describe('lists and searches', () => {
  async function seedTwo(): Promise<void> {
    const ada = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    await expectRun(box, ['customers', 'create', '--first-name', 'Charles', '--json'])
    await expectRun(box, ['activities', 'add', '--media', 'chat', '--customer', ada.id, '--notes', 'Hello'])
  }

  it('prints plain rows in a pipe: no borders, one line per object, a header first', async () => {
    await seedTwo()
    const result = await expectRun(box, ['search', 'type:customer'])
    expect(result.stdout).not.toMatch(/[│┌└─]/)
    const lines = result.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^Id\s+Type\s+Name \/ title\s+State\s+Media\s+Last updated$/)
    expect(lines).toHaveLength(3)
  })

  it('takes --columns, --csv and --sort, and shows an activity’s media type under Media, not State', async () => {
    await seedTwo()
    const csv = await expectRun(box, ['search', 'type:activity OR type:customer', '--csv', '--columns', 'type,state,media', '--sort', 'type'])
    expect(csv.stdout.trim().split('\n')).toEqual(['Type,State,Media', 'activity,,chat', 'customer,,', 'customer,,'])
    const sorted = await expectRun(box, ['customers', 'search', 'type:customer', '--csv', '--columns', 'name', '--sort', '-name'])
    expect(sorted.stdout.trim().split('\n')).toEqual(['Name / title', 'Charles', 'Ada'])
    const recent = await expectRun(box, ['customers', 'recent', '--csv', '--columns', 'name,last'])
    expect(recent.stdout.trim().split('\n')[0]).toBe('Name,Last')
  })

  it('prints the header row alone under --csv when nothing matches, on every list and search', async () => {
    const headers: [string[], string][] = [
      [['search', 'nobody'], 'Id,Type,Name / title,State,Media,Last updated'],
      [['customers', 'search', 'nobody'], 'Id,Type,Name / title,State,Media,Last updated'],
      [['customers', 'list'], 'Id,Type,Name / title,State,Media,Last updated'],
      [['customers', 'recent'], 'Name,Id,Active requests,Last,When'],
      [['activities', 'list'], 'Id,Media,When,Tags,Notes'],
      [['requests', 'list'], 'Id,Title,State,Customer,Opened,Last updated'],
    ]
    for (const [command, header] of headers) {
      const result = await expectRun(box, [...command, '--csv'])
      expect(result.stdout, command.join(' ')).toBe(`${header}\n`)
    }
    expect((await expectRun(box, ['activities', 'list', '--csv', '--columns', 'notes,id'])).stdout).toBe('Notes,Id\n')
    expect((await expectRun(box, ['activities', 'list'])).stdout).toBe('No activities match.\n')
    await expectRun(box, ['customers', 'list', '--csv', '--columns', 'nope'], 2)
  })

  it('keeps stdout the CSV alone when a page follows: the --cursor line goes to stderr', async () => {
    await seedTwo()
    const result = await expectRun(box, ['customers', 'list', '--csv', '--columns', 'name', '--limit', '1'])
    expect(result.stdout.trim().split('\n')).toHaveLength(2)
    expect(result.stderr).toContain('--cursor')
  })

  it('gives every list and search --columns, --csv and --sort', () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}/oclif.manifest.json`, 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>}>}
    const lists = Object.keys(manifest.commands).filter((id) => /(^|:)(list|search|recent)$/.test(id))
    expect(lists).toEqual(expect.arrayContaining(['search', 'customers:search', 'customers:list', 'customers:recent', 'activities:list', 'requests:list', 'config:list', 'fields:list', 'fieldsets:list']))
    for (const id of lists) expect(Object.keys(manifest.commands[id].flags), id).toEqual(expect.arrayContaining(['columns', 'csv', 'sort']))
  })

  it('lists fields and fieldsets with --columns, --csv and --sort like every other list', async () => {
    await expectRun(box, ['fieldsets', 'create', '--id', 'acme.empty', '--description', 'Nothing yet'])
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    expect(customer.fieldsets).toEqual(['cisco.base.customer'])
    const fieldsets = await expectRun(box, ['fieldsets', 'list', '--csv', '--columns', 'id,objects', '--sort', '-objects'])
    const rows = fieldsets.stdout.trim().split('\n')
    expect(rows[0]).toBe('Id,Objects')
    expect(rows[1]).toBe('cisco.base.customer,1')
    expect(rows).toContain('acme.empty,0')
    const idsSorted = async (sort: string) =>
      (await expectRun(box, ['fields', 'list', '--csv', '--columns', 'id', '--sort', sort])).stdout.trim().split('\n').slice(1)
    const ascending = await idsSorted('id')
    expect(ascending.length).toBeGreaterThan(5)
    expect(await idsSorted('-id')).toEqual([...ascending].reverse())
    const fields = await expectRun(box, ['fields', 'list', '--csv', '--columns', 'id,type'])
    expect(fields.stdout).toContain('\nContext_First_Name,string\n')
    const plain = await expectRun(box, ['fieldsets', 'list', '--columns', 'id,description'])
    expect(plain.stdout).toMatch(/^Id\s+Description\n/)
    expect(plain.stdout).toMatch(/\nacme\.empty\s+Nothing yet\n/)
    const json = await expectRun(box, ['fields', 'list', '--json', '--columns', 'id'])
    expect(Object.keys(json.json)).toEqual(['items', 'next'])
    const wrong = await expectRun(box, ['fieldsets', 'list', '--columns', 'nope'], 2)
    expect(wrong.stderr).toContain('The columns are: Id, Description, Fields, Inactive, Objects')
    await expectRun(box, ['fields', 'list', '--sort', 'nope'], 2)
  })

  it('refuses a column it does not have with a usage error naming the columns (exit 2)', async () => {
    await seedTwo()
    const result = await expectRun(box, ['search', 'type:customer', '--columns', 'nope'], 2)
    expect(result.stderr).toContain('The columns are: Id, Type')
  })
})

describe('customers list', () => {
  it('pages through every customer with --limit and the next cursor, each once', async () => {
    for (const name of ['A', 'B', 'C', 'D', 'E']) await expectRun(box, ['customers', 'create', '--first-name', name])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: {json: {items: {data: {Context_First_Name: string}}[]; next: string | null}} = await expectRun(box, ['customers', 'list', '--limit', '2', '--json', ...(cursor ? ['--cursor', cursor] : [])])
      seen.push(...page.json.items.map((item) => item.data.Context_First_Name))
      cursor = page.json.next
    } while (cursor)
    expect(seen.sort()).toEqual(['A', 'B', 'C', 'D', 'E'])
  })
})

describe('numbers', () => {
  it('groups thousands in the import summary as everywhere else ("1,200 rows")', async () => {
    const rows = Array.from({length: 1200}, (_, index) => `Name${index}`)
    const path = `${box.dir}/many.csv`
    const {writeFileSync} = await import('node:fs')
    writeFileSync(path, `Context_First_Name\n${rows.join('\n')}\n`)
    const result = await expectRun(box, ['import', path, '--type', 'customer'])
    expect(result.stdout).toContain('Read 1,200 rows: 1,200 created')
  })
})

describe('ids people can type', () => {
  it('takes a unique prefix of 8 characters or more wherever an id is taken, and lists the matches of an ambiguous one (exit 2)', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--json'])).json
    const request = (await expectRun(box, ['requests', 'open', '--customer', customer.id.slice(0, 8), '--title', 'Help', '--json'])).json
    expect(request.customerId).toBe(customer.id)
    expect((await expectRun(box, ['requests', 'show', request.id.slice(0, 10), '--json'])).json.id).toBe(request.id)
    await expectRun(box, ['requests', 'show', request.id.slice(0, 7)], 2)
    const missing = await expectRun(box, ['requests', 'show', 'ffffffff-ff', '--json'], 3)
    expect(missing.json.error.code).toBe('NOT_FOUND')
  })

  it('refuses a prefix two ids share, listing both (exit 2), and changes nothing', async () => {
    const ids = ['0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '0b6f3e2a-9c1d-4f5e-9a7b-1c2d3e4f5a6b']
    const lines = ids.map((id) => JSON.stringify({id, type: 'customer', data: {Context_First_Name: 'Twin'}}))
    const {writeFileSync} = await import('node:fs')
    writeFileSync(`${box.dir}/twins.jsonl`, `${lines.join('\n')}\n`)
    await expectRun(box, ['import', `${box.dir}/twins.jsonl`])
    const ambiguous = await expectRun(box, ['customers', 'delete', '0b6f3e2a', '--force', '--json'], 2)
    expect(ambiguous.json.error.details.ids).toEqual(ids)
    expect((await expectRun(box, ['customers', 'delete', '0b6f3e2a-9', '--force', '--json'])).json.id).toBe(ids[1])
  })

  it('takes a unique prefix in `customers show` and in journey’s customer; an ambiguous one lists the matches (exit 2), an unknown one is not found (exit 3)', async () => {
    const ids = ['0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '0b6f3e2a-9c1d-4f5e-9a7b-1c2d3e4f5a6b']
    const lines = ids.map((id) => JSON.stringify({id, type: 'customer', data: {Context_First_Name: 'Twin'}}))
    const {writeFileSync} = await import('node:fs')
    writeFileSync(`${box.dir}/twins.jsonl`, `${lines.join('\n')}\n`)
    await expectRun(box, ['import', `${box.dir}/twins.jsonl`])
    expect((await expectRun(box, ['customers', 'show', '0b6f3e2a-8c', '--json'])).json.id).toBe(ids[0])
    expect((await expectRun(box, ['journey', '0B6F3E2A-9C', '--json'])).json.customer.id).toBe(ids[1])
    for (const command of [['customers', 'show'], ['journey']]) {
      const ambiguous = await expectRun(box, [...command, '0b6f3e2a', '--json'], 2)
      expect(ambiguous.json.error.details.ids).toEqual(ids)
      const unknown = await expectRun(box, [...command, '0b6f3e2b', '--json'], 3)
      expect(unknown.json.error.code).toBe('NOT_FOUND')
    }
  })

  it('still finds a customer by a phone number written as bare digits, which looks like the start of an id no id has', async () => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--phone', '15550100123', '--json'])).json
    expect((await expectRun(box, ['customers', 'show', '15550100123', '--json'])).json.id).toBe(customer.id)
    expect((await expectRun(box, ['journey', '15550100123', '--json'])).json.customer.id).toBe(customer.id)
  })
})
