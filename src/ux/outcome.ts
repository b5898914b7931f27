// How ctx reports an error and ends: the message and hint on stderr, `{"error": …}` on stdout under
// --json, the exit code of the error (never 1 for something a user did), and the process ended only
// once stdout and stderr are written out: a pipe takes 64 KiB at a time, and process.exit drops
// what it has not taken. Commands report through CtxCommand.catch; errors from before a command
// runs (an unknown command, --version) come here from bin/run.js.
import {Errors} from '@oclif/core'
import {ExitCode, isCtxError, UsageError} from '../core/errors.js'
import {stdoutFailure} from './stdout.js'
import {suggestCommand} from './suggest.js'

type OclifError = Error & {oclif?: {exit?: number}}

/** Exit status of a cancelled prompt (Ctrl-C), as a shell reports a process ended by SIGINT. */
export const CANCELLED_EXIT = 130

/** A prompt closed by Ctrl-C (or Escape): @inquirer/prompts rejects with one of these. */
export function isCancelledPrompt(error: unknown): boolean {
  const name = (error as Error | undefined)?.name
  return name === 'ExitPromptError' || name === 'AbortPromptError'
}

export function exitCodeOf(error: OclifError): number {
  if (isCtxError(error)) return error.exitCode
  if (isCancelledPrompt(error)) return CANCELLED_EXIT
  const oclifExit = error.oclif?.exit
  if (typeof oclifExit === 'number') return oclifExit === 127 ? ExitCode.usage : oclifExit
  return ExitCode.bug
}

export function describeError(error: unknown): Record<string, unknown> {
  if (isCtxError(error)) return error.toJSON()
  const err = error as OclifError
  const exitCode = exitCodeOf(err)
  const code = exitCode === ExitCode.usage ? 'USAGE' : exitCode === CANCELLED_EXIT ? 'CANCELLED' : 'UNEXPECTED'
  return {code, exitCode, message: exitCode === CANCELLED_EXIT ? 'cancelled; nothing was changed' : err.message}
}

export function formatError(error: Error, exitCode: number): string {
  if (exitCode === CANCELLED_EXIT) return 'Cancelled; nothing was changed.'
  const debug = Boolean(process.env.DEBUG)
  if (exitCode === ExitCode.bug) {
    const detail = debug ? `\n${error.stack}` : '\n(This is a bug in ctx. Run again with DEBUG=1 to see the stack trace, and report it.)'
    return `Error: unexpected failure: ${error.message}${detail}`
  }
  const lines = [`Error: ${error.message}`]
  if (isCtxError(error) && error.hint) lines.push(`Hint: ${error.hint}`)
  if (debug && error.stack) lines.push(error.stack)
  return lines.join('\n')
}

/** Whether the command line asks for JSON: --json before any `--`. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json')
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
export function written(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    stream.write('', () => resolve())
    stream.once('error', () => resolve())
  })
}

/** Ends the process with `code` once stdout and stderr are written out. */
export async function exitWhenWritten(code: number): Promise<never> {
  await Promise.all([written(process.stdout), written(process.stderr)])
  process.exit(code)
}

/**
 * The end of a run that succeeded, with the exit code the command chose (6: partial success) or 0,
 * as soon as its output is written out: left to end by itself once nothing is pending, Node first
 * runs the garbage collection V8 has scheduled and frees the heap page by page, ~5-10 ms of a
 * `customers show` (bench P1).
 */
export async function succeed(): Promise<never> {
  // A failed write is heard a few ticks after it (src/ux/stdout.ts): once the output is written
  // out, one turn of the event loop lets its 'error' be heard.
  await written(process.stdout)
  await new Promise(setImmediate)
  const failed = stdoutFailure()
  if (failed) {
    process.stderr.write(`${formatError(failed, failed.exitCode)}\n`)
    return exitWhenWritten(failed.exitCode)
  }
  const code = process.exitCode
  return exitWhenWritten(code === undefined || code === null ? 0 : Number(code))
}

/**
 * The end of a run that threw: an exit a command chose (its error is already reported), or an error
 * from outside any command, reported here as a command would report it. An unknown command is a
 * usage error that names the closest command by its words, and runs nothing.
 */
export async function fail(error: unknown, argv: readonly string[], commandIds: readonly string[]): Promise<never> {
  if (error instanceof Errors.ExitError) return exitWhenWritten(error.oclif.exit ?? ExitCode.bug)
  let reported = error as OclifError
  if (/^command .* not found$/.test(reported.message ?? '')) reported = unknownCommand(argv, commandIds)
  const exitCode = exitCodeOf(reported)
  if (wantsJson(argv)) process.stdout.write(`${JSON.stringify({error: describeError(reported)}, null, 2)}\n`)
  process.stderr.write(`${formatError(reported, exitCode)}\n`)
  return exitWhenWritten(exitCode)
}

function unknownCommand(argv: readonly string[], commandIds: readonly string[]): UsageError {
  const words = leadingWords(argv)
  const suggestion = suggestCommand(words, commandIds)
  const typed = words.join(' ')
  const hint = suggestion
    ? `Did you mean \`ctx ${[...suggestion.split(':'), ...words.slice(suggestion.split(':').length)].join(' ')}\`? Nothing was run; \`ctx help\` lists the commands.`
    : 'Run `ctx help` for a list of the commands.'
  return new UsageError(`"${typed}" is not a ctx command`, {hint, ...(suggestion ? {details: {suggestion: suggestion.split(':').join(' ')}} : {})})
}

/** The words of the command line before its first flag. */
function leadingWords(argv: readonly string[]): string[] {
  const end = argv.findIndex((arg) => arg.startsWith('-'))
  return [...(end < 0 ? argv : argv.slice(0, end))]
}

/** `ctx --version --json`: the version as a JSON object, or undefined for any other command line. */
export function versionJson(argv: readonly string[], userAgent: string, version: string): string | undefined {
  const words = new Set(argv)
  if (argv.length !== 2 || !words.has('--json') || !(words.has('--version') || words.has('-v') || words.has('version'))) return undefined
  return `${JSON.stringify({version, userAgent, node: process.version, platform: process.platform, arch: process.arch}, null, 2)}\n`
}
