// The store distributed by customer on Citus: on a coordinator (a database with the citus
// extension), ctx_objects is hash-distributed by customer_key, so everything of one customer lives
// in one shard; the definitions and the store's own tables are reference tables, copied to every
// node. Citus allows no unique index without the distribution column, so the uniqueness of ids and
// of externalIds per type across the whole store is kept by ctx_claims, distributed by the claim
// itself and written in the same transaction as the objects.
import type {Queryable} from './schema.js'

/** Whether the database is a Citus coordinator: there, `store init` and `store upgrade` distribute the store. */
export async function onCitusCoordinator(db: Queryable): Promise<boolean> {
  const {rows} = await db.query<{citus: boolean}>(`SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') AS citus`)
  if (!rows[0].citus) return false
  const role = await db.query<{coordinator: boolean}>('SELECT citus_is_coordinator() AS coordinator')
  return role.rows[0].coordinator
}

/** Whether the store in the search path has the distributed layout. */
export const DISTRIBUTED = `(to_regclass('ctx_claims') IS NOT NULL)`

/** The claim of an id, and of an externalId for its type: a tab never starts a type. */
export function idClaim(id: string): string {
  return `\tid\t${id}`
}

export function externalIdClaim(type: string, externalId: string): string {
  return `${type}\t${externalId}`
}

/**
 * Takes the store in the search path (schema version 3, single-node layout) to the distributed
 * layout, when the database is a Citus coordinator and the store is not distributed yet; otherwise
 * does nothing. Runs inside the upgrade's transaction; the rows already there are claimed and
 * then moved to the shards by Citus.
 */
export async function distributeOnCitus(db: Queryable): Promise<boolean> {
  if (!(await onCitusCoordinator(db))) return false
  const {rows} = await db.query<{distributed: boolean}>(`SELECT ${DISTRIBUTED} AS distributed`)
  if (rows[0].distributed) return false
  // Citus's table creation takes locks across the cluster; two stores distributed at once in one
  // database (a test suite's schemas, a team's stores) could meet in a distributed deadlock. They
  // take turns instead, each waiting for the others' few seconds past the usual lock timeout.
  await db.query(`SET LOCAL lock_timeout = '120s'`)
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('ctx citus layout', 0))`)
  await db.query(`
DROP INDEX ctx_objects_id;
CREATE INDEX ctx_objects_id ON ctx_objects (id);
DROP INDEX ctx_objects_external_id;
CREATE INDEX ctx_objects_external_id ON ctx_objects (type, external_id) WHERE external_id IS NOT NULL;
CREATE TABLE ctx_claims (
  claim text COLLATE "C" PRIMARY KEY,
  id text COLLATE "C" NOT NULL
);
INSERT INTO ctx_claims (claim, id)
  SELECT E'\\tid\\t' || id, id FROM ctx_objects
  UNION ALL SELECT type || E'\\t' || external_id, id FROM ctx_objects WHERE external_id IS NOT NULL;
SELECT create_reference_table('ctx_migrations');
SELECT create_reference_table('ctx_store');
SELECT create_reference_table('ctx_definitions');
SELECT create_distributed_table('ctx_objects', 'customer_key');
SELECT create_distributed_table('ctx_claims', 'claim', colocate_with => 'none');
-- The sweep's closed body (sweep.ts), as a function every node has: Citus runs no subquery of a
-- table function and a UNION on its shards. Immutable in what it does (to_json of text).
CREATE FUNCTION ctx_closed_body(body json, at text, keys text[]) RETURNS json LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT json_object_agg(k, v ORDER BY array_position(keys, k)) FROM (
    SELECT key, value FROM json_each(body) WHERE key NOT IN ('state', 'lastUpdated', 'closedAt', 'closeReason')
    UNION ALL VALUES ('state', to_json('closed'::text)), ('lastUpdated', to_json(at)), ('closedAt', to_json(at)), ('closeReason', to_json('auto'::text))
  ) AS pairs(k, v)
$$;
SELECT create_distributed_function('ctx_closed_body(json, text, text[])');
`)
  await distributeKeys(db)
  return true
}

/**
 * The keys of data at rest (schema version 4) in the distributed layout: the keyring's one row a
 * reference table like ctx_store, the wrapped data keys distributed by customer_key beside the
 * objects, so a customer's key sits in the customer's shard and goes with it. Does nothing where
 * the store has no key tables yet (a store distributed at version 3: migration 4 calls this itself).
 */
export async function distributeKeys(db: Queryable): Promise<void> {
  const {rows} = await db.query<{keys: boolean}>(`SELECT to_regclass('ctx_keys') IS NOT NULL AS keys`)
  if (!rows[0].keys) return
  await db.query(`
SELECT create_reference_table('ctx_keyring');
SELECT create_distributed_table('ctx_keys', 'customer_key', colocate_with => 'ctx_objects');
`)
}
