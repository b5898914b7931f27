// One order of an object's fields in every view: the base fieldset's fields in their definition
// order, then the other fieldsets' (by fieldset id) in theirs, then any other field by id
// (src/core/definitions/order.ts). Checked in `show` (text and --json), search --json, journey (text
// and --json), and export (JSON Lines and CSV).
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

/** In the order of every view: not alphabetical, so a view that sorts by id (or keeps a store's order) fails. */
const CUSTOMER_ORDER = ['Context_First_Name', 'Context_Last_Name', 'Context_Work_Email', 'Context_City', 'Zeta_Code', 'Account_Tier']
const REQUEST_ORDER = ['Context_Title', 'Context_Description', 'Zeta_Code', 'Account_Tier']

/** Where each of `ids` first appears in `text`, which must hold them all. */
function positions(text: string, ids: readonly string[]): number[] {
  return ids.map((id) => {
    const at = text.indexOf(id)
    expect(at, `${id} in:\n${text}`).toBeGreaterThanOrEqual(0)
    return at
  })
}

const ascending = (values: number[]) => values.every((value, at) => at === 0 || values[at - 1] < value)

describe('fields in one order in every view of an object', () => {
  it('orders a customer’s and a request’s fields alike in show, search, journey and export', async () => {
    const definitions = {
      fields: [
        {id: 'Zeta_Code', dataType: 'string', classification: 'UNENCRYPTED'},
        {id: 'Account_Tier', dataType: 'string', classification: 'UNENCRYPTED'},
      ],
      fieldsets: [{id: 'accounts', fields: ['Zeta_Code', 'Account_Tier']}],
    }
    writeFileSync(join(box.dir, 'defs.json'), JSON.stringify(definitions))
    await expectRun(box, ['fields', 'apply', '-f', join(box.dir, 'defs.json')])
    const fields = ['--field', 'Account_Tier=gold', '--field', 'Zeta_Code=Z1', '--fieldset', 'accounts']
    const customer = (
      await expectRun(box, ['customers', 'create', '--fieldset', 'cisco.base.customer', ...fields, '--field', 'Context_City=London', '--email', 'ada@example.com', '--last-name', 'Lovelace', '--first-name', 'Ada', '--json'])
    ).json
    expect(Object.keys(customer.data)).toEqual(CUSTOMER_ORDER)
    await expectRun(box, ['requests', 'open', '--customer', customer.id, '--fieldset', 'cisco.base.request', ...fields, '--description', 'It drops', '--title', 'Router'])

    expect(Object.keys((await expectRun(box, ['customers', 'show', customer.id, '--json'])).json.data)).toEqual(CUSTOMER_ORDER)
    expect(Object.keys((await expectRun(box, ['search', 'type:customer', '--json'])).json.items[0].data)).toEqual(CUSTOMER_ORDER)
    const journey = (await expectRun(box, ['journey', customer.id, '--json'])).json
    expect(Object.keys(journey.customer.data)).toEqual(CUSTOMER_ORDER)
    expect(Object.keys(journey.groups[0].request.data)).toEqual(REQUEST_ORDER)

    const shown = (await expectRun(box, ['customers', 'show', customer.id])).stdout
    expect(ascending(positions(shown, ['First Name', 'Last Name', 'Work Email', 'City', 'Zeta_Code', 'Account_Tier']))).toBe(true)
    const story = (await expectRun(box, ['journey', customer.id])).stdout
    expect(ascending(positions(story, ['Zeta_Code', 'Account_Tier']))).toBe(true)

    const lines = (await expectRun(box, ['export', '--format', 'jsonl'])).stdout.trim().split('\n').map((line) => JSON.parse(line))
    expect(Object.keys(lines.find((line) => line.type === 'customer').data)).toEqual(CUSTOMER_ORDER)
    expect(Object.keys(lines.find((line) => line.type === 'request').data)).toEqual(REQUEST_ORDER)
    const header = (await expectRun(box, ['export', '--format', 'csv', '--type', 'customer'])).stdout.split('\n')[0].split(',')
    expect(ascending(positions(header.join(','), CUSTOMER_ORDER.map((id) => `,${id}`)))).toBe(true)
  })
})
