// Drives the built CLI in a real pseudo-terminal (tmux, 80x24) as a person would: keys in, the
// screen read back. Every wait is a bounded poll for the text expected, never a fixed sleep. Without
// tmux the suites that need it are skipped with a printed notice; under CI=true they fail instead.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe} from 'vitest'
import {BIN} from './cli.js'

export const TMUX = spawnSync('tmux', ['-V'], {encoding: 'utf8'}).status === 0

// A tmux server of this test process's own, kept running between sessions (exit-empty off) until
// the suite ends: one that stops with its last session fails the next new-session, from this
// process or, on the shared default server, from another ("server exited unexpectedly").
const socket = join(tmpdir(), `ctx-tmux-${process.pid}`)
const SOCKET = ['-S', socket]

/** A describe block that needs tmux: skipped with a notice locally when it is missing, failing under CI. */
export function describeTerminal(name: string, register: () => void): void {
  if (!TMUX && process.env.CI === 'true') throw new Error('tmux is required under CI=true for the terminal tests (install it in .ci/run)')
  if (!TMUX) console.warn(`[skip] ${name}: tmux is not installed, so the terminal tests do not run here.`)
  ;(TMUX ? describe : describe.skip)(name, () => {
    register()
    afterAll(() => {
      spawnSync('tmux', [...SOCKET, 'kill-server'])
      rmSync(socket, {force: true})
    })
  })
}

const WAIT_MS = 20_000
const POLL_MS = 50
let sessions = 0

function tmux(...args: string[]): string {
  return execFileSync('tmux', [...SOCKET, ...args], {encoding: 'utf8'})
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface Terminal {
  /** The visible screen, lines trimmed at the end. */
  screen(): string
  /** Waits until the screen shows `text` (bounded); returns the screen. */
  waitFor(text: string | RegExp): Promise<string>
  /** Sends tmux key names: Enter, Escape, Down, C-c… */
  keys(...names: string[]): void
  /** Types text literally. */
  type(text: string): void
  /** Moves the prompt's cursor (❯) onto the choice showing `label`, then presses Enter. */
  choose(label: string): Promise<void>
  /** Waits for the program to end; its exit code. */
  exitCode(): Promise<number>
  /** Everything the program wrote that is still on the screen or in the pane's history. */
  history(): string
  close(): void
}

/** Starts `ctx ARGS` in a new `width`x24 tmux session (its name carries `label`) with exactly `env`. */
export function openTerminal(label: string, args: readonly string[], env: NodeJS.ProcessEnv, dir: string, width = 80): Terminal {
  const name = `ctx-${label}-${process.pid}-${++sessions}`
  const rcFile = join(dir, `${name}.rc`)
  const vars = Object.entries({TERM: 'screen', ...env})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => quote(`${key}=${value}`))
  // The shell traps Ctrl-C (a handler, which ctx does not inherit) so it outlives the command to record its exit code.
  const command = `trap true INT; env -i ${vars.join(' ')} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo $? > ${quote(rcFile)}; sleep 600`
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', '24', command, ';', 'set-option', '-g', 'exit-empty', 'off')
  const target = `${name}:0.0`

  const screen = () =>
    tmux('capture-pane', '-p', '-t', target)
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trimEnd()
  const until = async <T>(what: string, probe: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      const found = probe()
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}`)
      await pause(POLL_MS)
    }
  }
  const shows = (text: string | RegExp, shown: string) => (typeof text === 'string' ? shown.includes(text) : text.test(shown))
  const cursorLine = (shown: string) => shown.split('\n').findLast((line) => line.startsWith('❯'))

  const terminal: Terminal = {
    screen,
    waitFor: (text) =>
      until(JSON.stringify(String(text)), () => {
        const shown = screen()
        return shows(text, shown) ? shown : undefined
      }),
    keys: (...names) => void tmux('send-keys', '-t', target, ...names),
    type: (text) => void tmux('send-keys', '-t', target, '-l', text),
    async choose(label) {
      // Down through the list (it scrolls, and may hide the choice at first), Up when it shows above.
      for (let presses = 0; ; presses++) {
        const shown = await until('a list to choose from', () => {
          const text = screen()
          return cursorLine(text) === undefined ? undefined : text
        })
        const lines = shown.split('\n')
        const at = lines.findLastIndex((line) => line.startsWith('❯'))
        if (lines[at].includes(label)) break
        if (presses > 40) throw new Error(`could not reach the choice "${label}"; the screen:\n${shown}`)
        const above = lines.slice(0, at).findLastIndex((line) => line.startsWith('  ') && line.includes(label))
        const choicesStart = lines.slice(0, at).findLastIndex((line) => line.startsWith('?') || line.startsWith('✔'))
        terminal.keys(above > choicesStart && above >= 0 ? 'Up' : 'Down')
        await until('the cursor to move', () => (screen() !== shown ? true : undefined))
      }
      // Returns once the prompt has taken the choice, so that the next keys go to what follows it
      // rather than to this list while it is still on the screen.
      const chosen = screen()
      terminal.keys('Enter')
      await until(`the choice "${label}" to be taken`, () => (screen() !== chosen ? true : undefined))
    },
    exitCode: () => until('the program to end', () => (existsSync(rcFile) && readFileSync(rcFile, 'utf8').trim() !== '' ? Number(readFileSync(rcFile, 'utf8')) : undefined)),
    history: () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', target),
    close: () => {
      spawnSync('tmux', [...SOCKET, 'kill-session', '-t', name])
    },
  }
  return terminal
}
