// The desk's keys around @inquirer/prompts: Esc goes back (the prompt is aborted through its
// AbortSignal, as Inquirer's README shows), Ctrl-C leaves the desk. Ctrl-C outside a prompt (while
// the store is read or written) is a SIGINT: a write in progress is finished first, so nothing is
// left half-done. Self-contained: the other commands' Ctrl-C handling (base-command.ts) is not used.
import type {select} from '@inquirer/prompts'

/** What every prompt takes beside its config: here, the signal that Esc aborts. */
type Context = NonNullable<Parameters<typeof select>[1]>

export const BACK = Symbol('back')
export type Back = typeof BACK

/** Thrown when the agent presses Ctrl-C: the desk leaves with exit 130. */
export class DeskInterrupt extends Error {
  constructor() {
    super('interrupted')
    this.name = 'DeskInterrupt'
  }
}

export class DeskKeys {
  private controller: AbortController | null = null
  private writes = 0
  private interrupted = false
  private readonly onKeypress = (_: unknown, key: {name?: string} | undefined) => {
    if (key?.name === 'escape') this.controller?.abort()
  }

  private readonly onSigint = () => {
    this.interrupted = true
  }

  constructor(private readonly input: NodeJS.ReadStream = process.stdin) {}

  start(): void {
    this.input.on('keypress', this.onKeypress)
    process.on('SIGINT', this.onSigint)
  }

  stop(): void {
    this.input.off('keypress', this.onKeypress)
    process.off('SIGINT', this.onSigint)
  }

  /** Runs a prompt: its answer, BACK on Esc; DeskInterrupt on Ctrl-C (or one pressed before it). */
  async ask<T>(prompt: (context: Context) => Promise<T>): Promise<T | Back> {
    this.check()
    this.controller = new AbortController()
    try {
      return await prompt({signal: this.controller.signal})
    } catch (error) {
      const name = (error as Error | undefined)?.name
      if (name === 'AbortPromptError') return BACK
      if (name === 'ExitPromptError') throw new DeskInterrupt()
      throw error
    } finally {
      this.controller = null
    }
  }

  /** A change to the store: finished even when Ctrl-C comes during it, then the desk leaves. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    this.check()
    this.writes++
    try {
      return await work()
    } finally {
      this.writes--
    }
  }

  /** Leaves now when Ctrl-C was pressed outside a prompt. */
  check(): void {
    if (this.interrupted && this.writes === 0) throw new DeskInterrupt()
  }
}
