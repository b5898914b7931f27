// PostgreSQL through the built CLI: store administration, what a user sees when the database is
// missing, empty or unreachable (exit 7, never a password), and `ctx migrate` both ways.
import {afterEach, beforeEach, expect, it} from 'vitest'
import {fixture} from '../contract/store-contract.js'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {describePostgres, PG_URL, testSchema} from '../helpers/postgres.js'
import {readStore, seedStore} from '../helpers/store.js'

await describePostgres('ctx on postgres://', () => {
  let box: Sandbox
  let schema: Awaited<ReturnType<typeof testSchema>>
  const run = (args: string[], code = 0) => expectRun(box, [...args, '--store', schema.url], code)

  beforeEach(async () => {
    box = sandbox()
    schema = await testSchema('cli')
  })

  afterEach(async () => {
    await box.cleanup()
    await schema.drop()
  })

  it('says to run `ctx store init` on a database without a ctx schema (exit 7), then works once it has run', async () => {
    const refused = await run(['customers', 'create', '--first-name', 'Ada', '--json'], 7)
    expect(refused.json.error).toMatchObject({code: 'STORAGE_UNAVAILABLE', exitCode: 7})
    expect(refused.json.error.hint).toContain('ctx store init --store')
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({adapter: 'postgres', initialized: false, formatVersion: null})
    const init = await run(['store', 'init', '--mode', 'lab', '--json'])
    expect(init.json).toMatchObject({adapter: 'postgres', initialized: true, mode: 'lab', formatVersion: 1})
    const ada = (await run(['customers', 'create', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json'])).json
    expect((await run(['customers', 'search', 'lovelace', '--json'])).json.items).toEqual([ada])
    const info = (await run(['store', 'info', '--json'])).json
    expect(info).toMatchObject({counts: {customer: 1}, mode: 'lab'})
    expect(info.bytes).toBeGreaterThan(0)
  })

  it('upgrades an empty database idempotently; its first write then makes a production store that refuses flush', async () => {
    expect((await run(['store', 'upgrade', '--json'])).json).toEqual({from: null, to: 1})
    expect((await run(['store', 'upgrade', '--json'])).json).toEqual({from: 1, to: 1})
    await run(['customers', 'create', '--first-name', 'Ada'])
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({initialized: true, mode: 'production'})
    await run(['store', 'flush', '--force'], 4)
    expect(await readStore(schema.url)).toHaveLength(1)
  })

  it('flushes a lab store only with --force', async () => {
    await run(['store', 'init', '--mode', 'lab'])
    await run(['customers', 'create', '--first-name', 'Ada'])
    await run(['store', 'flush'], 2)
    await run(['store', 'flush', '--force'])
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({mode: 'lab', counts: {customer: 0}})
  })

  it('reports an unreachable server and a missing database with exit 7, never printing the password', async () => {
    const unreachable = await expectRun(box, ['store', 'info', '--store', 'postgres://ctx:Secret-Pw@127.0.0.1:1/ctx', '--json'], 7)
    expect(unreachable.stderr).toContain('cannot reach PostgreSQL at 127.0.0.1:1')
    const missing = new URL(PG_URL)
    missing.password = 'Secret-Pw'
    missing.pathname = '/no_such_ctx_database'
    const absent = await expectRun(box, ['customers', 'search', 'x', '--store', missing.toString(), '--json'], 7)
    expect(absent.stderr).toContain('"no_such_ctx_database" does not exist')
    for (const result of [unreachable, absent]) expect(result.stdout + result.stderr).not.toContain('Secret-Pw')
  })

  it('migrates file → postgres → file with verified counts and checksums, and refuses a non-empty target', async () => {
    const customer = fixture('customer', {data: {Context_First_Name: 'Ada'}})
    const request = fixture('request', {customerId: customer.id})
    const activity = fixture('activity', {customerId: customer.id, parentId: request.id})
    await seedStore(box.storePath, [customer, request, activity], 'lab')
    const there = await expectRun(box, ['migrate', '--from', box.storePath, '--to', schema.url, '--json'])
    expect(there.json).toMatchObject({copied: 3, verified: true, counts: {customer: {source: 1, target: 1}, activity: {source: 1, target: 1}}})
    expect((await run(['store', 'info', '--json'])).json).toMatchObject({mode: 'lab', counts: {customer: 1, request: 1, activity: 1}})
    await expectRun(box, ['migrate', '--from', box.storePath, '--to', schema.url], 4)
    const back = `${box.dir}/back.json`
    const again = await expectRun(box, ['migrate', '--from', schema.url, '--to', back])
    expect(again.stdout).toContain('verified: counts and checksums match')
    expect(await readStore(back)).toEqual(await readStore(box.storePath))
  })
})
