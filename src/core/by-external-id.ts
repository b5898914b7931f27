// Values keyed by (type, externalId), the key of upserts: the store's index and an import's pending writes.
import type {ObjectType} from './model.js'

/**
 * Values by (type, externalId): a map per type keyed by the externalId string itself, so a lookup
 * hashes a string it already has (its hash is cached) instead of building a composite key each
 * time; an import looks up every row's externalId several times (bench P3).
 */
export class ByExternalId<V> {
  private readonly byType = new Map<ObjectType, Map<string, V>>()

  get(type: ObjectType, externalId: string): V | undefined {
    return this.byType.get(type)?.get(externalId)
  }

  set(type: ObjectType, externalId: string, value: V): void {
    let map = this.byType.get(type)
    if (!map) this.byType.set(type, (map = new Map()))
    map.set(externalId, value)
  }

  delete(type: ObjectType, externalId: string): void {
    this.byType.get(type)?.delete(externalId)
  }

  clear(): void {
    this.byType.clear()
  }

  forEach(visit: (type: ObjectType, externalId: string, value: V) => void): void {
    for (const [type, values] of this.byType) for (const [externalId, value] of values) visit(type, externalId, value)
  }
}
