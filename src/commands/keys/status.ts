import {type KeyStatus, keyStatus} from '../../core/crypto/admin.js'
import {nowIso} from '../../core/clock.js'
import {CtxCommand} from '../../ux/base-command.js'
import {keyStatusTable} from '../../ux/keys.js'

export type KeysStatusResult = KeyStatus

export default class KeysStatus extends CtxCommand<typeof KeysStatus> {
  static override summary = "The store's encryption keys: the key's fingerprint, where the key file is, and its age."
  static override description =
    "PII and ENCRYPTED values are encrypted under data keys wrapped by a key-encryption key kept outside the store (--key-file, CTX_KEY_FILE, or a file named after the store in the config directory). This shows which key the store needs, whether the key file found is that key, and how old it is."

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --store team.json --json']

  async run(): Promise<KeysStatusResult> {
    const status = await keyStatus(await this.openStore(), nowIso(this.clock))
    if (!this.jsonEnabled()) this.log(keyStatusTable(status))
    return status
  }
}
