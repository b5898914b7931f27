// Ctrl-C in a long write (import, seed): the progress bar stopped, what is true of the store said on
// stderr (and under --json, as every error is, as {"error": …} on stdout), and the exit a shell
// expects of a process ended by SIGINT (130), never a stack trace.
import {CANCELLED_EXIT, exitWhenWritten} from './outcome.js'
import type {Progress} from './progress.js'

/** How `work` ended: what `report` is given once it has. */
export type WorkEnd<T> = PromiseSettledResult<T>

/**
 * Runs `work`. A Ctrl-C (SIGINT) while it runs aborts `work`'s signal, and the process ends with
 * 130 once `report`'s text is on stderr; the promise returned then never settles, so the command
 * goes no further. A work that stops at a safe point when its signal is aborted (seed) is waited for
 * through `ended`, so that its report says exactly what was committed; one that cannot stop between
 * its writes (import) reports at once what it knows. A second Ctrl-C ends the process at once.
 */
export function interruptible<T>(
  progress: Progress,
  work: (signal: AbortSignal) => Promise<T>,
  report: (ended: Promise<WorkEnd<T>>) => string | Promise<string>,
  json = false,
): Promise<T> {
  const controller = new AbortController()
  const ended: Promise<WorkEnd<T>> = work(controller.signal).then(
    (value) => ({status: 'fulfilled', value}),
    (reason: unknown) => ({status: 'rejected', reason}),
  )
  let interrupted = false
  const onInterrupt = async () => {
    if (interrupted) process.exit(CANCELLED_EXIT)
    interrupted = true
    controller.abort()
    const text = await report(ended)
    progress.stop()
    if (json) process.stdout.write(`${JSON.stringify({error: {code: 'INTERRUPTED', exitCode: CANCELLED_EXIT, message: text}}, null, 2)}\n`)
    process.stderr.write(`\n${text}\n`)
    await exitWhenWritten(CANCELLED_EXIT)
  }
  // Not `once`: signal-exit (the file store's lock and temporary files) ends the process on a
  // signal nobody else listens to, and a `once` listener is gone before signal-exit's is called.
  process.on('SIGINT', onInterrupt)
  return new Promise<T>((resolve, reject) => {
    void ended.then((end) => {
      if (interrupted) return
      process.off('SIGINT', onInterrupt)
      progress.stop()
      if (end.status === 'fulfilled') resolve(end.value)
      else reject(end.reason)
    })
  })
}
