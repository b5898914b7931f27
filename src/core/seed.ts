// Deterministic synthetic data for CI and benchmarks (`ctx seed`): the same seed gives the same
// objects, ids included; timestamps are laid out back from `now`, so the same seed and the same
// `now` give a byte-identical store. Realistic enough to exercise everything: names, emails,
// phones, all eight media types, tags, comments, closed requests and stale ones for the sweep.
import {ConflictError} from './errors.js'
import {BASE_FIELDSET, type ContextObject, MEDIA_TYPES} from './model.js'
import {commitsWhole, type Store} from './storage/store.js'

export interface SeedOptions {
  customers: number
  requestsPerCustomer: number
  activitiesPerRequest: number
  seed: string
  /** ISO instant the data is laid out back from. */
  now: string
  /** Customers generated (and written, on a batching store) per chunk. */
  chunkCustomers?: number
  /** Aborted: the seed stops at the next chunk and throws SeedInterrupted once its writes are done. */
  signal?: AbortSignal
}

/**
 * A seed stopped by its signal, once nothing of it is being written any more: `customersCommitted`
 * are in the store, each with everything under it, and nothing of the others is.
 */
export class SeedInterrupted extends Error {
  constructor(readonly customersCommitted: number) {
    super(`seeding interrupted with ${customersCommitted} customers committed`)
    this.name = 'SeedInterrupted'
  }
}

export interface SeedSummary {
  seed: string
  now: string
  counts: {customer: number; request: number; activity: number; comment: number}
  /** Active requests whose latest update is more than 5 days before `now`: what a sweep closes. */
  staleRequests: number
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Katherine', 'Linus', 'Margaret', 'Niklaus', 'Radia', 'Tim', 'Anita', 'Ken', 'Dennis', 'Hedy', 'Claude', 'Sophie', 'Yukihiro', 'Guido', 'Bjarne', 'Shafi', 'Leslie', 'Whitfield', 'Mary', 'Annie', 'Carl', 'Jean']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'McCarthy', 'Johnson', 'Torvalds', 'Hamilton', 'Wirth', 'Perlman', 'Berners-Lee', 'Borg', 'Thompson', 'Ritchie', 'Lamarr', 'Shannon', 'Wilson', 'Matsumoto', 'van Rossum', 'Stroustrup', 'Goldwasser', 'Lamport', 'Diffie', 'Easley', 'Easley-Jones', 'Sagan', 'Bartik']
const CITIES = [['London', 'GB', 'en_GB'], ['Paris', 'FR', 'fr_FR'], ['Berlin', 'DE', 'de_DE'], ['Madrid', 'ES', 'es_ES'], ['Boston', 'US', 'en_US'], ['Osaka', 'JP', 'ja_JP'], ['Utrecht', 'NL', 'nl_NL'], ['Recife', 'BR', 'pt_BR']] as const
const TITLES = ['Broken engine', 'Billing question', 'Refund for double charge', 'Cannot log in', 'Delivery is late', 'Upgrade my plan', 'Cancel subscription', 'Router keeps rebooting', 'Wrong item shipped', 'Password reset loop']
const NOTES = ['Customer called about', 'Emailed regarding', 'Chatted about', 'Follow-up on', 'Escalated', 'Left a voicemail about', 'Sent a photo of', 'Tweeted about']
const TAGS = ['vip', 'billing', 'outage', 'follow-up', 'complaint', 'renewal', 'new', 'escalated']
const COMMENTS = ['Promised a callback tomorrow.', 'Refund approved.', 'Waiting for the part.', 'Customer confirmed it works now.', 'Passed to tier 2.']
const DAY = 86_400_000
const HEX_DIGITS = '0123456789abcdef'

/** A small, fast, seedable generator (mulberry32 over an FNV-1a hash of the seed text). */
export class SeededRandom {
  private state: number

