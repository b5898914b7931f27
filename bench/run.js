// `npm run bench`: the performance targets (docs/performance.md), measured as whole processes, each paired with its
// baseline in the same run (alternating, several rounds, medians). Prints one line per benchmark
// and writes every figure to bench/results/<timestamp>.json so runs can be compared.
//
//   npm run bench                      full sizes (1M rows on PostgreSQL; ~20 min on 2 cores)
//   npm run bench -- --quick           about ten times smaller
//   npm run bench -- --only P1,P3      some benchmarks (P1 selects P1a and P1b)
//   npm run bench -- --extras         also X1, X2: the file store at ~100k requests (no target)
//   options: --rounds N (every benchmark), --no-build (use dist/ as it is)
import {spawnSync} from 'node:child_process'
import {cpus, freemem, loadavg, totalmem} from 'node:os'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {formatLine, formatSkipped, judge, paired, runProcess, selected} from './harness.js'
import {fileBenchmarks} from './suite-file.js'
import {postgresBenchmarks} from './suite-postgres.js'
import {extraBenchmarks} from './suite-extras.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const {values: options} = parseArgs({
  options: {
    quick: {type: 'boolean', default: false},
    only: {type: 'string', default: ''},
    rounds: {type: 'string'},
    'no-build': {type: 'boolean', default: false},
    extras: {type: 'boolean', default: false},
  },
})
const only = options.only.split(',').map((id) => id.trim()).filter(Boolean)

if (!options['no-build']) {
  const build = spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const dataDir = join(ROOT, 'bench', '.data')
const scratch = join(dataDir, `run-${process.pid}`)
mkdirSync(scratch, {recursive: true})

/** What every benchmark gets: where things go, the sizes, and how to run ctx. */
const context = {
  root: ROOT,
  bin: join(ROOT, 'bin', 'run.js'),
  dataDir,
  scratch,
  quick: options.quick,
  rounds: options.rounds === undefined ? undefined : Number(options.rounds),
  /** The instant every ctx process of the run reads as now (seeding, sweep, journey). */
  now: '2026-03-20T12:00:00.000Z',
  env: {
    ...withoutCtxStore(process.env),
    NO_COLOR: '1',
    XDG_CONFIG_HOME: join(scratch, 'config'),
    XDG_DATA_HOME: join(scratch, 'data'),
    XDG_CACHE_HOME: join(scratch, 'cache'),
    CTX_NOW: '2026-03-20T12:00:00.000Z',
    CTX_LOCK_TIMEOUT_MS: '600000',
  },
  notes: [],
  note(text) {
    this.notes.push(text)
    console.log(`     · ${text}`)
  },
}

function withoutCtxStore(env) {
  const {CTX_STORE: _ignored, ...rest} = env
  return rest
}

const started = new Date()
const results = []
const groups = [fileBenchmarks, postgresBenchmarks, extraBenchmarks]
console.log(`ctx benchmarks, ${options.quick ? 'quick sizes' : 'full sizes'}; ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')}`)
let failed = false
try {
  for (const group of groups) {
    // Extras run when asked for: --extras, or by id in --only.
    const wanted = group
      .benchmarks(context)
      .filter((benchmark) => (group.extras ? (options.extras && only.length === 0) || only.some((id) => id.toLowerCase() === benchmark.id.toLowerCase()) : selected(benchmark.id, only)))
    if (wanted.length === 0) continue
    const skip = await group.unavailable?.(context)
    if (skip) {
      for (const benchmark of wanted) {
        console.log(formatSkipped(benchmark, skip))
        results.push({id: benchmark.id, what: benchmark.what, target: benchmark.target, skipped: skip})
      }
      continue
    }
    try {
      await group.setup?.(context)
      for (const benchmark of wanted) {
        try {
          await benchmark.prepare?.()
          const rounds = context.rounds ?? benchmark.rounds
          const measured = await paired(benchmark.ours, benchmark.baseline, {rounds, run: runJob})
          const result = judge(benchmark, measured)
          results.push(result)
          console.log(formatLine(result))
        } catch (error) {
          failed = true
          console.log(formatSkipped(benchmark, `FAILED: ${error.message.split('\n').slice(0, 3).join(' ')}`))
          results.push({id: benchmark.id, what: benchmark.what, target: benchmark.target, failed: error.message})
        }
      }
    } finally {
      await group.teardown?.(context)
    }
  }
} finally {
  rmSync(scratch, {recursive: true, force: true})
}

/** A job is a command line with optional env and a `before` step that is not timed (resetting a store). */
async function runJob(job) {
  await job.before?.()
  return runProcess(job.command, {env: job.env ?? context.env, cwd: ROOT})
}

const targeted = results.filter((result) => result.target)
const measured = targeted.filter((result) => result.met !== undefined)
const summary = `${measured.filter((result) => result.met).length} of ${targeted.length} targets met` +
  (targeted.length > measured.length ? `, ${targeted.length - measured.length} not run` : '')
const resultsDir = join(ROOT, 'bench', 'results')
mkdirSync(resultsDir, {recursive: true})
const file = join(resultsDir, `${started.toISOString().replaceAll(':', '-')}${options.quick ? '-quick' : ''}.json`)
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: ROOT, encoding: 'utf8'}).stdout.trim()
writeFileSync(
  file,
  `${JSON.stringify(
    {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      quick: options.quick,
      commit,
      machine: {cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), freeGiB: Math.round(freemem() / 2 ** 30), loadAtEnd: loadavg(), node: process.version},
      notes: context.notes,
      results,
    },
    null,
    2,
  )}\n`,
)
console.log(`${summary}; results in ${file}`)
if (failed) process.exitCode = 1
