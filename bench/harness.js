// The benchmark harness of `npm run bench`: each benchmark runs whole processes paired with a baseline
// in the same run, alternating which goes first, several rounds, and compares medians.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export function median(values) {
  if (values.length === 0) throw new Error('median of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function ratio(ours, baseline) {
  if (!(baseline > 0)) throw new Error(`baseline time must be positive, got ${baseline}`)
  return ours / baseline
}

/** Whether a result meets its target; `maxRssMiB` is checked only where the benchmark sets it; null without a target. */
export function verdict(result, target) {
  if (!target) return null
  const timeMet = result.ratio <= target.ratio
  const memoryMet = target.maxRssMiB === undefined || (result.oursRssMiB !== null && result.oursRssMiB <= target.maxRssMiB)
  return timeMet && memoryMet
}

/**
 * Runs `ours` and `baseline` alternately for `rounds` rounds (baseline first on even rounds, ours
 * first on odd ones, so neither always gets the warmer cache) and returns both medians.
 * `run` is injected so the pairing logic can be tested without processes.
 */
export async function paired(ours, baseline, {rounds, run}) {
  const oursRuns = []
  const baselineRuns = []
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [baseline, ours] : [ours, baseline]
    for (const job of order) {
      const measurement = await run(job)
      ;(job === ours ? oursRuns : baselineRuns).push(measurement)
    }
  }
  const seconds = (runs) => median(runs.map((m) => m.seconds))
  const peak = (runs) => (runs.some((m) => m.rssKiB === null) ? null : Math.max(...runs.map((m) => m.rssKiB)) / 1024)
  return {
    ours: seconds(oursRuns),
    baseline: seconds(baselineRuns),
    oursRssMiB: peak(oursRuns),
    baselineRssMiB: peak(baselineRuns),
    rounds,
    runs: {ours: oursRuns.map((m) => m.seconds), baseline: baselineRuns.map((m) => m.seconds)},
  }
}

/** The full result of one benchmark: the pair's medians, their ratio and the verdict on its target. */
export function judge(benchmark, measured) {
  const result = {id: benchmark.id, what: benchmark.what, target: benchmark.target, ...measured, ratio: ratio(measured.ours, measured.baseline)}
  return {...result, met: verdict(result, benchmark.target)}
}

/** One line per benchmark: id, what, ours, baseline, ratio, target, met. */
export function formatLine(result) {
  const rss = result.oursRssMiB === null || result.oursRssMiB === undefined ? '' : `  peak ${result.oursRssMiB.toFixed(0)} MiB`
  const target = result.target ? `≤ ${result.target.ratio}×${result.target.maxRssMiB ? `, ≤ ${result.target.maxRssMiB} MiB` : ''}` : '—'
  return [
    result.id.padEnd(4),
    result.what.padEnd(58),
    `ours ${fmt(result.ours)}`,
    `baseline ${fmt(result.baseline)}`,
    `ratio ${result.ratio.toFixed(2)}×`.padEnd(12),
    `target ${target}`,
    result.met === null ? '(no target)' : result.met ? 'MET' : 'MISSED',
  ].join('  ') + rss
}

/** The line of a benchmark that could not run here, and why. */
export function formatSkipped(benchmark, reason) {
  return [benchmark.id.padEnd(4), benchmark.what.padEnd(58), `NOT RUN: ${reason}`].join('  ')
}

/** Whether `id` (P1a) is selected by `--only` entries (P1, P1a, p3): a prefix or the whole id, any case. */
export function selected(id, only) {
  if (only.length === 0) return true
  return only.some((entry) => id.toLowerCase() === entry.toLowerCase() || (/^p\d+$/i.test(entry) && id.toLowerCase().replace(/[a-z]$/, '') === entry.toLowerCase()))
}

function fmt(seconds) {
  return seconds < 1 ? `${(seconds * 1000).toFixed(0)} ms`.padStart(8) : `${seconds.toFixed(2)} s`.padStart(8)
}

const TIME = '/usr/bin/time'

/**
 * Runs a command as a whole process and measures wall time, and peak RSS through GNU time when the
 * machine has it. `command` is [file, ...args]; a non-zero exit fails the benchmark loudly.
 */
export function runProcess(command, {env = process.env, cwd, input} = {}) {
  return new Promise((resolve, reject) => {
    const scratch = mkdtempSync(join(tmpdir(), 'ctx-bench-'))
    const rssFile = join(scratch, 'rss')
    const withTime = existsSync(TIME)
    const [file, ...args] = withTime ? [TIME, '-f', '%M', '-o', rssFile, ...command] : command
    const started = process.hrtime.bigint()
    const child = spawn(file, args, {env, cwd, stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    if (input) child.stdin.end(input)
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      let rssKiB = null
      if (withTime && existsSync(rssFile)) rssKiB = Number.parseInt(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1), 10) || null
      rmSync(scratch, {recursive: true, force: true})
      if (code !== 0) reject(new Error(`${command.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))
      else resolve({seconds, rssKiB})
    })
  })
}

/** Runs a setup step (not timed) to completion; its stdout, or an error with its stderr. */
export function runChecked(command, {env = process.env, cwd} = {}) {
  const [file, ...args] = command
  const result = spawnSync(file, args, {env, cwd, encoding: 'utf8', maxBuffer: 1 << 28})
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`${command.join(' ').slice(0, 300)} exited ${result.status}: ${result.stderr.slice(-2000)}`)
  return result.stdout
}
