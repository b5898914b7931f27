// The --if-last-updated examples of the commands (shown by --help and in the README's generated
// reference) work when pasted into a shell: each reads the value it needs rather than carrying a
// timestamp that no store holds. Run as written, with `ctx` on the PATH and ID an object's id.
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {BIN, expectRun, ROOT, type Sandbox, sandbox} from '../helpers/cli.js'

const JQ = spawnSync('jq', ['--version']).status === 0
if (!JQ && process.env.CI === 'true') throw new Error('jq is required under CI=true for the pasted examples (install it in .ci/run)')
if (!JQ) console.warn('[skip] pasted --if-last-updated examples: jq is not installed here.')

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

const manifest = JSON.parse(readFileSync(`${ROOT}/oclif.manifest.json`, 'utf8')) as {commands: Record<string, {examples?: (string | {command: string})[]}>}
const pasted = Object.entries(manifest.commands).flatMap(([id, command]) =>
  (command.examples ?? []).map((example) => (typeof example === 'string' ? example : example.command)).filter((example) => example.includes('--if-last-updated')).map((example) => ({id, example})),
)

describe.skipIf(!JQ)('examples that use --if-last-updated', () => {
  it('are there to check', () => {
    expect(pasted.map((entry) => entry.id).sort()).toEqual(['activities:update', 'customers:update', 'requests:close'])
  })

  it.each(pasted)('$id: $example works when pasted', async ({id, example}) => {
    const customer = (await expectRun(box, ['customers', 'create', '--first-name', 'Ada', '--field', 'Context_City=London', '--json'])).json
    const request = (await expectRun(box, ['requests', 'open', '--customer', customer.id, '--title', 'Router', '--json'])).json
    const added = (await expectRun(box, ['activities', 'add', '--media', 'voice', '--customer', customer.id, '--json'])).json
    const ids: Record<string, string> = {customers: customer.id, requests: request.id, activities: added.activity.id}
    const shim = join(box.dir, 'bin')
    mkdirSync(shim, {recursive: true})
    writeFileSync(join(shim, 'ctx'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`)
    chmodSync(join(shim, 'ctx'), 0o755)
    const line = example
      .replaceAll('<%= config.bin %>', 'ctx')
      .replaceAll('<%= command.id %>', id.replaceAll(':', ' '))
      .replaceAll(/\bID\b/g, ids[id.split(':')[0]])
    const result = spawnSync('bash', ['-c', line], {env: {...box.env, PATH: `${shim}:${box.env.PATH}`, CTX_STORE: box.storePath}, encoding: 'utf8'})
    expect(result.status, `${line}\n${result.stderr}`).toBe(0)
  })
})
