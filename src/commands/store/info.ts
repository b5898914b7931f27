import type {StoreInfo} from '../../core/storage/store.js'
import {CtxCommand} from '../../ux/base-command.js'
import {storeInfoTable} from '../../ux/store-info.js'

export type StoreInfoResult = StoreInfo

export default class StoreInfoCommand extends CtxCommand<typeof StoreInfoCommand> {
  static override summary = 'Where the store is, its mode and format version, and how many objects of each type it holds.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --store memory: --json']

  async run(): Promise<StoreInfoResult> {
    const info = await (await this.openStore()).info()
    if (!this.jsonEnabled()) this.log(storeInfoTable(info))
    return info
  }
}
