// The refusals every store and every change makes in the same words, whichever adapter or rule
// finds the problem: an externalId taken, a stale read (rule 4, `--if-last-updated`), a store
// initialised in another mode, and a flush of a store that is not a lab store.
import {ConflictError} from '../errors.js'
import type {ContextObject, ObjectType} from '../model.js'
import type {StoreMode} from './store.js'

/** The command that changes an object of each type that has an externalId. */
const UPDATE_COMMAND: Partial<Record<ObjectType, string>> = {customer: 'customers update', request: 'requests update', activity: 'activities update'}

/** An externalId is unique per type: another object of the type (`holder`) already has this one's. */
export function externalIdTaken(object: ContextObject, holder: string): ConflictError {
  const update = UPDATE_COMMAND[object.type]
  return new ConflictError(`externalId "${object.externalId}" already belongs to ${object.type} ${holder}`, {
    where: object.externalId,
    hint: `externalId is unique per type: change that ${object.type} instead${update ? ` (ctx ${update} ${holder})` : ''}, or, importing a file, add --upsert to update it from the file.`,
  })
}

/**
 * Rule 4, optimistic concurrency: refuses when the object was changed since the `read` lastUpdated
 * (nothing to check without one). `stored` is the lastUpdated the store holds now.
 */
export function checkLastUpdated(object: {type: string; id: string}, stored: string, read: string | undefined): void {
  if (read === undefined || read === stored) return
  throw new ConflictError(`${object.type} ${object.id} was changed at ${stored}, after the ${read} you read`, {
    where: object.id,
    hint: 'Show it again, then retry with the new lastUpdated.',
    details: {stored},
  })
}

/** A store keeps the mode it was initialised with: `init` in another mode is refused. */
export function checkMode(location: string, stored: StoreMode | null | undefined, wanted: StoreMode): void {
  if (!stored || stored === wanted) return
  throw new ConflictError(`${location} is already a ${stored} store`, {hint: 'A store keeps the mode it was initialised with.'})
}

/** Only lab stores can be flushed. */
export function checkFlushable(location: string, mode: StoreMode | null | undefined): asserts mode is 'lab' {
  if (mode === 'lab') return
  throw new ConflictError(`${location} is ${mode ? `a ${mode} store` : 'not initialised'}; only lab stores can be flushed`, {
    hint: 'Flush works on stores made with `ctx store init --mode lab`. To remove one customer, use `ctx customers delete`.',
  })
}
