#!/usr/bin/env node
// Import benchmarks (DESIGN §6 P3, and memory): run after `npm run build`.
//   node bench/import.js [rows=100000] [memoryRows=100000,300000]
// P3: `ctx import` of N customers into a new file store against a bare csv-parse loop over the
// same file, whole-process wall time, median of 3. Memory: peak RSS of the import pipeline for
// growing files into a store that commits in batches and keeps nothing (what a database adapter
// sees), then into the file and memory stores (which hold every object in memory by design).
import {spawnSync} from 'node:child_process'
import {createWriteStream, mkdirSync, rmSync} from 'node:fs'
import {once} from 'node:events'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DATA = join(ROOT, 'bench', '.data')
const rows = Number(process.argv[2] ?? 100_000)
const memoryRows = (process.argv[3] ?? '100000,300000').split(',').map(Number)

async function customersCsv(count) {
  mkdirSync(DATA, {recursive: true})
  const file = join(DATA, `customers-${count}.csv`)
  const out = createWriteStream(file)
  out.write('externalId,Context_First_Name,Context_Last_Name,Context_Work_Email,Context_Work_Phone,Context_City\n')
  for (let index = 0; index < count; index++) {
    if (!out.write(`ext-${index},First${index},"Last, ${index}",user${index}@example.com,+1 555 ${String(index).padStart(7, '0')},City ${index % 100}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return file
}

/** Runs node with args; returns wall seconds and the child's peak RSS in MiB (reported by the child itself). */
function run(args) {
  const started = performance.now()
  const result = spawnSync(process.execPath, [join(ROOT, 'bench', 'peak-rss.js'), ...args], {encoding: 'utf8', maxBuffer: 1 << 26})
  const seconds = (performance.now() - started) / 1000
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  const peak = Number(/peak-rss-kib (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024
  return {seconds, peak}
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const file = await customersCsv(rows)
const bin = join(ROOT, 'bin', 'run.js')
const ours = []
const bare = []
for (let round = 0; round < 3; round++) {
  const store = join(DATA, 'p3-store.json')
  rmSync(store, {force: true})
  ours.push(run([bin, 'import', file, '--type', 'customer', '--store', store, '--json']).seconds)
  bare.push(run([join(ROOT, 'bench', 'csv-parse-loop.js'), file]).seconds)
}
const ratio = median(ours) / median(bare)
console.log(`P3 import ${rows} customers into the file store: ${median(ours).toFixed(2)} s, csv-parse loop ${median(bare).toFixed(2)} s, ratio ${ratio.toFixed(2)}×, target ≤ 3×`)

for (const count of memoryRows) {
  const csv = await customersCsv(count)
  const sink = run([join(ROOT, 'bench', 'import-to-sink.js'), csv])
  const store = join(DATA, 'memory-store.json')
  rmSync(store, {force: true})
  const fileStore = run([bin, 'import', csv, '--type', 'customer', '--store', store, '--json'])
  const memory = run([bin, 'import', csv, '--type', 'customer', '--store', 'memory:', '--json'])
  console.log(
    `memory import ${count} customers: peak RSS ${sink.peak.toFixed(0)} MiB streaming into batched commits (flat), ${fileStore.peak.toFixed(0)} MiB into the file store, ${memory.peak.toFixed(0)} MiB into memory:`,
  )
}
rmSync(DATA, {recursive: true, force: true})
