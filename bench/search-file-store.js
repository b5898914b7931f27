// Times `ctx search` on file stores of ~5k and ~100k objects (DESIGN §6 style: whole processes,
// paired with `ctx --version` as the baseline of the same run, medians). Builds the stores through
// the core API of the built CLI (kept in $TMPDIR/ctx-bench-search between runs), so run
// `npm run build` first:   node bench/search-file-store.js [sizes...]   e.g. ROUNDS=5 node bench/search-file-store.js 5000 100000
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {paired, runProcess} from './harness.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
const {openStore} = await import(join(ROOT, 'dist/core/storage/open.js'))
const {systemClock} = await import(join(ROOT, 'dist/core/clock.js'))

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Dennis', 'Frances', 'John', 'Mary', 'Linus', 'Guido', 'Bjarne']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Ritchie', 'Allen', 'Smith', 'Smithson', 'Jones', 'Brown', 'Taylor']
const CITY = ['London', 'Paris', 'New York', 'Boston', 'Lyon', 'Berlin', 'Madrid', 'Rome', 'Oslo', 'Tokyo']
const WORDS = 'refund delivery late broken invoice router password reset upgrade cancel billing outage replacement warranty address change callback urgent'.split(' ')
const MEDIA = ['voice', 'chat', 'email', 'web', 'social']

/** Deterministic: the same store for the same size. */
function generator(seed) {
  let state = seed >>> 0
  // mulberry32: small, fast and good enough for synthetic data.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
  const pick = (list) => list[Math.floor(next() * list.length)]
  let count = 0
  // Random-looking but unique: the last 12 hex digits count.
  const id = () => {
    const hex = Array.from({length: 20}, () => Math.floor(next() * 16).toString(16)).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${(count++).toString(16).padStart(12, '0')}`
  }
  return {next, pick, id}
}

function objectsOf(total) {
  const {next, pick, id} = generator(total)
  const objects = []
  const start = Date.parse('2025-01-01T00:00:00.000Z')
  let tick = 0
  const at = () => new Date(start + (tick += 1000 + Math.floor(next() * 60_000))).toISOString()
  const sentence = (n) => Array.from({length: n}, () => pick(WORDS)).join(' ')
  // Per customer: 1 request, 2 activities, 1 comment: five objects.
  for (let c = 0; objects.length < total; c++) {
    const time = at()
    const first = pick(FIRST)
    const last = pick(LAST)
    const customer = {
      id: id(), type: 'customer', fieldsets: ['cisco.base.customer'], created: time, lastUpdated: time,
      data: {Context_First_Name: first, Context_Last_Name: last, Context_Work_Email: `${first}.${last}.${c}@example.com`.toLowerCase(),
        Context_Mobile_Phone: `+44 20 ${String(1000 + (c % 9000))} ${String(c).padStart(4, '0').slice(-4)}`, Context_City: pick(CITY)},
    }
    const request = {id: id(), type: 'request', customerId: customer.id, state: next() < 0.7 ? 'closed' : 'active', fieldsets: ['cisco.base.request'],
      created: at(), lastUpdated: at(), data: {Context_Title: `${sentence(3)} ${c}`, Context_Description: sentence(20)}}
    const activities = [0, 1].map(() => ({id: id(), type: 'activity', customerId: customer.id, parentId: request.id, mediaType: pick(MEDIA),
      tags: next() < 0.1 ? ['vip'] : [], fieldsets: ['cisco.base.pod'], created: at(), lastUpdated: at(),
      data: {Context_Notes: sentence(30), Context_POD_Activity_Link: `https://crm.example.com/a/${c}`}}))
    const comment = {id: id(), type: 'comment', parentId: activities[0].id, state: 'closed', fieldsets: ['cisco.base.comment'],
      created: at(), lastUpdated: at(), data: {Context_Comment: sentence(12), Context_Visible: true}}
    objects.push(customer, request, ...activities, comment)
  }
  return objects.slice(0, total)
}

async function buildStore(path, objects) {
  if (existsSync(path)) return
  const store = await openStore(path, {clock: systemClock})
  await store.init('lab')
  await store.transaction((tx) => tx.insert(objects))
  await store.close()
}

/** Runs one search to count what it finds (and fail loudly on a non-zero exit). */
function hits(query, store) {
  const result = spawnSync(process.execPath, [BIN, 'search', query, '--json', '--limit', '50'], {env: {...process.env, CTX_STORE: store}, encoding: 'utf8', maxBuffer: 1 << 26})
  if (result.status !== 0) throw new Error(`ctx search ${query} exited ${result.status}: ${result.stderr}`)
  return JSON.parse(result.stdout).items.length
}

/** Queries about one customer in the middle of the store, and some broad ones. */
function queriesFor(objects) {
  const customer = objects.filter((object) => object.type === 'customer').at(-100)
  const {Context_First_Name: first, Context_Last_Name: last, Context_Work_Email: email, Context_Mobile_Phone: phone} = customer.data
  return [
    ['load only', `id:${customer.id}`],
    ['bare words', `${first} ${last}`],
    ['email', email],
    ['phone', phone],
    ['keyed word', `Context_Last_Name:${last}`],
    ['phrase', '"password reset"'],
    ['broad: type', 'type:activity'],
    ['date range', 'lastUpdated:>=2025-01-02 lastUpdated:<2025-01-03'],
    ['OR + parens', '(refund OR invoice) AND (mediaType:voice OR tags:vip)'],
  ]
}

const sizes = process.argv.slice(2).map(Number)
const dir = join(tmpdir(), 'ctx-bench-search')
mkdirSync(dir, {recursive: true})
const rounds = Number(process.env.ROUNDS ?? 5)
for (const size of sizes.length > 0 ? sizes : [5000, 100_000]) {
  const path = join(dir, `store-${size}.json`)
  const objects = objectsOf(size)
  await buildStore(path, objects)
  const env = {...process.env, CTX_STORE: path, NO_COLOR: '1'}
  console.log(`\n${size} objects, ${(statSync(path).size / 2 ** 20).toFixed(1)} MiB; ctx search vs ctx --version, medians of ${rounds} paired rounds`)
  for (const [name, query] of queriesFor(objects)) {
    const found = hits(query, path)
    const ours = [process.execPath, BIN, 'search', query, '--json', '--limit', '50']
    const baseline = [process.execPath, BIN, '--version']
    const result = await paired(ours, baseline, {rounds, run: (command) => runProcess(command, {env})})
    const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`.padStart(8)
    console.log(`  ${name.padEnd(12)} ${ms(result.ours)}  --version ${ms(result.baseline)}  ${(result.ours / result.baseline).toFixed(2)}x  peak ${result.oursRssMiB?.toFixed(0) ?? '?'} MiB  (${found} on page 1)  ${query}`)
  }
}
