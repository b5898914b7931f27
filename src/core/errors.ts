// Typed errors: each carries the exit code of the README's table ("Scripting"), where it happened, and what to do about it.
// Commands never pick exit codes themselves; they throw one of these and the CLI maps it.

export const ExitCode = {
  ok: 0,
  bug: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  invalid: 5,
  partial: 6,
  unavailable: 7,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export interface ErrorDetails {
  /** What the user can do about it, printed as "Hint:". */
  hint?: string
  /** Where: an object id, a field id, a file:line. */
  where?: string
  /** Anything machine-readable a script might want (ids in use, counts...). */
  details?: Record<string, unknown>
  cause?: unknown
}

export abstract class CtxError extends Error {
  abstract readonly exitCode: ExitCodeValue
  abstract readonly code: string
  readonly hint?: string
  readonly where?: string
  readonly details?: Record<string, unknown>

  constructor(message: string, extra: ErrorDetails = {}) {
    super(message, extra.cause === undefined ? undefined : {cause: extra.cause})
    this.name = new.target.name
    this.hint = extra.hint
    this.where = extra.where
    this.details = extra.details
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      exitCode: this.exitCode,
      message: this.message,
      ...(this.where === undefined ? {} : {where: this.where}),
      ...(this.hint === undefined ? {} : {hint: this.hint}),
      ...(this.details === undefined ? {} : {details: this.details}),
    }
  }
}

export class UsageError extends CtxError {
  readonly exitCode = ExitCode.usage
  readonly code = 'USAGE'
}

export class NotFoundError extends CtxError {
  readonly exitCode = ExitCode.notFound
  readonly code = 'NOT_FOUND'
}

export class ConflictError extends CtxError {
  readonly exitCode = ExitCode.conflict
  readonly code = 'CONFLICT'
}

export class InvalidDataError extends CtxError {
  readonly exitCode = ExitCode.invalid
  readonly code = 'INVALID_DATA'
}

export class StorageError extends CtxError {
  readonly exitCode = ExitCode.unavailable
  readonly code = 'STORAGE_UNAVAILABLE'
}

/**
 * The store's lock stayed held by another process past the timeout. Still exit 7 for most
 * commands; the sweep tells it apart because for cron it means "another run is busy" (exit 4).
 */
export class LockTimeoutError extends StorageError {}

export function isCtxError(error: unknown): error is CtxError {
  return error instanceof CtxError
}
