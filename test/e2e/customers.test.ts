// Customers end to end through the built CLI: every command, its --json, its exit codes, and what
// lands in the store.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {fixture} from '../contract/store-contract.js'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {readStore, seedStore} from '../helpers/store.js'

const NOW = '2026-02-01T10:00:00.000Z'
let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

async function create(...args: string[]) {
  return (await expectRun(box, ['customers', 'create', ...args, '--json'], 0, {now: NOW})).json
}

describe('customers create', () => {
  it('creates a customer from named flags and --field, and prints it as JSON', async () => {
    const customer = await create('--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com', '--phone', '+44 20 7946 0000', '--field', 'Context_City=London', '--external-id', 'crm-1')
    expect(customer).toMatchObject({
      type: 'customer',
      fieldsets: ['cisco.base.customer'],
      data: {Context_First_Name: 'Ada', Context_Last_Name: 'Lovelace', Context_Work_Email: 'ada@example.com', Context_Work_Phone: '+44 20 7946 0000', Context_City: 'London'},
      externalId: 'crm-1',
      created: NOW,
      lastUpdated: NOW,
    })
    expect(customer.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await readStore(box.storePath)).toEqual([customer])
  })

  it('refuses a field the customer’s fieldsets do not have (exit 5), writing nothing', async () => {
    const result = await expectRun(box, ['customers', 'create', '--field', 'Context_Title=Nope', '--json'], 5)
    expect(result.json.error).toMatchObject({code: 'INVALID_DATA', exitCode: 5})
    expect(result.stderr).toContain('Context_Title')
    await expectRun(box, ['customers', 'create', '--field', 'No_Such_Field=1'], 5)
    expect(await readStore(box.storePath)).toEqual([])
  })

  it('refuses a value its field does not allow (exit 5)', async () => {
    const result = await expectRun(box, ['customers', 'create', '--field', 'Context_Preferred_Language=xx_XX'], 5)
    expect(result.stderr).toContain('Context_Preferred_Language')
    await expectRun(box, ['customers', 'create', '--first-name', 'x'.repeat(257)], 5)
  })

  it('refuses a second customer with the same externalId (exit 4), naming the holder and how to change it', async () => {
    const holder = await create('--external-id', 'dup')
    const {stderr} = await expectRun(box, ['customers', 'create', '--external-id', 'dup'], 4)
    expect(stderr).toContain(`externalId "dup" already belongs to customer ${holder.id}`)
    expect(stderr).toContain(`change that customer instead (ctx customers update ${holder.id}), or, importing a file, add --upsert`)
    expect(await readStore(box.storePath)).toHaveLength(1)
  })

  it('prints a table with field labels for people', async () => {
    const result = await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--email', 'grace@example.com'])
    expect(result.stdout).toContain('First Name')
    expect(result.stdout).toContain('Work Email')
    expect(result.stdout).not.toContain('\u001B[')
  })
})

describe('customers show', () => {
  it('shows a customer by id', async () => {
    const customer = await create('--first-name', 'Ada')
    const shown = await expectRun(box, ['customers', 'show', customer.id, '--json'])
    expect(shown.json).toEqual(customer)
  })

  it('answers exit 3 for an id, email or phone no customer has', async () => {
    const missing = await expectRun(box, ['customers', 'show', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '--json'], 3)
    expect(missing.json.error.code).toBe('NOT_FOUND')
    await expectRun(box, ['customers', 'show', 'not-an-id'], 3)
  })

  it('shows a customer by an email or phone only they have, as journey finds one', async () => {
    const customer = await create('--first-name', 'Ada', '--email', 'ada@example.com', '--phone', '+15550100')
    expect((await expectRun(box, ['customers', 'show', 'ada@example.com', '--json'])).json.id).toBe(customer.id)
    expect((await expectRun(box, ['customers', 'show', '+15550100', '--json'])).json.id).toBe(customer.id)
    await create('--first-name', 'Twin', '--email', 'ada@example.com')
    const ambiguous = await expectRun(box, ['customers', 'show', 'ada@example.com', '--json'], 2)
    expect(ambiguous.json.error.details.ids).toHaveLength(2)
  })

  it('treats a missing id as a usage error when no one is at a terminal', async () => {
    const result = await expectRun(box, ['customers', 'show'], 2)
    expect(result.stderr).toContain('Customer id, email or phone is required')
  })

  it('refuses to create a customer of nothing off a terminal (exit 2), storing nothing', async () => {
    const result = await expectRun(box, ['customers', 'create', '--json'], 2)
    expect(result.json.error.code).toBe('USAGE')
    expect(await readStore(box.storePath)).toEqual([])
  })

  it('does not show a request as a customer', async () => {
    const request = fixture('request')
    await seedStore(box.storePath, [request])
    await expectRun(box, ['customers', 'show', request.id], 3)
  })
})

