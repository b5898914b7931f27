// The auto-close sweep (rule 3): every active request with no update on it, its activities,
// or a comment on either for longer than a threshold is closed with closeReason `auto`. Built for
// cron: one store transaction, idempotent, and safe when runs overlap.
import {parseDuration} from './clock.js'
import {ConflictError, LockTimeoutError, StorageError} from './errors.js'
import type {Session} from './objects.js'

/** rule 3: five days, unless `--after` says otherwise. */
export const DEFAULT_SWEEP_AFTER = '5d'

export interface SweepOptions {
  /** How long a request may go without an update: a duration text (`5d`) or ms. */
  after?: string | number
  /** Report what would close, changing nothing. */
  dryRun?: boolean
}

export interface SweepOutcome {
  /** Ids of the requests closed (or that would close on a dry run), sorted. */
  closed: string[]
  /** Active requests examined. */
  scanned: number
  dryRun: boolean
  /** Requests whose latest update is before this instant were stale. */
  cutoff: string
  /** The closedAt written on the requests this run closed. */
  closedAt: string
}

/**
 * Applies the auto-close rule once, as a single store transaction. A run that cannot get the
 * store because another holds it past the lock timeout is a conflict (exit 4): for cron that means
 * "another sweep is busy", and the next run catches up, since a sweep only closes what is stale then.
 */
export async function sweepStale(session: Session, options: SweepOptions = {}): Promise<SweepOutcome> {
  const after = typeof options.after === 'number' ? options.after : parseDuration(options.after ?? DEFAULT_SWEEP_AFTER, '--after')
  const now = session.clock().getTime()
  const closedAt = new Date(now).toISOString()
  const cutoff = new Date(now - after).toISOString()
  const dryRun = options.dryRun ?? false
  try {
    const {closed, scanned} = await session.store.transaction((tx) => tx.closeStaleRequests({cutoff, closedAt, dryRun}))
    if (scanned === 0) await requireExistingStore(session)
    return {closed, scanned, dryRun, cutoff, closedAt}
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error
    throw new ConflictError(`another sweep (or another ctx process) is holding ${session.store.location}; this sweep closed nothing`, {
      where: session.store.location,
      hint: 'Overlapping sweeps are safe: the one running closes what is stale, and the next run catches up. CTX_LOCK_TIMEOUT_MS sets how long to wait.',
      details: {reason: error.message},
      cause: error,
    })
  }
}

/**
 * A crontab line with a mistyped store path would otherwise report "closed 0 of 0" forever. Asked
 * only when nothing was scanned, so a busy store pays nothing for it.
 */
async function requireExistingStore(session: Session): Promise<void> {
  if ((await session.store.info()).initialized) return
  throw new StorageError(`there is no store at ${session.store.location}; nothing to sweep`, {
    where: session.store.location,
    hint: 'Check --store or CTX_STORE (in a crontab, give the full path); `ctx store info` shows what a store holds.',
  })
}
