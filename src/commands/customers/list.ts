import {listCustomers} from '../../core/customers.js'
import type {ContextObject} from '../../core/model.js'
import type {Page} from '../../core/storage/store.js'
import {CtxCommand} from '../../ux/base-command.js'
import {pageFlags} from '../../ux/flags.js'
import {listFlags, printList} from '../../ux/list.js'
import {objectListTable} from '../../ux/render.js'

export type CustomersListResult = Page<ContextObject>

export default class CustomersList extends CtxCommand<typeof CustomersList> {
  static override summary = 'Every customer, a page at a time, newest first.'
  static override description = 'Pass the printed --cursor (or the "next" of --json) for the following page; `customers search` finds customers by what you know about them.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --limit 200 --json', '<%= config.bin %> <%= command.id %> --csv --columns id,name']

  static override flags = {...pageFlags, ...listFlags}

  async run(): Promise<CustomersListResult> {
    const session = await this.session()
    const page = await listCustomers(session, {limit: this.flags.limit, cursor: this.flags.cursor})
    if (!this.jsonEnabled()) printList(objectListTable(page.items, {...this.flags, empty: 'No customers yet: ctx customers create --first-name …'}), page.next, this.flags)
    return page
  }
}
