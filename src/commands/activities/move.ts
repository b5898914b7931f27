import {Args, Flags} from '@oclif/core'
import {type MovedActivity, moveActivity} from '../../core/activities.js'
import {touchRecent} from '../../core/recent.js'
import {movedSentence} from '../../ux/activities.js'
import {CtxCommand} from '../../ux/base-command.js'
import {ifLastUpdatedFlag} from '../../ux/flags.js'

export type ActivitiesMoveResult = MovedActivity

export default class ActivitiesMove extends CtxCommand<typeof ActivitiesMove> {
  static override summary = 'Move an activity to another customer, and optionally into one of their active requests.'
  static override description =
    'Neither the request it leaves nor the one it enters may be closed (exit 4); --to-request must belong to --to-customer (exit 5). Both requests count the move as an update, and an immutable system comment on the activity records who moved it, from where, and when.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> ID --to-customer CUSTOMER',
    '<%= config.bin %> <%= command.id %> ID --to-customer CUSTOMER --to-request REQUEST --json',
  ]

  static override args = {
    id: Args.string({description: 'Activity id.'}),
  }

  static override flags = {
    'to-customer': Flags.string({summary: 'The customer it moves to (id); may be its own, to move it between requests.'}),
    'to-request': Flags.string({summary: 'An active request of that customer to move it into (id); without it, it ends up outside any request.'}),
    'if-last-updated': ifLastUpdatedFlag,
  }

  async run(): Promise<ActivitiesMoveResult> {
    const id = await this.idOf(await this.required(this.args.id, 'Activity id', 'the activity id as an argument', (text) => this.idOf(text, 'activity id')), 'activity id')
    const toCustomerId = await this.idOf(await this.customerRef(this.flags['to-customer'], 'Customer to move it to', '--to-customer'), 'customer id')
    const toRequest = this.flags['to-request']
    const session = await this.session()
    const moved = await moveActivity(session, id, {
      toCustomerId,
      toRequestId: toRequest === undefined ? undefined : (await this.idOf(toRequest, 'request id')),
      ifLastUpdated: this.flags['if-last-updated'],
    })
    if (moved.moved) await touchRecent(this.recentFile, session.store.location, {id: toCustomerId, at: moved.activity.lastUpdated, action: 'updated'})
    this.log(movedSentence(moved))
    return moved
  }
}
