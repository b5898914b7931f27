// `ctx migrate`: copies a whole store to another (any adapter to any adapter), streaming in link
// order in batches — each batch one transaction, so a failure leaves only whole batches behind (one
// transaction in all where the target says so: a file rewrites itself on each) — then reads the target back
// and proves it holds what the source held: counts and a checksum per type.
import {createHash} from 'node:crypto'
import type {Clock} from './clock.js'
import type {Definitions} from './definitions/model.js'
import {ConflictError, NotFoundError, StorageError, UsageError} from './errors.js'
import {assertWithinLimits, canonical, type ContextObject, OBJECT_TYPES, type ObjectType} from './model.js'
import {openStore, parseStoreUrl} from './storage/open.js'
import {commitsWhole, type Store, type StoreWriter} from './storage/store.js'
import type {KeySettings} from './crypto/sealed-store.js'

export interface MigrateOptions {
  from: string
  to: string
  /** Copy into a store that already holds objects: same ids are replaced, the others kept. */
  upsert?: boolean
  clock: Clock
  batchSize?: number
  /** Called after each batch lands, with objects copied so far and the source's total. */
  onProgress?: (copied: number, total: number) => void
  /**
   * Each store's key-encryption key: values are opened with the source's keys and sealed again with
   * the target's, so stores with different keys migrate as any others.
   */
  keys?: {from?: KeySettings; to?: KeySettings}
}

export interface TypeTally<T> {
  source: T
  target: T
}

export interface MigrateResult {
  from: string
  to: string
  copied: number
  counts: Record<ObjectType, TypeTally<number>>
  checksums: Record<ObjectType, TypeTally<string>>
  verified: boolean
  seconds: number
}

export async function migrateStore(options: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now()
  const [from, to] = [parseStoreUrl(options.from), parseStoreUrl(options.to)]
  if (from.kind === to.kind && from.target === to.target && !(from.kind === 'memory' && from.target === '')) {
    throw new UsageError('--from and --to name the same store', {hint: 'Migrate copies one store into another.'})
  }
  const source = await openStore(options.from, {clock: options.clock, keys: options.keys?.from})
  try {
    const target = await openStore(options.to, {clock: options.clock, keys: options.keys?.to})
    try {
      return await copyStore(source, target, options, started)
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

async function copyStore(source: Store, target: Store, options: MigrateOptions, started: number): Promise<MigrateResult> {
  const sourceInfo = await source.info()
  if (!sourceInfo.initialized) {
    throw new NotFoundError(`${source.location} holds no store to migrate`, {where: source.location, hint: 'Check --from.'})
  }
  const targetInfo = await target.info()
  const held = Object.values(targetInfo.counts).reduce((sum, count) => sum + count, 0)
  if (held > 0 && !options.upsert) {
    throw new ConflictError(`${target.location} already holds ${held} objects`, {
      where: target.location,
      hint: 'Migrate into an empty store, or add --upsert to replace objects with the same ids and keep the others.',
    })
  }
  if (!targetInfo.initialized) await target.init(sourceInfo.mode ?? 'production')
  const sourceDefinitions = await source.definitions()
  const definitions = options.upsert ? mergeDefinitions(await target.definitions(), sourceDefinitions) : sourceDefinitions
  // As objects are below (assertWithinLimits): named here, exit 5, rather than failing inside the target.
  const {assertWellFormedDefinitions} = await import('./definitions/schema-check.js')
  assertWellFormedDefinitions(definitions, source.location)
  await target.transaction((tx) => tx.putDefinitions(definitions))

  const total = Object.values(sourceInfo.counts).reduce((sum, count) => sum + count, 0)
  const sourceTally = new Tally()
  // With --upsert the target keeps objects of its own; verification looks only at the copied ones.
  const copiedIds = options.upsert ? new Set<string>() : null
  let copied = 0
  const copy = async (tx: StoreWriter, batch: readonly ContextObject[]) => {
    // A store written by an older ctx may hold what this one refuses (an externalId too long for
    // PostgreSQL's index): named here, exit 5, rather than failing inside the target.
    for (const object of batch) assertWithinLimits(object)
    await (options.upsert ? upsertBatch(tx, batch) : tx.insert(batch))
    for (const object of batch) {
      sourceTally.add(object)
      copiedIds?.add(object.id)
    }
    copied += batch.length
    options.onProgress?.(copied, Math.max(total, copied))
  }
  const batches = source.scan({batchSize: options.batchSize ?? Math.min(target.capabilities.importBatchSize, 1000)})
  if (commitsWhole(target)) {
    await target.transaction(async (tx) => {
      for await (const batch of batches) await copy(tx, batch)
    })
  } else {
    for await (const batch of batches) await target.transaction((tx) => copy(tx, batch))
  }
  await target.refreshStatistics?.(copied)

  const targetTally = new Tally()
  for await (const batch of target.scan({batchSize: options.batchSize ?? 1000})) {
    for (const object of batch) if (!copiedIds || copiedIds.has(object.id)) targetTally.add(object)
  }
  const result: MigrateResult = {
    from: source.location,
    to: target.location,
    copied,
    counts: sourceTally.compare(targetTally, (tally) => tally.count),
    checksums: sourceTally.compare(targetTally, (tally) => tally.checksum()),
    verified: OBJECT_TYPES.every((type) => sourceTally.matches(targetTally, type)),
    seconds: Math.round(performance.now() - started) / 1000,
  }
  if (!result.verified) {
    throw new StorageError(`${target.location} does not hold what was copied from ${source.location}: counts or checksums differ`, {
      where: target.location,
      hint: 'Another process may have written to either store during the copy. See the details, and migrate again into an empty store.',
      details: {...result},
    })
  }
  return result
}

async function upsertBatch(tx: StoreWriter, batch: readonly ContextObject[]): Promise<void> {
  const fresh: ContextObject[] = []
  for (const object of batch) {
    if (await tx.get(object.id)) await tx.update(object)
    else fresh.push(object)
  }
  await tx.insert(fresh)
}

function mergeDefinitions(target: Definitions, source: Definitions): Definitions {
  return {fields: {...target.fields, ...source.fields}, fieldsets: {...target.fieldsets, ...source.fieldsets}}
}

const MODULUS = 1n << 256n

/**
 * Per type: how many objects, and the sum modulo 2^256 of the SHA-256 of each one's canonical JSON.
 * The sum does not depend on order, so each side is computed while it streams, in constant memory.
 */
class Tally {
  private readonly types = new Map<ObjectType, {count: number; sum: bigint}>(OBJECT_TYPES.map((type) => [type, {count: 0, sum: 0n}]))

  add(object: ContextObject): void {
    const tally = this.types.get(object.type)!
    tally.count++
    const digest = createHash('sha256').update(JSON.stringify(canonical(object))).digest('hex')
    tally.sum = (tally.sum + BigInt(`0x${digest}`)) % MODULUS
  }

  matches(other: Tally, type: ObjectType): boolean {
    const [mine, theirs] = [this.types.get(type)!, other.types.get(type)!]
    return mine.count === theirs.count && mine.sum === theirs.sum
  }

  compare<T>(target: Tally, value: (tally: {count: number; checksum(): string}) => T): Record<ObjectType, TypeTally<T>> {
    const view = (tally: {count: number; sum: bigint}) => ({count: tally.count, checksum: () => tally.sum.toString(16).padStart(64, '0')})
    return Object.fromEntries(
      OBJECT_TYPES.map((type) => [type, {source: value(view(this.types.get(type)!)), target: value(view(target.types.get(type)!))}]),
    ) as Record<ObjectType, TypeTally<T>>
  }
}
