import {Flags} from '@oclif/core'
import type {StoreInfo} from '../../core/storage/store.js'
import {CtxCommand} from '../../ux/base-command.js'
import {storeInfoTable} from '../../ux/store-info.js'

export type StoreInitResult = StoreInfo

export default class StoreInit extends CtxCommand<typeof StoreInit> {
  static override summary = 'Create a store, in lab mode (can be flushed) or production mode.'
  static override description =
    'A store created implicitly by its first write is a production store. Initialising an existing store of the same mode changes nothing; another mode is refused (exit 4).'
  static override examples = ['<%= config.bin %> <%= command.id %> --mode lab --store /tmp/ci.json']

  static override flags = {
    mode: Flags.string({summary: 'lab: a throwaway store that `store flush` may wipe; production: refuses flush.', options: ['lab', 'production'], default: 'production'}),
  }

  async run(): Promise<StoreInitResult> {
    const store = await this.openStore()
    const info = await store.init(this.flags.mode as 'lab' | 'production')
    if (!this.jsonEnabled()) this.log(storeInfoTable(info))
    return info
  }
}