  constructor(seed: string) {
    let hash = 0x811c9dc5
    for (let index = 0; index < seed.length; index++) hash = Math.imul(hash ^ seed.charCodeAt(index), 0x01000193)
    this.state = hash >>> 0
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /**
   * A version-4-shaped UUID from this generator: deterministic, unlike crypto.randomUUID. Draws 32
   * hex digits then the variant; digit 12 is drawn but replaced by the version, 16 by the variant.
   */
  uuid(): string {
    let text = ''
    for (let index = 0; index < 32; index++) {
      const digit = HEX_DIGITS[this.int(16)]
      if (index === 8 || index === 12 || index === 16 || index === 20) text += '-'
      text += index === 12 ? '4' : digit
    }
    const variant = '89ab'[this.int(4)]
    return text.slice(0, 19) + variant + text.slice(20)
  }
}

/** The objects of customers [from, to), in link order: customers, requests, activities, comments. */
export function generateChunk(options: SeedOptions, random: SeededRandom, from: number, to: number, tally: SeedSummary): ContextObject[] {
  const now = Date.parse(options.now)
  const iso = (ms: number) => new Date(ms).toISOString()
  const customers: ContextObject[] = []
  const requests: ContextObject[] = []
  const activities: ContextObject[] = []
  const comments: ContextObject[] = []

  for (let index = from; index < to; index++) {
    const first = random.pick(FIRST)
    const last = random.pick(LAST)
    const [city, country, language] = random.pick(CITIES)
    const joined = now - (90 + random.int(600)) * DAY - random.int(DAY)
    const customer: ContextObject = {
      id: random.uuid(),
      type: 'customer',
      fieldsets: [BASE_FIELDSET.customer],
      data: {
        Context_First_Name: first,
        Context_Last_Name: last,
        Context_Work_Email: `${first}.${last}.${index}@example.com`.toLowerCase().replaceAll(' ', ''),
        Context_Mobile_Phone: `+1 555 ${String(index).padStart(7, '0')}`,
        Context_City: city,
        Context_Country: country,
        Context_Preferred_Language: language,
      },
      externalId: seededExternalId(index),
      created: iso(joined),
      lastUpdated: iso(joined),
    }
    customers.push(customer)

    for (let r = 0; r < options.requestsPerCustomer; r++) {
      // 10% stale and active (the sweep's work), 20% closed long ago, the rest recent and active.
      const roll = random.next()
      const kind = roll < 0.1 ? 'stale' : roll < 0.3 ? 'closed' : 'fresh'
      const latest =
        kind === 'stale' ? now - (6 + random.int(20)) * DAY - random.int(DAY) : kind === 'closed' ? now - (12 + random.int(60)) * DAY : now - random.int(4 * DAY)
      const opened = latest - (1 + random.int(5)) * DAY
      const request: ContextObject = {
        id: random.uuid(),
        type: 'request',
        customerId: customer.id,
        state: kind === 'closed' ? 'closed' : 'active',
        fieldsets: [BASE_FIELDSET.request],
        data: {Context_Title: random.pick(TITLES), Context_Description: `Seeded request ${r + 1} of customer ${index}.`},
        externalId: `seed-request-${index}-${r}`,
        created: iso(opened),
        lastUpdated: iso(kind === 'closed' ? latest + 5 * DAY : latest),
        ...(kind === 'closed' ? {closedAt: iso(latest + 5 * DAY), closeReason: 'auto' as const} : {}),
      }
      if (kind === 'stale') tally.staleRequests++
      requests.push(request)

      const span = latest - opened
      for (let a = 0; a < options.activitiesPerRequest; a++) {
        const at = options.activitiesPerRequest === 1 ? latest : opened + Math.round((span * (a + 1)) / options.activitiesPerRequest)
        const mediaType = MEDIA_TYPES[(index + r + a) % MEDIA_TYPES.length]
        const tags = random.next() < 0.5 ? [random.pick(TAGS)] : random.next() < 0.5 ? [] : [random.pick(TAGS), random.pick(TAGS)].filter((tag, i, all) => all.indexOf(tag) === i)
        const activityId = random.uuid()
        const activity: ContextObject = {
          id: activityId,
          type: 'activity',
          customerId: customer.id,
          parentId: request.id,
          mediaType,
          tags,
          fieldsets: [BASE_FIELDSET.activity],
          data: {
            Context_Notes: `${random.pick(NOTES)} ${String(request.data.Context_Title).toLowerCase()}.`,
            ...(mediaType === 'voice' || mediaType === 'video' ? {Context_POD_Activity_Link: `https://recordings.example.com/${activityId}`} : {}),
          },
          created: iso(at),
          lastUpdated: iso(at),
        }
        activities.push(activity)
        if (random.next() < 0.3) {
          comments.push({
            id: random.uuid(),
            type: 'comment',
            parentId: activity.id,
            state: 'closed',
            fieldsets: [BASE_FIELDSET.comment],
            data: {Context_Comment: random.pick(COMMENTS), Context_DisplayName: 'seed', Context_Visible: true},
            created: iso(at),
            lastUpdated: iso(at),
          })
        }
      }
    }
  }
  tally.counts.customer += customers.length
  tally.counts.request += requests.length
  tally.counts.activity += activities.length
  tally.counts.comment += comments.length
  return [...customers, ...requests, ...activities, ...comments]
}

/**
 * Chunks handed to a database store at a time: the next chunk is made while the last is written
 * (their transactions run one after another: SealedStore.transaction).
 */
const CHUNKS_IN_FLIGHT = 2

/** The externalId of the seeded customer number `index`, whatever the seed. */
function seededExternalId(index: number): string {
  return `seed-customer-${index}`
}

/**
 * Refuses, before anything is written, a seed into a store an earlier seed wrote to: its externalIds
 * would repeat (and its ids too, with the same --seed), so it would fail at its first chunk, with an
 * error about one object, after the chunks before it committed. An earlier seed left whole chunks
 * (one whole seed on a file store), so the first customer of each of this seed's chunks tells.
 */
async function refuseSeedingTwice(store: Store, customers: number, chunk: number): Promise<void> {
  const firsts: string[] = []
  for (let from = 0; from < customers; from += chunk) firsts.push(seededExternalId(from))
  if (firsts.length === 0) return
  const [seeded] = await store.transaction((tx) => tx.getManyByExternalId('customer', firsts))
  if (!seeded) return
  throw new ConflictError(`${store.location} already holds seeded customers (${seeded.externalId}): a store is seeded once`, {
    where: store.location,
    hint: 'The externalIds seed-customer-N repeat whatever --seed. Seed into a new store, or empty a lab store first with `ctx store flush`.',
  })
}

/**
 * Writes the seeded objects into `store`: all in one transaction where the store commits imports
 * whole (file, memory), in chunks of customers elsewhere (Postgres), two handed over at a time so
 * that making a chunk and writing one overlap. Each chunk holds its customers and everything under
 * them, so chunks never link to each other and could commit in any order: the store ends the same.
 * Aborted, it throws SeedInterrupted: in one transaction, before its commit begins (nothing written;
 * once begun, the commit finishes and the seed is whole); in chunks, once those handed over are done.
 */
export async function seedStore(store: Store, options: SeedOptions, onProgress?: (customersDone: number) => void): Promise<SeedSummary> {
  const random = new SeededRandom(options.seed)
  const tally: SeedSummary = {seed: options.seed, now: options.now, counts: {customer: 0, request: 0, activity: 0, comment: 0}, staleRequests: 0}
  const chunk = options.chunkCustomers ?? 1000
  await refuseSeedingTwice(store, options.customers, chunk)
  const {signal} = options
  if (commitsWhole(store)) {
    await store.transaction(async (tx) => {
      for (let from = 0; from < options.customers; from += chunk) {
        await tx.insert(generateChunk(options, random, from, Math.min(from + chunk, options.customers), tally))
        onProgress?.(Math.min(from + chunk, options.customers))
        // Every await above resolves at once in memory: a turn of the event loop lets a Ctrl-C in.
        if (signal) await new Promise((resolve) => setImmediate(resolve))
        if (signal?.aborted) throw new SeedInterrupted(0)
      }
    })
  } else {
    const writing = new Set<Promise<void>>()
    let done = 0
    for (let from = 0; from < options.customers && !signal?.aborted; from += chunk) {
      const to = Math.min(from + chunk, options.customers)
      const objects = generateChunk(options, random, from, to, tally)
      if (writing.size >= CHUNKS_IN_FLIGHT) await Promise.race(writing)
      if (signal?.aborted) break
      const written: Promise<void> = store.transaction((tx) => tx.insert(objects)).then(() => {
        writing.delete(written)
        done += to - from
        onProgress?.(done)
      })
      written.catch(() => undefined)
      writing.add(written)
    }
    if (signal?.aborted) {
      await Promise.allSettled(writing)
      throw new SeedInterrupted(done)
    }
    await Promise.all(writing)
  }
  const {customer, request, activity, comment} = tally.counts
  await store.refreshStatistics?.(customer + request + activity + comment)
  return tally
}
