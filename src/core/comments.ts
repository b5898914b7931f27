// Comments: immutable notes on a request or an activity, written by an operator or by ctx itself
// (the record of a move). A new comment counts as an update of the request it is under (rule 3).
import {NotFoundError, UsageError} from './errors.js'
import {newId} from './ids.js'
import {resolveLinks} from './links.js'
import {BASE_FIELDSET, type ContextObject} from './model.js'
import {checkObject, findEvery, nextTimestamp, type Session} from './objects.js'
import {requestOf, touchRequest} from './changes.js'
import {allOf, equals, type Filter} from './search/query.js'
import type {StoreReader, StoreWriter} from './storage/store.js'
import type {Clock} from './clock.js'

/** Who wrote a comment ctx made itself, in Context_DisplayName. */
export const SYSTEM_AUTHOR = 'ctx (system)'
/** The tag on comments ctx made itself, so `tags:system` finds them. */
export const SYSTEM_TAG = 'system'

/** Adds an operator's comment to a request or an activity (not under a closed request). */
export async function addComment(session: Session, targetId: string, text: string): Promise<ContextObject> {
  const trimmed = text.trim()
  if (trimmed === '') throw new UsageError('a comment needs text', {hint: 'Give --text "what happened".'})
  return session.store.transaction(async (tx) => {
    const target = await tx.get(targetId)
    if (!target || (target.type !== 'request' && target.type !== 'activity')) {
      throw new NotFoundError(`no activity or request with id ${targetId}`, {
        where: targetId,
        hint: target ? `${targetId} is a ${target.type}; comments go on requests and activities.` : 'Search for it: ctx search WORDS',
      })
    }
    return insertComment(tx, session.clock, {parent: target, text: trimmed, author: session.actor})
  })
}

export interface CommentDraft {
  parent: ContextObject
  text: string
  author: string
  tags?: string[]
}

/**
 * Writes a comment inside a transaction: links checked (nothing new under a closed request), data
 * validated against cisco.base.comment, and the request it is under touched.
 */
export async function insertComment(tx: StoreWriter, clock: Clock, draft: CommentDraft): Promise<ContextObject> {
  const now = nextTimestamp(clock)
  const {object: comment} = await resolveLinks(tx, {
    id: newId(),
    type: 'comment',
    parentId: draft.parent.id,
    state: 'closed',
    ...(draft.tags ? {tags: draft.tags} : {}),
    fieldsets: [BASE_FIELDSET.comment],
    data: {Context_Comment: draft.text, Context_DisplayName: draft.author},
    created: now,
    lastUpdated: now,
  })
  await checkObject(comment, await tx.definitions())
  await tx.insert([comment])
  await touchRequest(tx, await requestOf(tx, draft.parent), clock)
  return comment
}

/**
 * The comments and feedback on each of `parentIds`, oldest first (a thread reads top to bottom), in
 * one read: on PostgreSQL one probe of the parent index per id, on the file store one pass.
 */
export async function commentsOn(reader: StoreReader, parentIds: readonly string[]): Promise<Map<string, ContextObject[]>> {
  if (parentIds.length === 0) return new Map()
  const where = allOf(anyOf(['comment', 'feedback'].map((type) => equals('type', type))), anyOf(parentIds.map((id) => equals('parentId', id))))!
  return threads(await findEvery(reader, where))
}

/** Comments and feedback by the id of what they are on, each thread oldest first. */
export function threads<T extends Placed>(comments: Iterable<T>): Map<string, T[]> {
  const byParent = new Map<string, T[]>()
  for (const comment of comments) {
    const list = byParent.get(comment.parentId!) ?? []
    list.push(comment)
    byParent.set(comment.parentId!, list)
  }
  for (const list of byParent.values()) list.sort(oldestFirst)
  return byParent
}

/** What threads and their order need of an object: whole, or its outline (storage/store.ts). */
type Placed = Pick<ContextObject, 'id' | 'created' | 'parentId'>

export function oldestFirst(a: Placed, b: Placed): number {
  if (a.created !== b.created) return a.created < b.created ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function anyOf(children: Filter[]): Filter {
  return children.length === 1 ? children[0] : {kind: 'or', children}
}
