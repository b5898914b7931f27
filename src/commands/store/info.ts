import {fileStoreLimit} from '../../core/storage/file-limit.js'
import type {StoreInfo} from '../../core/storage/store.js'
import {CtxCommand} from '../../ux/base-command.js'
import {storeInfoTable} from '../../ux/store-info.js'

export type StoreInfoResult = StoreInfo & {
  /** A file store: the size in bytes past which PostgreSQL should take over (CTX_FILE_STORE_LIMIT_MB); null elsewhere. */
  sizeLimit: number | null
}

export default class StoreInfoCommand extends CtxCommand<typeof StoreInfoCommand> {
  static override summary = 'Where the store is, its mode and format version, and how many objects of each type it holds.'
  static override description =
    'A file store also shows its size against what it serves well (50 MB, or CTX_FILE_STORE_LIMIT_MB); past it, every command warns and names the `ctx migrate` to PostgreSQL.'

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --store memory: --json']

  async run(): Promise<StoreInfoResult> {
    const info = await (await this.openStore()).info()
    const result = {...info, sizeLimit: info.adapter === 'file' ? fileStoreLimit(process.env.CTX_FILE_STORE_LIMIT_MB) : null}
    if (!this.jsonEnabled()) this.log(storeInfoTable(result))
    return result
  }
}
