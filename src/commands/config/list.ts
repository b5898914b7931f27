import {CONFIG_KEYS, type ConfigKey, effectiveSetting, readConfig} from '../../core/config.js'
import {CtxCommand} from '../../ux/base-command.js'
import {formatList, listFlags, stdoutShape} from '../../ux/list.js'

export interface ConfigListResult {
  items: ReturnType<typeof effectiveSetting>[]
  next: null
}

export default class ConfigList extends CtxCommand<typeof ConfigList> {
  static override summary = 'Every setting, its value now, and where it comes from.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  static override flags = listFlags

  async run(): Promise<ConfigListResult> {
    const values = await readConfig(this.configFile)
    const items = (Object.keys(CONFIG_KEYS) as ConfigKey[]).map((key) => effectiveSetting(key, values, process.env))
    const rows = items.map((item) => [item.key, item.value ?? '', item.from, item.env])
    if (!this.jsonEnabled()) this.log(formatList(['Setting', 'Value', 'From', 'Variable'], rows, this.flags, stdoutShape()))
    return {items, next: null}
  }
}
