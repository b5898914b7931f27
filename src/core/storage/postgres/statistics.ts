// Planner statistics after bulk writes: a store seeded or imported into moments ago has none (or an
// emptier store's), and the planner then picks plans that read the whole table per row — a sweep of
// 20k seeded customers took 192 s before ANALYZE and 1.5 s after. ctx does at once what autovacuum
// would do on its next round (which may be late, or never when autovacuum is off), and only then.
import type {Queryable} from './schema.js'

/** autovacuum's defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor). */
const ANALYZE_THRESHOLD = 50
const ANALYZE_SCALE_FACTOR = 0.1

/**
 * Whether the statistics of a table are stale by autovacuum's rule: more rows changed since its last
 * ANALYZE than 50 plus a tenth of the rows it held then (`analyzedRows` is -1 when never analysed).
 */
export function statisticsStale(changedRows: number, analyzedRows: number): boolean {
  return changedRows > ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * Math.max(0, analyzedRows)
}

/**
 * After `written` objects landed (Infinity: rewritten by a schema upgrade), ANALYZEs ctx_objects when
 * its statistics are stale, and merges the GIN index's pending list. The server's count of changes
 * since the last ANALYZE is reported by each connection a moment after it goes idle, so the larger of
 * it and `written` counts. True when it analysed.
 */
export async function refreshStatistics(db: Queryable, written: number): Promise<boolean> {
  const {rows} = await db.query<{analyzed: number; changed: string | null}>(
    `SELECT c.reltuples AS analyzed, s.n_mod_since_analyze AS changed
       FROM pg_class c LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid WHERE c.oid = to_regclass('ctx_objects')`,
  )
  if (!rows[0]) return false
  if (!statisticsStale(Math.max(written, Number(rows[0].changed ?? 0)), Number(rows[0].analyzed))) return false
  await db.query('ANALYZE ctx_objects')
  await mergePendingTerms(db)
  return true
}

/**
 * The GIN index on `terms` takes new entries into a pending list that every word search reads
 * through, up to gin_pending_list_limit (4 MB), until VACUUM or autovacuum's own ANALYZE merges it
 * into the index; a manual ANALYZE does not, and with autovacuum off or late nothing does. Right
 * after seeding 2k customers a search for one email read ~200 pages of it (10 ms); merged, 4 pages
 * (0.7 ms; bench P6, docs/performance.md). On Citus the coordinator's index is an empty shell and
 * the shards keep their lists (their servers' autovacuum merges them). Best effort: it needs the
 * index's owner, as ANALYZE does.
 */
async function mergePendingTerms(db: Queryable): Promise<void> {
  await db.query(`SELECT gin_clean_pending_list(to_regclass('ctx_objects_terms'))`).catch(() => undefined)
}
