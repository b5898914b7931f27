// What became of standard output. @oclif/core, when it loads, listens for stdout's errors and throws
// any but EPIPE from the listener: an uncaught exception, so `ctx export > file` on a full disk ended
// with exit 1, a stack trace and a line of the bundle. ctx listens in its place: a reader that went
// away (`ctx export | head`) has all it wanted; any other failure is exit 7 (README, "Scripting"),
// reported once the command has ended (src/ux/outcome.ts), or at once by a command that streams.
import {StorageError} from '../core/errors.js'

let failure: NodeJS.ErrnoException | undefined

/** Listens for stdout's failures in place of every listener before it (oclif's). */
export function watchStdout(): void {
  process.stdout.removeAllListeners('error')
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    failure ??= error
  })
}

/** The reading end of stdout was closed (`| head`): the reader has all it wanted. */
export function readerGone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE'
}

/**
 * Why stdout took no more, as exit 7, or undefined when it took everything or its reader went
 * away: `streaming`, for a command that stops at the failed write; else the command ran to its end.
 */
export function stdoutFailure(streaming = false): StorageError | undefined {
  if (failure === undefined || readerGone(failure)) return undefined
  return streaming
    ? new StorageError(`cannot write standard output: ${failure.message}; the output stops there`, {
        hint: 'Free some space or send the output elsewhere (-o FILE), and run it again.',
        cause: failure,
      })
    : new StorageError(`cannot write standard output: ${failure.message}; the command ran to its end, but what it printed is incomplete`, {
        hint: 'What the command changed is changed: check before running it again. Free some space or send the output elsewhere.',
        cause: failure,
      })
}
