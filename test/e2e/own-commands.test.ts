// src/ux/run.ts: ctx's own commands and --version run with oclif given ctx without its plugins
// (@oclif/plugin-help, @oclif/plugin-autocomplete). That leaves out nothing such a run would see:
// the plugins have no hook it fires, and no command or topic of theirs starts with a word that
// starts one of ctx's. Help and the plugins' commands still take oclif's whole path.
import {fileURLToPath} from 'node:url'
import {Config} from '@oclif/core'
import {normalizeArgv} from '@oclif/core/help'
import {beforeAll, describe, expect, it} from 'vitest'
import {runsOwnCommand} from '../../src/ux/run.js'
import {expectRun, sandbox} from '../helpers/cli.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The hooks oclif fires around finding, parsing and running a command, and on --version. */
const RUN_HOOKS = ['init', 'prerun', 'postrun', 'finally', 'preparse', 'command_not_found', 'command_incomplete', 'jit_plugin_not_installed']

let whole: Config
let own: Config

beforeAll(async () => {
  whole = await Config.load(ROOT)
  const {plugins: _plugins, ...oclif} = whole.pjson.oclif
  own = await Config.load({root: ROOT, pjson: {...whole.pjson, oclif}})
})

describe('a run of ctx without its plugins', () => {
  it('leaves out plugins that have no hook such a run fires', () => {
    const plugins = whole.getPluginsList().filter((plugin) => plugin.name !== whole.name)
    expect(plugins.map((plugin) => plugin.name).sort()).toEqual(['@oclif/plugin-autocomplete', '@oclif/plugin-help'])
    for (const plugin of plugins) expect(Object.keys(plugin.hooks).filter((hook) => RUN_HOOKS.includes(hook))).toEqual([])
    expect(own.getPluginsList().map((plugin) => plugin.name)).toEqual([whole.name])
  })

  it("leaves out no command or topic that shares a first word with ctx's commands", () => {
    const first = (id: string) => id.split(':')[0]
    const ours = new Set(own.commandIDs.map(first))
    const theirs = [...whole.commands.filter((command) => command.pluginName !== whole.name).map((command) => command.id), ...whole.topics.map((topic) => topic.name)]
    expect(theirs.filter((id) => ours.has(first(id)) && !own.findTopic(id))).toEqual([])
  })

  it('is taken for a command of ctx, named as oclif finds it, and --version', () => {
    for (const argv of [['customers', 'show', 'ID'], ['customers:show', 'ID'], ['customers', 'show', '--json'], ['store', 'info'], ['--version']]) {
      expect(runsOwnCommand(argv, own), argv.join(' ')).toBe(true)
      // oclif finds the same command with its plugins.
      if (argv[0] !== '--version') expect(normalizeArgv(whole, [...argv])[0]).toBe(normalizeArgv(own, [...argv])[0])
    }
  })

  it('is not taken for help, a topic, a plugin command or an unknown command', () => {
    for (const argv of [[], ['--help'], ['customers', 'show', '--help'], ['customers', 'show', '-h'], ['help'], ['help', 'customers'], ['autocomplete'], ['customers'], ['customers', 'shw'], ['nothing']]) {
      expect(runsOwnCommand(argv, own), argv.join(' ')).toBe(false)
    }
  })

  it('still offers help and the plugins through the CLI', async () => {
    const box = sandbox()
    try {
      expect((await expectRun(box, ['help'])).stdout).toContain('autocomplete')
      expect((await expectRun(box, ['customers', 'show', '--help'])).stdout).toContain('ctx customers show')
    } finally {
      box.cleanup()
    }
  })
})
