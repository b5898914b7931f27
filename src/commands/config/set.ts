import {Args} from '@oclif/core'
import {CONFIG_KEYS, configKey, setConfig} from '../../core/config.js'
import {CtxCommand} from '../../ux/base-command.js'

export interface ConfigSetResult {
  key: string
  value: string
}

export default class ConfigSet extends CtxCommand<typeof ConfigSet> {
  static override summary = 'Keep a default in the config directory: store, operator, locale or lock-timeout.'
  static override description = `A flag beats the environment, and the environment beats these settings. The settings and the variables they stand for: ${Object.entries(CONFIG_KEYS)
    .map(([key, {env}]) => `${key} (${env})`)
    .join(', ')}.`
  static override examples = ['<%= config.bin %> <%= command.id %> store ~/work/ctx.json', '<%= config.bin %> <%= command.id %> lock-timeout 30000']

  static override args = {
    key: Args.string({description: 'The setting.', required: true, options: Object.keys(CONFIG_KEYS)}),
    value: Args.string({description: 'Its value.', required: true}),
  }

  async run(): Promise<ConfigSetResult> {
    const key = configKey(this.args.key)
    await setConfig(this.configFile, key, this.args.value)
    this.log(`${key} = ${this.args.value} (in ${this.configFile})`)
    return {key, value: this.args.value}
  }
}
