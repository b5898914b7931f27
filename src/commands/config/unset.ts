import {Args} from '@oclif/core'
import {CONFIG_KEYS, configKey, readConfig, unsetConfig} from '../../core/config.js'
import {CtxCommand} from '../../ux/base-command.js'

export interface ConfigUnsetResult {
  key: string
  removed: boolean
}

export default class ConfigUnset extends CtxCommand<typeof ConfigUnset> {
  static override summary = 'Remove a default from the config directory.'
  static override examples = ['<%= config.bin %> <%= command.id %> store']

  static override args = {
    key: Args.string({description: 'The setting.', required: true, options: Object.keys(CONFIG_KEYS)}),
  }

  async run(): Promise<ConfigUnsetResult> {
    const key = configKey(this.args.key)
    const removed = (await readConfig(this.configFile))[key] !== undefined
    if (removed) await unsetConfig(this.configFile, key)
    this.log(removed ? `${key} removed.` : `${key} was not set.`)
    return {key, removed}
  }
}
