import {Flags} from '@oclif/core'
import {nowIso, parseInstant} from '../core/clock.js'
import {type SeedSummary, SeedInterrupted, seedStore} from '../core/seed.js'
import {UsageError} from '../core/errors.js'
import {counted} from '../ux/render.js'
import {CtxCommand} from '../ux/base-command.js'
import {interruptible, type WorkEnd} from '../ux/interrupt.js'
import {progressBar} from '../ux/progress.js'

export type SeedResult = SeedSummary & {store: string; seconds: number}

export default class Seed extends CtxCommand<typeof Seed> {
  static override summary = 'Fill a store with deterministic synthetic customers, requests, activities and comments.'
  static override description =
    'The same --seed gives the same objects, ids included; with the same --now (or CTX_NOW) the store is byte-identical. About 10% of requests are active but stale (for `ctx sweep`), 20% closed. Seeding twice into one store is refused, whatever --seed (the externalIds seed-customer-N repeat).\n\nCtrl-C stops it and says what the store keeps: a file store takes a seed in one write at its end, so nothing unless that write had begun; PostgreSQL commits chunks of 1,000 customers, each with everything under it, and the chunks being written are finished first.'
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
    const summary = await interruptible(
      progress,
      (signal) =>
        seedStore(
          store,
          {customers, requestsPerCustomer: this.flags['requests-per-customer'], activitiesPerRequest: this.flags['activities-per-request'], seed: this.flags.seed, now, signal},
          (done) => progress.update(done, customers > 0 ? done / customers : null),
        ),
      async (ended) => seedInterrupted(await ended, customers),
      this.jsonEnabled(),
    )
    const seconds = Number(((performance.now() - started) / 1000).toFixed(2))
    const {customer, request, activity, comment} = summary.counts
    this.log(
      `seeded ${customer.toLocaleString('en-US')} customers, ${request.toLocaleString('en-US')} requests (${summary.staleRequests.toLocaleString('en-US')} stale), ` +
        `${activity.toLocaleString('en-US')} activities and ${comment.toLocaleString('en-US')} comments into ${store.location} in ${seconds} s`,
    )
    return {...summary, store: store.location, seconds}
  }
}

/**
 * What a Ctrl-C left in the store, once the seed has stopped (src/core/seed.ts): whole customers
 * only, each with everything under it. A second seed into the same store is refused whatever
 * --seed (the externalIds seed-customer-N repeat), so the way on is a store without them.
 */
function seedInterrupted(end: WorkEnd<SeedSummary>, customers: number): string {
  const committed = end.status === 'fulfilled' ? customers : end.reason instanceof SeedInterrupted ? end.reason.customersCommitted : undefined
  if (committed === undefined) {
    const {reason} = end as PromiseRejectedResult
    return `Interrupted, and the seed failed as it stopped: ${reason instanceof Error ? reason.message : String(reason)}. What was committed stays in the store.`
  }
  if (committed === 0) return 'Interrupted before anything was written: the store is as it was. Run the same seed again to make it.'
  const kept = `${committed === customers ? 'all' : `${committed.toLocaleString('en-US')} of`} ${counted(customers, 'customer')}`
  return (
    `Interrupted: ${kept} are committed, each with its requests, activities and comments${committed === customers ? '' : '; nothing of the others is'}. ` +
    'Seeding into this store again is refused, whatever --seed (the externalIds seed-customer-N repeat): seed into a new store, or first empty this one with `ctx store flush` if it is a lab store.'
  )
}