describe('customers update', () => {
  it('changes only the fields named, removes a field given an empty value, and moves lastUpdated', async () => {
    const customer = await create('--first-name', 'Ada', '--field', 'Context_City=London')
    const later = '2026-02-02T10:00:00.000Z'
    const updated = (await expectRun(box, ['customers', 'update', customer.id, '--last-name', 'Byron', '--field', 'Context_City=', '--json'], 0, {now: later})).json
    expect(updated.data).toEqual({Context_First_Name: 'Ada', Context_Last_Name: 'Byron'})
    expect(updated.created).toBe(NOW)
    expect(updated.lastUpdated).toBe(later)
    expect(await readStore(box.storePath)).toEqual([updated])
  })

  it('refuses a stale --if-last-updated with exit 4 and keeps the stored customer', async () => {
    const customer = await create('--first-name', 'Ada')
    await expectRun(box, ['customers', 'update', customer.id, '--first-name', 'Augusta', '--if-last-updated', customer.lastUpdated, '--json'], 0, {
      now: '2026-02-03T00:00:00.000Z',
    })
    const stale = await expectRun(box, ['customers', 'update', customer.id, '--first-name', 'Lost', '--if-last-updated', customer.lastUpdated, '--json'], 4)
    expect(stale.json.error.code).toBe('CONFLICT')
    expect((await readStore(box.storePath))[0].data.Context_First_Name).toBe('Augusta')
  })

  it('moves lastUpdated even when the clock is frozen, so a second writer sees the first', async () => {
    const customer = await create('--first-name', 'Ada')
    const first = (await expectRun(box, ['customers', 'update', customer.id, '--last-name', 'A', '--json'], 0, {now: NOW})).json
    expect(first.lastUpdated > customer.lastUpdated).toBe(true)
    await expectRun(box, ['customers', 'update', customer.id, '--last-name', 'B', '--if-last-updated', customer.lastUpdated], 4, {now: NOW})
  })

  it('answers exit 3 for an unknown customer and 5 for an unknown field', async () => {
    await expectRun(box, ['customers', 'update', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '--first-name', 'X'], 3)
    const customer = await create('--first-name', 'Ada')
    await expectRun(box, ['customers', 'update', customer.id, '--field', 'Bogus=1'], 5)
  })
})

describe('customers delete', () => {
  it('needs --force when no one is at a terminal, and deletes nothing without it', async () => {
    const customer = await create('--first-name', 'Ada')
    const result = await expectRun(box, ['customers', 'delete', customer.id], 2)
    expect(result.stderr).toContain('--force')
    expect(await readStore(box.storePath)).toHaveLength(1)
  })

  it('removes the customer with its requests, activities and their comments, and nothing else', async () => {
    const doomed = fixture('customer')
    const kept = fixture('customer')
    const request = fixture('request', {customerId: doomed.id})
    const activity = fixture('activity', {customerId: doomed.id, parentId: request.id})
    const loose = fixture('activity', {customerId: doomed.id})
    const comment = fixture('comment', {parentId: activity.id, state: 'closed'})
    const requestComment = fixture('comment', {parentId: request.id, state: 'closed'})
    const keptRequest = fixture('request', {customerId: kept.id})
    await seedStore(box.storePath, [doomed, kept, request, activity, loose, comment, requestComment, keptRequest])
    const result = await expectRun(box, ['customers', 'delete', doomed.id, '--force', '--json'])
    expect(result.json.deleted).toEqual({customer: 1, request: 1, activity: 2, comment: 2, feedback: 0})
    expect((await readStore(box.storePath)).map((object) => object.id).sort()).toEqual([kept.id, keptRequest.id].sort())
  })

  it('answers exit 3 for a customer that does not exist', async () => {
    await expectRun(box, ['customers', 'delete', '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b', '--force'], 3)
  })
})

