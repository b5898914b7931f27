// Runs the built CLI in a real terminal: a detached tmux session of a given size, keys sent as a
// person would press them, the screen read back. Waits poll the screen a bounded number of times
// for what should appear; nothing waits a fixed time. Without tmux, a local run skips with a
// notice; under CI=true a missing tmux is a failure (.ci/run installs it).
import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {setTimeout as delay} from 'node:timers/promises'
import {BIN} from './cli.js'

export function tmuxMissing(): string | undefined {
  try {
    execFileSync('tmux', ['-V'], {stdio: 'ignore'})
    return undefined
  } catch {
    if (process.env.CI === 'true') throw new Error('tmux is required for the terminal tests under CI=true')
    return 'tmux is not installed: skipping the terminal tests'
  }
}

export interface Terminal {
  /** Presses keys, in tmux's names (`Enter`, `C-c`, `Down`) or as literal text. */
  keys(...keys: string[]): void
  type(text: string): void
  screen(): string
  /** Polls the screen until `expected` is on it; throws with the screen after ~10 s of polls. */
  waitFor(expected: string | RegExp): Promise<string>
  /** The exit code of the command, once it has ended. */
  exitCode(): Promise<number>
  close(): void
}

/** Starts `ctx ARGS` in a new `width`×24 terminal with `env`, in a session named for this branch. */
export function openTerminal(args: readonly string[], env: NodeJS.ProcessEnv, width = 80): Terminal {
  const session = `ctx-i18-${randomBytes(4).toString('hex')}`
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`
  const exports = Object.entries(env)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${quote(value!)}`)
    .join(' ')
  // The exit code is printed after the command, on a line of its own, for exitCode() to read. The
  // shell traps Ctrl-C (a handler, which ctx does not inherit) so it outlives the command to print it.
  const command = `trap true INT; env -i ${exports} TERM=xterm-256color ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', String(width), '-y', '24', 'sh', '-c', command])
  const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-J', '-t', session], {encoding: 'utf8'})
  const waitFor = async (expected: string | RegExp) => {
    let text = ''
    for (let attempt = 0; attempt < 200; attempt++) {
      text = screen()
      if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text
      await delay(50)
    }
    throw new Error(`the terminal never showed ${expected}; it shows:\n${text}`)
  }
  return {
    keys: (...keys) => execFileSync('tmux', ['send-keys', '-t', session, ...keys]),
    type: (text) => execFileSync('tmux', ['send-keys', '-t', session, '-l', text]),
    screen,
    waitFor,
    exitCode: async () => Number(/\[exit (\d+)\]/.exec(await waitFor(/\[exit \d+\]/))![1]),
    close: () => {
      try {
        execFileSync('tmux', ['kill-session', '-t', session], {stdio: 'ignore'})
      } catch {
        // Already gone.
      }
    },
  }
}
