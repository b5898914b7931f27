import {CtxCommand} from '../../ux/base-command.js'

export interface StoreUpgradeResult {
  from: number | null
  to: number
}

export default class StoreUpgrade extends CtxCommand<typeof StoreUpgrade> {
  static override summary = 'Bring the store’s format or schema up to this version of ctx (safe to run again).'
  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run(): Promise<StoreUpgradeResult> {
    const store = await this.openStore()
    const result = await store.upgrade()
    if (result.from === null && (await store.info()).formatVersion === null) this.log(`No store at ${store.location} yet; it will be created at version ${result.to}.`)
    else if (result.from === null) this.log(`Installed version ${result.to} at ${store.location}; run \`ctx store init\` to choose its mode, or its first write makes it a production store.`)
    else if (result.from === result.to) this.log(`Already at version ${result.to}.`)
    else this.log(`Upgraded from version ${result.from} to ${result.to}.`)
    return result
  }
}