describe('customers search', () => {
  it('finds customers by bare words and field:value, newest first, as {items, next}', async () => {
    const ada = await create('--first-name', 'Ada', '--last-name', 'Lovelace', '--email', 'ada@example.com')
    const grace = (await expectRun(box, ['customers', 'create', '--first-name', 'Grace', '--last-name', 'Lovelace', '--json'], 0, {now: '2026-02-05T00:00:00.000Z'})).json
    await create('--first-name', 'Alan', '--last-name', 'Turing')
    const both = await expectRun(box, ['customers', 'search', 'lovelace', '--json'])
    expect(both.json.items.map((item: {id: string}) => item.id)).toEqual([grace.id, ada.id])
    expect(both.json.next).toBeNull()
    const byEmail = await expectRun(box, ['customers', 'search', 'Context_Work_Email:ada@example.com', '--json'])
    expect(byEmail.json.items.map((item: {id: string}) => item.id)).toEqual([ada.id])
    const paged = await expectRun(box, ['customers', 'search', 'lovelace', '--limit', '1', '--json'])
    expect(paged.json.items).toHaveLength(1)
    const rest = await expectRun(box, ['customers', 'search', 'lovelace', '--limit', '1', '--cursor', paged.json.next, '--json'])
    expect(rest.json.items.map((item: {id: string}) => item.id)).toEqual([ada.id])
  })

  it('does not return other types', async () => {
    const customer = await create('--last-name', 'Refund')
    await seedStore(box.storePath, [fixture('request', {customerId: customer.id, data: {Context_Title: 'Refund'}})])
    const result = await expectRun(box, ['customers', 'search', 'refund', '--json'])
    expect(result.json.items.map((item: {type: string}) => item.type)).toEqual(['customer'])
  })

  it('answers a malformed query with exit 2 pointing at the position', async () => {
    const result = await expectRun(box, ['customers', 'search', 'Context_Last_Name:"unclosed', '--json'], 2)
    expect(result.json.error.code).toBe('USAGE')
    expect(result.json.error.message).toContain('column')
  })
})

describe('customers recent', () => {
  it('lists the customers this operator created, viewed or changed, latest first, forgetting deleted ones', async () => {
    const ada = await create('--first-name', 'Ada')
    const grace = await create('--first-name', 'Grace')
    await expectRun(box, ['customers', 'show', ada.id])
    let recent = await expectRun(box, ['customers', 'recent', '--json'])
    expect(recent.json.items.map((item: {customer: {id: string}}) => item.customer.id)).toEqual([ada.id, grace.id])
    expect(recent.json.items[0]).toMatchObject({action: 'viewed', activeRequests: 0})
    await expectRun(box, ['customers', 'delete', grace.id, '--force'])
    recent = await expectRun(box, ['customers', 'recent', '--json'])
    expect(recent.json.items.map((item: {customer: {id: string}}) => item.customer.id)).toEqual([ada.id])
  })

  it('keeps at most 10', async () => {
    for (let index = 0; index < 12; index++) await create('--first-name', `C${index}`)
    const recent = await expectRun(box, ['customers', 'recent', '--json'])
    expect(recent.json.items).toHaveLength(10)
    expect(recent.json.items[0].customer.data.Context_First_Name).toBe('C11')
  })
})
