import {type RecentCustomer, resolveRecent} from '../../core/customers.js'
import {displayName} from '../../core/model.js'
import {forgetRecent, listRecent} from '../../core/recent.js'
import {CtxCommand} from '../../ux/base-command.js'
import {formatList, listFlags, stdoutShape} from '../../ux/list.js'
import {color} from '../../ux/render.js'

/** A list, as every list prints it: `next` is always null (up to 10 customers, one page). */
export interface CustomersRecentResult {
  items: RecentCustomer[]
  next: null
}

export default class CustomersRecent extends CtxCommand<typeof CustomersRecent> {
  static override summary = 'The last 10 customers you created, viewed or changed, and which have active requests.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  static override flags = listFlags

  async run(): Promise<CustomersRecentResult> {
    const session = await this.session()
    const entries = await listRecent(this.recentFile, session.store.location)
    const {items, missing} = await resolveRecent(session, entries)
    if (missing.length > 0) await forgetRecent(this.recentFile, session.store.location, missing)
    const rows = items.map((item) => {
      const active = item.activeRequests > 0 ? color.green(String(item.activeRequests)) : color.dim('0')
      return [displayName(item.customer), item.customer.id, active, item.action, item.lastTouched]
    })
    const empty = 'No recent customers yet: create, show or update one.'
    if (!this.jsonEnabled()) this.log(formatList(['Name', 'Id', 'Active requests', 'Last', 'When'], rows, {...this.flags, empty}, stdoutShape()))
    return {items, next: null}
  }
}
