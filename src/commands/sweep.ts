import {Flags} from '@oclif/core'
import {DEFAULT_SWEEP_AFTER, sweepStale, type SweepOutcome} from '../core/sweep.js'
import {CtxCommand} from '../ux/base-command.js'
import {sweepSummary} from '../ux/sweep.js'

export interface SweepResult extends SweepOutcome {
  /** Wall-clock time of the run, store opening included. */
  seconds: number
}

export default class Sweep extends CtxCommand<typeof Sweep> {
  static override summary = 'Close every active request with no update for 5 days (the auto-close rule); built for cron.'
  static override description = `A request's latest update is the newest lastUpdated of the request, its activities, and comments or feedback on either. Each request older than --after is closed with closeReason "auto".

Prints one summary line (with --json: {closed, scanned, dryRun, cutoff, closedAt, seconds}) and exits 0 whenever it ran, closed or not. Running it again closes nothing new; overlapping runs close each request once, and a run that cannot get the store in time (CTX_LOCK_TIMEOUT_MS, default 20 s) exits 4.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --after 36h --dry-run',
    'CTX_NOW=2026-02-01T00:00:00Z <%= config.bin %> <%= command.id %> --dry-run --json',
  ]

  static override flags = {
    after: Flags.string({
      summary: 'Close requests with no update for this long: 5d, 36h, 90m, 1d12h…',
      default: DEFAULT_SWEEP_AFTER,
    }),
    'dry-run': Flags.boolean({summary: 'Report what would close, changing nothing.'}),
  }

  async run(): Promise<SweepResult> {
    const started = performance.now()
    const outcome = await sweepStale(await this.session(), {after: this.flags.after, dryRun: this.flags['dry-run']})
    const seconds = (performance.now() - started) / 1000
    if (!this.jsonEnabled()) this.log(sweepSummary(outcome, seconds))
    return {...outcome, seconds: Math.round(seconds * 1000) / 1000}
  }
}
