import {Flags} from '@oclif/core'
import {listActivities} from '../../core/activities.js'
import type {ContextObject} from '../../core/model.js'
import type {Page} from '../../core/storage/store.js'
import {activityListTable} from '../../ux/activities.js'
import {listFlags, printList} from '../../ux/list.js'
import {CtxCommand} from '../../ux/base-command.js'
import {mediaListFlag, pageFlags, queryFlag, tagFlag} from '../../ux/flags.js'

export type ActivitiesListResult = Page<ContextObject>

export default class ActivitiesList extends CtxCommand<typeof ActivitiesList> {
  static override summary = 'List activities, newest update first.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --customer ID --media voice,chat',
    '<%= config.bin %> <%= command.id %> --request ID --tag vip --json',
    '<%= config.bin %> <%= command.id %> --query \'router AND lastUpdated:>=2026-01-01\' --limit 20',
  ]

  static override flags = {
    customer: Flags.string({summary: 'Only this customer’s activities (id).'}),
    request: Flags.string({summary: 'Only the activities in this request (id).'}),
    media: mediaListFlag,
    tag: tagFlag('Only activities with this tag (repeatable: all of them).'),
    query: queryFlag,
    ...pageFlags,
    ...listFlags,
  }

  async run(): Promise<ActivitiesListResult> {
    const session = await this.session()
    const page = await listActivities(session, {
      customerId: this.flags.customer === undefined ? undefined : (await this.idOf(this.flags.customer, 'customer id')),
      requestId: this.flags.request === undefined ? undefined : (await this.idOf(this.flags.request, 'request id')),
      media: this.flags.media,
      tags: this.flags.tag,
      query: this.flags.query,
      limit: this.flags.limit,
      cursor: this.flags.cursor,
    })
    if (!this.jsonEnabled()) printList(activityListTable(page.items, session.clock(), {...this.flags, empty: 'No activities match.'}), page.next, this.flags)
    return page
  }
}
