// No password in any output: store URLs of every shape (parseable or not), under --json, DEBUG=1
// and DEBUG='*' (oclif's own argv logging), given as --store or CTX_STORE; hints that name the
// store without a masked password; a TLS failure as storage unavailable.
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {type CliResult, type Sandbox, sandbox} from '../helpers/cli.js'
import {describePostgres, PG_URL, testSchema, withSchema} from '../helpers/postgres.js'

/** Every password below holds this, and nothing else printed does. */
const SECRET = 'Zq9'

/** Shapes that broke redaction, or might: unescaped / # ? @ : and spaces, no //, parameters, sockets. */
export const SECRET_URLS = [
  `postgres://root:${SECRET}pw@127.0.0.1:1/x`,
  `postgres://root:pa/ss${SECRET}@127.0.0.1:1/x`,
  `postgres://root:p#${SECRET}@127.0.0.1:1/x`,
  `postgres://root:p?${SECRET}@127.0.0.1:1/x`,
  `postgres://root:p@${SECRET}@127.0.0.1:1/x`,
  `postgres://root:p:${SECRET}@127.0.0.1:1/x`,
  `postgres://root:p ${SECRET}@127.0.0.1:1/x`,
  `postgresql://root:${SECRET}%40x@127.0.0.1:1/x?sslmode=disable`,
  `POSTGRES://root:${SECRET}@[::1]:1/x`,
  `postgres://ro/ot:${SECRET}@127.0.0.1:1/x`,
  `postgres://root:${SECRET}@/x?host=/nonexistent-socket-dir`,
  `postgres://127.0.0.1:1/x?user=root&password=${SECRET}`,
  `postgres:root:${SECRET}@127.0.0.1/x`,
]

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

function expectNoSecret(result: CliResult, url: string): void {
  expect(result.code, `${url}: exit ${result.code}\n${result.stderr}`).toBeGreaterThan(1)
  expect(result.stdout, url).not.toContain(SECRET)
  expect(result.stderr, url).not.toContain(SECRET)
}

const ID = '5f0c3a56-8d7e-4b8f-9c2a-0e1d2c3b4a59'

describe('a store URL with a password', () => {
  it("never prints it: --store, under --json and DEBUG='*' (oclif's argv logging)", async () => {
    for (const url of SECRET_URLS) {
      const result = await box.run(['customers', 'show', ID, '--store', url, '--json'], {env: {DEBUG: '*'}})
      expectNoSecret(result, url)
      expect(result.stderr).toContain('oclif')
    }
  })

  it('never prints it: CTX_STORE and --store=URL, under DEBUG=1, and migrate --from/--to', async () => {
    for (const url of SECRET_URLS) {
      expectNoSecret(await box.run(['customers', 'show', ID], {env: {CTX_STORE: url, DEBUG: '1'}}), url)
      expectNoSecret(await box.run(['store', 'info', `--store=${url}`]), url)
    }
    const migrate = await box.run(['migrate', '--from', SECRET_URLS[1], '--to', SECRET_URLS[2], '--json'], {env: {DEBUG: '*'}})
    expectNoSecret(migrate, 'migrate')
  })
})

await describePostgres('hints and TLS on a live server', () => {
  let schema: Awaited<ReturnType<typeof testSchema>>

  beforeEach(async () => {
    schema = await testSchema('secrets')
  })

  afterEach(() => schema.drop())

  it('points to CTX_STORE, not to a masked URL that would not connect, when the URL has a password', async () => {
    const url = schema.url.replace('postgres://root@', `postgres://root:${SECRET}@`)
    const refused = await box.run(['customers', 'create', '--first-name', 'Ada', '--store', url, '--json'])
    expect(refused.code).toBe(7)
    expect(refused.json.error.hint).toContain('`ctx store init` with the store URL in CTX_STORE')
    expect(refused.json.error.hint).not.toContain('***')
    expect(refused.stdout + refused.stderr).not.toContain(SECRET)
    // Without a password the command names the URL, ready to copy.
    const plain = await box.run(['customers', 'create', '--first-name', 'Ada', '--store', schema.url, '--json'])
    expect(plain.json.error.hint).toContain(`ctx store init --store '${schema.url}'`)
  })

  it('reports a TLS failure (sslmode=require against a server without TLS) as exit 7 with the server’s reason', async () => {
    const url = `${withSchema(PG_URL, schema.schema)}&sslmode=require`
    const result = await box.run(['store', 'info', '--store', url, '--json'])
    expect(result.code).toBe(7)
    expect(result.json.error.code).toBe('STORAGE_UNAVAILABLE')
    expect(result.json.error.message).toMatch(/TLS.*does not support SSL/)
  })
})
