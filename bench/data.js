// The files the benchmarks read: customer CSVs of any size (deterministic, so they are kept in
// bench/.data between runs) and the JSON Lines of one customer with many activities (P7).
import {once} from 'node:events'
import {createWriteStream, existsSync, renameSync} from 'node:fs'
import {join} from 'node:path'

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Katherine', 'Linus', 'Margaret', 'Niklaus', 'Radia', 'Tim', 'Anita', 'Hedy']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'McCarthy', 'Johnson', 'Torvalds', 'van Rossum', 'Wirth', 'Perlman', 'Berners-Lee', 'Lamarr', 'Easley-Jones']
const CITIES = [['London', 'GB'], ['Paris', 'FR'], ['Berlin', 'DE'], ['Madrid', 'ES'], ['Boston', 'US'], ['Osaka', 'JP'], ['Utrecht', 'NL'], ['Recife', 'BR']]
const STREETS = ['High Street', 'Rue de Rivoli', 'Unter den Linden', 'Calle Mayor', 'Beacon St', 'Midosuji', 'Oudegracht', 'Rua da Aurora']

export const CUSTOMER_COLUMNS = [
  'externalId',
  'Context_First_Name',
  'Context_Last_Name',
  'Context_Work_Email',
  'Context_Mobile_Phone',
  'Context_Street_Address_1',
  'Context_City',
  'Context_Country',
]

/** Row `index` of the customers CSV: unique externalId, email and phone; some cells quoted (a comma). */
export function customerRow(index) {
  const first = FIRST[index % FIRST.length]
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]
  const [city, country] = CITIES[index % CITIES.length]
  const street = `"${(index % 97) + 1}, ${STREETS[index % STREETS.length]}"`
  const email = `${first}.${last}.${index}@example.com`.toLowerCase().replaceAll(' ', '')
  return `bench-${index},${first},${last},${email},+1 555 ${String(index).padStart(7, '0')},${street},${city},${country}\n`
}

/**
 * bench/.data/customers-N.csv, rows 0 to N-1 (or customers-N-from-F.csv, rows F to F+N-1: other
 * customers, for importing into a store that holds the first N), written once through a temporary
 * name, so a killed run leaves no half file.
 */
export async function customersCsv(dataDir, rows, {from = 0} = {}) {
  const file = join(dataDir, from === 0 ? `customers-${rows}.csv` : `customers-${rows}-from-${from}.csv`)
  if (existsSync(file)) return file
  const partial = `${file}.partial`
  const out = createWriteStream(partial)
  out.write(`${CUSTOMER_COLUMNS.join(',')}\n`)
  for (let index = from; index < from + rows; index++) {
    if (!out.write(customerRow(index))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  renameSync(partial, file)
  return file
}

/** A version-4-shaped id that counts: deterministic and unique within the file. */
function countedId(prefix, index) {
  return `${prefix}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`
}

const MEDIA = ['chat', 'email', 'event', 'mobile', 'social', 'video', 'voice', 'web']

/**
 * One customer with `activities` activities over `requests` requests (a comment on every tenth
 * activity), as JSON Lines in link order, laid out back from `now`: the P7 journey.
 */
export async function journeyJsonl(file, {activities, requests, now}) {
  const out = createWriteStream(file)
  const end = Date.parse(now)
  const at = (minutesAgo) => new Date(end - minutesAgo * 60_000).toISOString()
  const customerId = countedId('c0ffee00', 0)
  const write = async (object) => {
    if (!out.write(`${JSON.stringify(object)}\n`)) await once(out, 'drain')
  }
  const span = activities + 10
  await write({
    id: customerId, type: 'customer', fieldsets: ['cisco.base.customer'], externalId: 'bench-journey-customer',
    data: {Context_First_Name: 'Journey', Context_Last_Name: 'Benchmark', Context_Work_Email: 'journey.benchmark@example.com', Context_Mobile_Phone: '+1 555 0000000'},
    created: at(span * 60), lastUpdated: at(span * 60),
  })
  const perRequest = Math.ceil(activities / requests)
  for (let r = 0; r < requests; r++) {
    // Active: an import, like any write, refuses new activities under a closed request (rule 2).
    const opened = at((requests - r) * perRequest * 60 + 30)
    await write({
      id: countedId('c0ffee01', r), type: 'request', customerId, state: 'active', fieldsets: ['cisco.base.request'],
      data: {Context_Title: `Journey request ${r + 1}`}, created: opened, lastUpdated: opened,
    })
  }
  const activityIds = []
  for (let a = 0; a < activities; a++) {
    const r = Math.min(requests - 1, Math.floor(a / perRequest))
    const when = at((activities - a) * 60)
    const id = countedId('c0ffee02', a)
    activityIds.push([id, when])
    await write({
      id, type: 'activity', customerId, parentId: countedId('c0ffee01', r), mediaType: MEDIA[a % MEDIA.length], tags: a % 3 === 0 ? ['vip'] : [],
      fieldsets: ['cisco.base.pod'], data: {Context_Notes: `Contact ${a + 1} about journey request ${r + 1}.`}, created: when, lastUpdated: when,
    })
  }
  for (let a = 0; a < activities; a += 10) {
    const [parentId, when] = activityIds[a]
    await write({
      id: countedId('c0ffee03', a), type: 'comment', parentId, state: 'closed', fieldsets: ['cisco.base.comment'],
      data: {Context_Comment: 'Noted.', Context_Visible: true}, created: when, lastUpdated: when,
    })
  }
  out.end()
  await once(out, 'finish')
  return {file, customerId, objects: 1 + requests + activities + Math.ceil(activities / 10)}
}
