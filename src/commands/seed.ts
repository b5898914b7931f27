import {Flags} from '@oclif/core'
import {nowIso, parseInstant} from '../core/clock.js'
import {type SeedSummary, seedStore} from '../core/seed.js'
import {UsageError} from '../core/errors.js'
import {CtxCommand} from '../ux/base-command.js'
import {progressBar} from '../ux/progress.js'

export type SeedResult = SeedSummary & {store: string; seconds: number}

export default class Seed extends CtxCommand<typeof Seed> {
  static override summary = 'Fill a store with deterministic synthetic customers, requests, activities and comments.'
  static override description =
    'The same --seed gives the same objects, ids included; with the same --now (or CTX_NOW) the store is byte-identical. About 10% of requests are active but stale (for `ctx sweep`), 20% closed. Seeding the same seed twice into one store is refused (externalIds repeat).'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --customers 100 --store /tmp/ci.json',
    '<%= config.bin %> <%= command.id %> --customers 5000 --requests-per-customer 2 --activities-per-request 3 --seed 42 --now 2026-01-31T00:00:00Z --json',
    "<%= config.bin %> <%= command.id %> --customers 100000 --store 'postgres://ctx@db.example.com/ctx'",
  ]

  static override flags = {
    customers: Flags.integer({summary: 'How many customers (required).', min: 0}),
    'requests-per-customer': Flags.integer({summary: 'Requests per customer.', default: 2, min: 0}),
    'activities-per-request': Flags.integer({summary: 'Activities per request (about 30% get a comment).', default: 3, min: 0}),
    seed: Flags.string({summary: 'Seed of the generator: same seed, same data.', default: '1'}),
    now: Flags.string({summary: 'ISO instant the data is laid out back from (default: CTX_NOW or the clock).'}),
  }

  async run(): Promise<SeedResult> {
    if (this.flags.customers === undefined) {
      throw new UsageError('--customers is required: how many customers to make', {hint: 'For example: ctx seed --customers 100 --store /tmp/lab.json'})
    }
    const now = this.flags.now === undefined ? nowIso(this.clock) : parseInstant(this.flags.now, '--now').toISOString()
    const store = await this.openStore()
    const started = performance.now()
    const customers = this.flags.customers!
    const progress = progressBar('Seeding', !this.jsonEnabled(), process.stderr, 'customers')
    let summary: SeedSummary
    try {
      summary = await seedStore(
        store,
        {customers, requestsPerCustomer: this.flags['requests-per-customer'], activitiesPerRequest: this.flags['activities-per-request'], seed: this.flags.seed, now},
        (done) => progress.update(done, customers > 0 ? done / customers : null),
      )
    } finally {
      progress.stop()
    }
    const seconds = Number(((performance.now() - started) / 1000).toFixed(2))
    const {customer, request, activity, comment} = summary.counts
    this.log(
      `seeded ${customer.toLocaleString('en-US')} customers, ${request.toLocaleString('en-US')} requests (${summary.staleRequests.toLocaleString('en-US')} stale), ` +
        `${activity.toLocaleString('en-US')} activities and ${comment.toLocaleString('en-US')} comments into ${store.location} in ${seconds} s`,
    )
    return {...summary, store: store.location, seconds}
  }
}
