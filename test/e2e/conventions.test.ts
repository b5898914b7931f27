// Small things a careful user notices: usage errors with a hint instead of oclif's raw message,
// lists that answer {items, next}, counts in words that agree with their number.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'

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
    await expectRun(box, ['activities', 'add', '--media', 'chat', '--customer', customer.id, '--request', request.id])
    const deleted = await expectRun(box, ['customers', 'delete', customer.id, '--force'])
    expect(deleted.stdout).toContain('with 1 request, 2 activities')
  })

  it('says "Copied 1 object", not "1 objects"', async () => {
    await expectRun(box, ['customers', 'create', '--first-name', 'Ada'])
    const target = `${box.dir}/copy.json`
    const result = await expectRun(box, ['migrate', '--from', box.storePath, '--to', target])
    expect(result.stdout).toContain('Copied 1 object from')
  })
})
