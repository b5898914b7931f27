import {Args} from '@oclif/core'
import {CONFIG_KEYS, configKey, effectiveSetting, readConfig} from '../../core/config.js'
import {CtxCommand} from '../../ux/base-command.js'

export type ConfigGetResult = ReturnType<typeof effectiveSetting>

export default class ConfigGet extends CtxCommand<typeof ConfigGet> {
  static override summary = 'Print the value a setting has now, and where it comes from (environment or config).'
  static override examples = ['<%= config.bin %> <%= command.id %> store', '<%= config.bin %> <%= command.id %> operator --json']

  static override args = {
    key: Args.string({description: 'The setting.', required: true, options: Object.keys(CONFIG_KEYS)}),
  }

  async run(): Promise<ConfigGetResult> {
    const setting = effectiveSetting(configKey(this.args.key), await readConfig(this.configFile), process.env)
    if (setting.value !== null) this.log(setting.value)
    return setting
  }
}
