// Import benchmarks (DESIGN §6 P3, and memory), after `npm run build`:
//   node bench/import.js [rows=100000] [memoryRows=100000,300000] [rounds=3]
// P3: `ctx import` of N customers into a new file store, paired with a bare csv-parse loop over
// the same file. Memory: peak RSS of the import pipeline for growing files into a store that
// commits in batches and keeps nothing (what a database adapter sees: it must stay flat), then into
// the file and memory stores, which hold every object in memory by design.
import {once} from 'node:events'
import {createWriteStream, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {formatLine, paired, ratio, runProcess, verdict} from './harness.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
const rows = Number(process.argv[2] ?? 100_000)
const memoryRows = (process.argv[3] ?? '100000,300000').split(',').map(Number)
const rounds = Number(process.argv[4] ?? 3)
const scratch = mkdtempSync(join(tmpdir(), 'ctx-bench-import-'))

async function customersCsv(count) {
  const file = join(scratch, `customers-${count}.csv`)
  const out = createWriteStream(file)
  out.write('externalId,Context_First_Name,Context_Last_Name,Context_Work_Email,Context_Work_Phone,Context_City\n')
  for (let index = 0; index < count; index++) {
    const line = `ext-${index},First${index},"Last, ${index}",user${index}@example.com,+1 555 ${String(index).padStart(7, '0')},City ${index % 100}\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return file
}

/** `ctx import` of `file` into a new store at `store` (a fresh file each run). */
function importInto(file, store) {
  return () => {
    rmSync(store, {force: true})
    return runProcess([process.execPath, BIN, 'import', file, '--type', 'customer', '--store', store, '--json'])
  }
}

const mib = (measurement) => (measurement.rssKiB === null ? 'n/a' : `${(measurement.rssKiB / 1024).toFixed(0)} MiB`)

try {
  const file = await customersCsv(rows)
  const ours = importInto(file, join(scratch, 'p3.json'))
  const baseline = () => runProcess([process.execPath, join(ROOT, 'bench', 'csv-parse-loop.js'), file])
  const measured = await paired(ours, baseline, {rounds, run: (job) => job()})
  const target = {ratio: 3}
  const result = {id: 'P3', what: `import ${rows} customers into the file store (vs csv-parse loop)`, ...measured, ratio: ratio(measured.ours, measured.baseline), target}
  console.log(formatLine({...result, met: verdict(result, target)}))

  for (const count of memoryRows) {
    const csv = await customersCsv(count)
    const sink = await runProcess([process.execPath, join(ROOT, 'bench', 'import-to-sink.js'), csv])
    const fileStore = await importInto(csv, join(scratch, 'memory.json'))()
    const memory = await runProcess([process.execPath, BIN, 'import', csv, '--type', 'customer', '--store', 'memory:', '--json'])
    console.log(`MEM   import ${count} customers: peak RSS ${mib(sink)} into batched commits (must stay flat), ${mib(fileStore)} into the file store, ${mib(memory)} into memory:`)
  }
} finally {
  rmSync(scratch, {recursive: true, force: true})
}
