// How long `ctx sweep` takes on a file store of N requests (default 100k) with activities and
// comments, 10% of them stale, as whole processes: a dry run, a sweep that closes the stale tenth,
// and a second sweep that finds nothing. The baseline is a bare Node process that reads, parses,
// re-serialises and atomically rewrites the same file: the least any read-modify-write must pay.
// Usage: npm run build && node bench/sweep-file-store.js [requests] [rounds]
import {copyFileSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {execFileSync} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {median, runProcess} from './harness.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const {openStore} = await import(join(ROOT, 'dist/core/storage/open.js'))

const requests = Number(process.argv[2] ?? 100_000)
const rounds = Number(process.argv[3] ?? 3)
const NOW = '2026-03-20T12:00:00.000Z'
const DAY = 86_400_000
const at = (daysAgo) => new Date(Date.parse(NOW) - daysAgo * DAY).toISOString()

/** N requests over N/10 customers, two activities each, a comment on every fourth activity; every tenth request stale. */
function objects() {
  const out = []
  const customers = Array.from({length: Math.max(1, requests / 10)}, () => ({id: randomUUID(), type: 'customer', fieldsets: ['cisco.base.customer'], data: {Context_First_Name: 'Bench'}, created: at(30), lastUpdated: at(30)}))
  out.push(...customers)
  for (let index = 0; index < requests; index++) {
    const stale = index % 10 === 0
    const updated = stale ? at(6 + (index % 7)) : at(index % 5)
    const customerId = customers[index % customers.length].id
    const request = {id: randomUUID(), type: 'request', customerId, state: 'active', fieldsets: ['cisco.base.request'], data: {Context_Title: `Request ${index}`}, created: at(20), lastUpdated: stale ? at(8) : at(10)}
    out.push(request)
    for (let n = 0; n < 2; n++) {
      const activity = {id: randomUUID(), type: 'activity', customerId, parentId: request.id, mediaType: 'voice', tags: ['bench'], fieldsets: ['cisco.base.pod'], data: {Context_Notes: `call ${n} about request ${index}`}, created: at(20), lastUpdated: n === 1 ? updated : at(9)}
      out.push(activity)
      if ((index * 2 + n) % 4 === 0) {
        out.push({id: randomUUID(), type: 'comment', parentId: activity.id, state: 'closed', fieldsets: ['cisco.base.comment'], data: {Context_Comment: 'noted'}, created: updated, lastUpdated: updated})
      }
    }
  }
  return out
}

const dir = mkdtempSync(join(tmpdir(), 'ctx-bench-sweep-'))
try {
  const seed = join(dir, 'seed.json')
  const work = join(dir, 'store.json')
  const built = performance.now()
  const store = await openStore(seed, {clock: () => new Date(NOW)})
  const all = objects()
  await store.transaction((tx) => tx.insert(all))
  await store.close()
  console.log(`store: ${requests.toLocaleString('en-US')} requests, ${all.length.toLocaleString('en-US')} objects, ${(statSync(seed).size / 2 ** 20).toFixed(0)} MiB, built in ${((performance.now() - built) / 1000).toFixed(1)} s`)

  const env = {...process.env, CTX_NOW: NOW, CTX_STORE: work, CTX_LOCK_TIMEOUT_MS: '120000'}
  const ctx = (...args) => [process.execPath, join(ROOT, 'bin/run.js'), 'sweep', ...args]
  const rewrite = [
    process.execPath,
    '--input-type=module',
    '-e',
    `import {readFileSync} from 'node:fs'; import w from 'write-file-atomic'; const p = ${JSON.stringify(work)}; await w(p, JSON.stringify(JSON.parse(readFileSync(p, 'utf8'))) + '\\n', {fsync: true})`,
  ]
  const jobs = {
    'baseline: read, parse, rewrite the file': rewrite,
    'ctx sweep --dry-run': ctx('--dry-run'),
    'ctx sweep (closes the stale 10%)': ctx(),
    'ctx sweep again (nothing left to close)': ctx(),
  }
  const times = Object.fromEntries(Object.keys(jobs).map((name) => [name, []]))
  const peaks = Object.fromEntries(Object.keys(jobs).map((name) => [name, 0]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, command] of Object.entries(jobs)) {
      // Every job but the repeat starts from the seeded store, so each sweep finds the same work.
      if (!name.includes('again')) copyFileSync(seed, work)
      const {seconds, rssKiB} = await runProcess(command, {env, cwd: ROOT})
      times[name].push(seconds)
      peaks[name] = Math.max(peaks[name], (rssKiB ?? 0) / 1024)
    }
  }
  copyFileSync(seed, work)
  const check = JSON.parse(execFileSync(ctx('--json')[0], ctx('--json').slice(1), {env, encoding: 'utf8', maxBuffer: 2 ** 30}))
  console.log(`check: one sweep closed ${check.closed.length.toLocaleString('en-US')} of ${check.scanned.toLocaleString('en-US')} active requests, its own timer ${check.seconds} s`)
  for (const [name, runs] of Object.entries(times)) {
    console.log(`${name.padEnd(44)} median ${median(runs).toFixed(2)} s  (runs ${runs.map((s) => s.toFixed(2)).join(', ')})  peak ${peaks[name].toFixed(0)} MiB`)
  }
} finally {
  rmSync(dir, {recursive: true, force: true})
}
