// The auto-close sweep (rule 3) on PostgreSQL: one set-based UPDATE … RETURNING over the
// active requests, with the rule of StoreWriter.closeStaleRequests written as two anti-joins.
import {OBJECT_KEYS} from '../../model.js'
import type {CloseStaleOptions, CloseStaleResult} from '../store.js'
import {instant} from './rows.js'
import type {Queryable} from './schema.js'

/**
 * Active requests with no update at or after the cutoff ($1) on themselves, on any non-request
 * under them, or on anything but a request or an activity under one of their activities — the
 * same crediting as the in-memory sweep. Children are found through lower(parent_id), then
 * compared exactly.
 */
const STALE = `r.type = 'request' AND r.state = 'active' AND r.updated_at < $1
  AND NOT EXISTS (
    SELECT 1 FROM ctx_objects a
    WHERE lower(a.parent_id) = lower(r.id) AND a.parent_id = r.id AND a.type <> 'request' AND a.updated_at >= $1)
  AND NOT EXISTS (
    SELECT 1 FROM ctx_objects a JOIN ctx_objects c ON lower(c.parent_id) = lower(a.id) AND c.parent_id = a.id
    WHERE lower(a.parent_id) = lower(r.id) AND a.parent_id = r.id AND a.type = 'activity'
      AND c.type NOT IN ('request', 'activity') AND c.updated_at >= $1)`

/**
 * The closed request's body: the stored one with state, lastUpdated, closedAt and closeReason
 * replaced, its keys kept in the canonical order ($3) so it reads back exactly as any adapter writes it.
 */
const CLOSED_BODY = `(
  SELECT json_object_agg(k, v ORDER BY array_position($3::text[], k)) FROM (
    SELECT key, value FROM json_each(r.body) WHERE key NOT IN ('state', 'lastUpdated', 'closedAt', 'closeReason')
    UNION ALL VALUES ('state', to_json('closed'::text)), ('lastUpdated', to_json($2::text)), ('closedAt', to_json($2::text)), ('closeReason', to_json('auto'::text))
  ) AS pairs(k, v))`

/**
 * The same rule on Citus: what is under a request lives under its customer's key, so each anti-join
 * also matches customer_key — a join co-located on the distribution column, which every shard
 * answers for its own customers, in parallel.
 */
export const STALE_DISTRIBUTED = `r.type = 'request' AND r.state = 'active' AND r.updated_at < $1
  AND NOT EXISTS (
    SELECT 1 FROM ctx_objects a
    WHERE a.customer_key = r.customer_key AND lower(a.parent_id) = lower(r.id) AND a.parent_id = r.id AND a.type <> 'request' AND a.updated_at >= $1)
  AND NOT EXISTS (
    SELECT 1 FROM ctx_objects a JOIN ctx_objects c ON c.customer_key = a.customer_key AND lower(c.parent_id) = lower(a.id) AND c.parent_id = a.id
    WHERE a.customer_key = r.customer_key AND lower(a.parent_id) = lower(r.id) AND a.parent_id = r.id AND a.type = 'activity'
      AND c.type NOT IN ('request', 'activity') AND c.updated_at >= $1)`

export async function closeStaleRequests(db: Queryable, options: CloseStaleOptions, distributed = false): Promise<CloseStaleResult> {
  const cutoff = instant(options.cutoff)
  // On Citus two sweeps take turns on the coordinator (a lock per store's schema), so the second
  // starts on the shards after the first committed and finds nothing left to close.
  if (distributed && !options.dryRun) await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('ctx sweep ' || current_schema(), 0))`)
  const stale = distributed ? STALE_DISTRIBUTED : STALE
  const counted = await db.query<{count: string}>(`SELECT count(*) AS count FROM ctx_objects WHERE type = 'request' AND state = 'active'`)
  const scanned = Number(counted.rows[0].count)
  const {rows} = options.dryRun
    ? await db.query<{id: string}>(`SELECT r.id FROM ctx_objects r WHERE ${stale}`, [cutoff])
    : await db.query<{id: string}>(
        `UPDATE ctx_objects r SET state = 'closed', last_updated = $2, updated_at = $4::timestamptz,
         body = ${distributed ? 'ctx_closed_body(r.body, $2, $3::text[])' : CLOSED_BODY}
         WHERE ${stale} RETURNING r.id`,
        [cutoff, options.closedAt, OBJECT_KEYS, instant(options.closedAt)],
      )
  return {closed: rows.map((row) => row.id).sort(), scanned}
}
