import {CtxCommand} from '../../ux/base-command.js'

export interface StoreUpgradeResult {
  from: number | null
  to: number
}

export default class StoreUpgrade extends CtxCommand<typeof StoreUpgrade> {
  static override summary = 'Bring the store’s format or schema up to this version of ctx (safe to run again).'
  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run(): Promise<StoreUpgradeResult> {
    const result = await (await this.openStore()).upgrade()
    if (result.from === null) this.log(`No store at ${this.storeUrl} yet; it will be created at version ${result.to}.`)
    else if (result.from === result.to) this.log(`Already at version ${result.to}.`)
    else this.log(`Upgraded from version ${result.from} to ${result.to}.`)
    return result
  }
}
