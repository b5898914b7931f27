import {Flags} from '@oclif/core'
import {type RotateResult, rotateKeys} from '../../core/crypto/admin.js'
import {nowIso} from '../../core/clock.js'
import {CtxCommand} from '../../ux/base-command.js'
import {color} from '../../ux/render.js'

export type KeysRotateResult = RotateResult

export default class KeysRotate extends CtxCommand<typeof KeysRotate> {
  static override summary = "Wrap the store's data keys under a new key-encryption key, without rewriting the data."
  static override description =
    'The new key replaces the old key file (made beside it first, then renamed over it once the store records it), so the old key is gone; with --new-key-file the new key goes there and the old file is left for you to destroy. From then on the old key is refused (exit 7). Back up the new key file.'

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --key-file old.key --new-key-file new.key --json']

  static override flags = {
    'new-key-file': Flags.string({summary: 'Where to make the new key (default: in place of the current key file).'}),
  }

  async run(): Promise<KeysRotateResult> {
    const result = await rotateKeys(await this.openStore(), {newKeyFile: this.flags['new-key-file'], now: nowIso(this.clock)})
    if (!this.jsonEnabled()) {
      this.log(color.green(`Wrapped ${result.dataKeys} data keys of ${result.store} under the key ${result.to} (was ${result.from}).`))
      this.log(`The key is in ${result.keyFile}: back it up; the old key no longer opens this store.`)
    }
    return result
  }
}
