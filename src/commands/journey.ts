import {Args, Flags} from '@oclif/core'
import {nowIso} from '../core/clock.js'
import {customerJourney, JOURNEY_PAGE, type Journey} from '../core/journey.js'
import {touchRecent} from '../core/recent.js'
import {CtxCommand} from '../ux/base-command.js'
import {mediaListFlag} from '../ux/flags.js'
import {grouped} from '../ux/numbers.js'
import {journeyBlocks} from '../ux/journey.js'

export type JourneyResult = Journey

export default class JourneyCommand extends CtxCommand<typeof JourneyCommand> {
  static override summary = 'A customer’s story: the newest activities first, grouped under their requests, with comments.'
  static override description = `CUSTOMER is a customer id, or an email or phone number exactly one customer has. Shows the ${JOURNEY_PAGE} newest activities (--limit), then says how to see older ones (--cursor), or all at once (--all). Times show both relative and absolute; links are clickable where the terminal supports it. --json gives the same structure: {customer, filters, counts, groups: [{request, comments, activities: [{activity, comments}], latest}], shown, next}; counts are the whole journey's.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b',
    '<%= config.bin %> <%= command.id %> ada@example.com --media voice,chat --since 7d',
    '<%= config.bin %> <%= command.id %> ID --request REQUEST --all --json',
  ]

  static override args = {
    customer: Args.string({description: 'Customer id, or an email or phone number.'}),
  }

  static override flags = {
    media: mediaListFlag,
    since: Flags.string({summary: 'Only activities since then: 2026-01-31, 2026-01-31T09:00:00Z, or a span back from now (12h, 7d, 2w).'}),
    request: Flags.string({summary: 'Only this request of the customer (id).'}),
    limit: Flags.integer({summary: 'Activities per page, newest first.', default: JOURNEY_PAGE, min: 1, max: 1000, exclusive: ['all']}),
    cursor: Flags.string({summary: 'Older activities: the `next` cursor of the previous page.', exclusive: ['all']}),
    all: Flags.boolean({summary: 'Every activity, in one page.'}),
  }

  async run(): Promise<JourneyResult> {
    const customer = await this.customerRef(this.args.customer, 'Customer id, email or phone', 'the customer as an argument')
    const session = await this.session()
    const journey = await customerJourney(session, customer, {
      media: this.flags.media,
      since: this.flags.since,
      requestId: this.flags.request === undefined ? undefined : (await this.idOf(this.flags.request, 'request id')),
    }, {limit: this.flags.limit, cursor: this.flags.cursor, all: this.flags.all})
    await touchRecent(this.recentFile, session.store.location, {id: journey.customer.id, at: nowIso(session.clock), action: 'viewed'})
    if (!this.jsonEnabled()) {
      this.logBlocks(journeyBlocks(journey, await session.store.definitions(), session.clock()))
      if (journey.next) this.log(`\n${grouped(journey.shown)} of ${grouped(journey.counts.activities)} activities shown. Older ones: --cursor ${journey.next} (or --all).`)
    }
    return journey
  }
}
