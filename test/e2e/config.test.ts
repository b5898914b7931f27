// `ctx config`: defaults kept in the config directory, and the order they give way in —
// a flag beats the environment, the environment beats the config file.
import {statSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {runCli, type Sandbox, sandbox} from '../helpers/cli.js'

let box: Sandbox

beforeEach(() => {
  box = sandbox()
})

afterEach(() => box.cleanup())

/** Runs with the sandbox's environment but no CTX_STORE, so the config file can choose the store. */
function run(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(args, {env: {...box.env, ...env}})
}

describe('ctx config', () => {
  it('sets, gets, lists and unsets a default, in a 0600 file of the config directory', async () => {
    expect((await run(['config', 'set', 'operator', 'grace', '--json'])).json).toEqual({key: 'operator', value: 'grace'})
    const file = join(box.dir, 'config', 'ctx', 'config.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const got = await run(['config', 'get', 'operator', '--json'], {CTX_OPERATOR: ''})
    expect(got.json).toMatchObject({key: 'operator', value: 'grace', from: 'config', env: 'CTX_OPERATOR'})
    const listed = await run(['config', 'list', '--json'], {CTX_OPERATOR: ''})
    expect(listed.json.items.map((item: {key: string}) => item.key)).toEqual(['store', 'operator', 'locale', 'lock-timeout'])
    expect((await run(['config', 'unset', 'operator', '--json'])).json).toEqual({key: 'operator', removed: true})
    expect((await run(['config', 'get', 'operator', '--json'], {CTX_OPERATOR: ''})).json).toMatchObject({value: null, from: 'unset'})
  })

  it('uses the configured store unless CTX_STORE or --store says otherwise', async () => {
    const configured = join(box.dir, 'configured.json')
    const fromEnv = join(box.dir, 'env.json')
    const fromFlag = join(box.dir, 'flag.json')
    await run(['config', 'set', 'store', configured])
    const viaConfig = await run(['store', 'info', '--json'])
    expect(viaConfig.json.location).toContain('configured.json')
    const viaEnv = await run(['store', 'info', '--json'], {CTX_STORE: fromEnv})
    expect(viaEnv.json.location).toContain('env.json')
    const viaFlag = await run(['store', 'info', '--store', fromFlag, '--json'], {CTX_STORE: fromEnv})
    expect(viaFlag.json.location).toContain('flag.json')
  })

  it('refuses an unknown setting and a lock timeout that is not a number (exit 2)', async () => {
    expect((await run(['config', 'set', 'colour', 'blue', '--json'])).code).toBe(2)
    const timeout = await run(['config', 'set', 'lock-timeout', 'soon', '--json'])
    expect(timeout.code).toBe(2)
    expect(timeout.json.error.code).toBe('USAGE')
  })
})

describe('--help', () => {
  it('lists the environment variables ctx reads', async () => {
    const help = await run(['search', '--help'])
    for (const name of ['CTX_STORE', 'CTX_NOW', 'CTX_OPERATOR', 'CTX_LOCK_TIMEOUT_MS', 'DEBUG']) expect(help.stdout).toContain(name)
  })
})
