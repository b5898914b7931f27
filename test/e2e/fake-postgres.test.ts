// The stand-in server the build's code-cache warm-up searches (scripts/fake-postgres.js): if ctx
// stopped being able to read through it, the warm-up would skip the PostgreSQL path unnoticed.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
// @ts-expect-error: scripts/ is plain JavaScript, without declarations
import {startFakePostgres} from '../../scripts/fake-postgres.js'
import {ROOT, runCli} from '../helpers/cli.js'

const customer = {
  id: '0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b',
  type: 'customer',
  fieldsets: ['cisco.base.customer'],
  data: {Context_First_Name: 'Ada', Context_Work_Email: 'ada@example.com'},
  created: '2026-01-01T00:00:00.000Z',
  lastUpdated: '2026-01-01T00:00:00.000Z',
}
const definitions = JSON.parse(readFileSync(`${ROOT}/schemas/base-definitions.json`, 'utf8'))

let stop: (() => Promise<void>) | undefined
let home: string | undefined

afterEach(async () => {
  await stop?.()
  stop = undefined
  if (home) rmSync(home, {recursive: true, force: true})
})

describe('the build warm-up server', () => {
  it('answers a search and a show of the built CLI as a PostgreSQL store would', async () => {
    const fake = await startFakePostgres(customer, definitions)
    stop = fake.stop
    home = mkdtempSync(join(tmpdir(), 'ctx-fake-pg-'))
    const env = {...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data')}
    const search = await runCli(['customers', 'search', 'Context_Work_Email:ada@example.com', '--store', fake.url, '--json'], {env})
    expect(search.code).toBe(0)
    expect(search.json).toEqual({items: [customer], next: null})
    const show = await runCli(['customers', 'show', customer.id, '--store', fake.url, '--json'], {env})
    expect(show.code).toBe(0)
    expect(show.json).toEqual(customer)
  })
})
