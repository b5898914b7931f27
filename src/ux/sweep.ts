// The sweep's one line for cron logs: "closed 12 of 3,402 active requests in 0.4 s".
import type {SweepOutcome} from '../core/sweep.js'

const count = new Intl.NumberFormat('en-US')

export function sweepSummary(outcome: Pick<SweepOutcome, 'closed' | 'scanned' | 'dryRun'>, seconds: number): string {
  const verb = outcome.dryRun ? 'would close' : 'closed'
  const noun = outcome.scanned === 1 ? 'active request' : 'active requests'
  const took = seconds < 0.1 ? seconds.toFixed(2) : seconds.toFixed(1)
  return `${verb} ${count.format(outcome.closed.length)} of ${count.format(outcome.scanned)} ${noun} in ${took} s${outcome.dryRun ? ' (dry run: nothing changed)' : ''}`
}
