import {CtxCommand} from '../../ux/base-command.js'
import {forceFlag} from '../../ux/flags.js'

export interface StoreFlushResult {
  flushed: string
}

export default class StoreFlush extends CtxCommand<typeof StoreFlush> {
  static override summary = 'Delete every object of a lab store (production stores refuse).'
  static override examples = ['<%= config.bin %> <%= command.id %> --store /tmp/ci.json --force']

  static override flags = {force: forceFlag}

  async run(): Promise<StoreFlushResult> {
    const store = await this.openStore()
    const info = await store.info()
    if (info.mode !== 'lab') return store.flush().then(() => ({flushed: store.location}))
    await this.confirm(this.flags.force, `Delete every object in ${store.location}?`)
    await store.flush()
    this.log(`Flushed ${store.location}.`)
    return {flushed: store.location}
  }
}
