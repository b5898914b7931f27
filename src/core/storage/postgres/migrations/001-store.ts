// Version 1: the store (mode), the definitions, and the objects with an index for each way ctx
// reads them. Every table that holds customer data has customer_key first in its primary key, so
// the schema can be distributed by customer on Citus (see docs/citus.md).
import {baseDefinitions} from '../../../definitions/model.js'
import {writeDefinitions} from '../definitions.js'
import type {Migration} from '../schema.js'

export const storeSchema: Migration = {
  version: 1,
  name: 'store, definitions and objects',
  sql: `
CREATE TABLE ctx_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row once the store is initialised (store init, or the first write: production).
CREATE TABLE ctx_store (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  mode text NOT NULL CHECK (mode IN ('lab', 'production')),
  created text NOT NULL
);

CREATE TABLE ctx_definitions (
  kind text NOT NULL CHECK (kind IN ('field', 'fieldset')),
  id text COLLATE "C" NOT NULL,
  position integer NOT NULL,
  body json NOT NULL,
  PRIMARY KEY (kind, id)
);

-- Text columns compare in "C" order, which is JavaScript's order for ctx's ids and ISO instants,
-- so paging and ranges agree with the file store. body is json, not jsonb: it keeps the object's
-- text (key order, any character) exactly as written. created_at and updated_at are the instants
-- for ranges and the sweep ('infinity' when they do not parse); terms, phrases, numbers and dates
-- serve search.
CREATE TABLE ctx_objects (
  customer_key text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  type text NOT NULL,
  customer_id text COLLATE "C",
  parent_id text COLLATE "C",
  state text,
  media_type text,
  external_id text COLLATE "C",
  created text COLLATE "C" NOT NULL,
  last_updated text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  terms text[] COLLATE "C" NOT NULL,
  phrases text[] COLLATE "C" NOT NULL,
  numbers jsonb NOT NULL,
  dates jsonb NOT NULL,
  body json NOT NULL,
  PRIMARY KEY (customer_key, id)
);

CREATE UNIQUE INDEX ctx_objects_id ON ctx_objects (id);
CREATE UNIQUE INDEX ctx_objects_external_id ON ctx_objects (type, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ctx_objects_newest ON ctx_objects (last_updated, id);
-- Search compares links case-insensitively (lower()); the sweep also joins children by lower(parent_id).
CREATE INDEX ctx_objects_by_customer ON ctx_objects (lower(customer_id), last_updated, id) WHERE customer_id IS NOT NULL;
CREATE INDEX ctx_objects_by_parent ON ctx_objects (lower(parent_id), last_updated, id) WHERE parent_id IS NOT NULL;
CREATE INDEX ctx_objects_link_order ON ctx_objects (type, created, id);
CREATE INDEX ctx_objects_active_requests ON ctx_objects (updated_at) WHERE type = 'request' AND state = 'active';
CREATE INDEX ctx_objects_terms ON ctx_objects USING gin (terms);
`,
  // Every new store starts with the base definitions (docs/model.md).
  after: (client) => writeDefinitions(client, baseDefinitions()),
}
