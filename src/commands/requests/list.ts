import {Flags} from '@oclif/core'
import type {ContextObject} from '../../core/model.js'
import {listRequests, REQUEST_STATES} from '../../core/requests.js'
import type {Page} from '../../core/storage/store.js'
import {requestListTable} from '../../ux/activities.js'
import {listFlags, printList} from '../../ux/list.js'
import {CtxCommand} from '../../ux/base-command.js'
import {pageFlags, queryFlag} from '../../ux/flags.js'

export type RequestsListResult = Page<ContextObject>

export default class RequestsList extends CtxCommand<typeof RequestsList> {
  static override summary = 'List requests, newest update first.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --customer ID --state active',
    '<%= config.bin %> <%= command.id %> --state closed --query \'Context_Title:router\' --json',
  ]

  static override flags = {
    customer: Flags.string({summary: 'Only this customer’s requests (id).'}),
    state: Flags.string({summary: 'Only active or only closed requests.', options: [...REQUEST_STATES]}),
    query: queryFlag,
    ...pageFlags,
    ...listFlags,
  }

  async run(): Promise<RequestsListResult> {
    const customerId = this.flags.customer === undefined ? undefined : (await this.idOf(this.flags.customer, 'customer id'))
    const session = await this.session()
    const page = await listRequests(session, {
      customerId,
      state: this.flags.state as (typeof REQUEST_STATES)[number] | undefined,
      query: this.flags.query,
      limit: this.flags.limit,
      cursor: this.flags.cursor,
    })
    if (!this.jsonEnabled()) {
      printList(requestListTable(page.items, session.clock(), customerId === undefined, {...this.flags, empty: 'No requests match.'}), page.next, this.flags)
    }
    return page
  }
}
