// Version 4: the keys of data at rest (src/core/crypto). The keyring's record (the fingerprint of
// the key-encryption key the data keys are wrapped under) and the wrapped data keys, one row each,
// keyed like the objects by customer_key first, so a customer's key lives beside the customer on
// Citus and is deleted with it. The values themselves stay in ctx_objects.body, sealed.
import {DISTRIBUTED, distributeKeys} from '../citus.js'
import type {Migration} from '../schema.js'

export const keysSchema: Migration = {
  version: 4,
  name: 'keys of encrypted values',
  sql: `
CREATE TABLE ctx_keyring (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  kek text NOT NULL,
  created text NOT NULL,
  rotated text
);

-- customer_key: the customer's id for a customer's data key, else the key's own id.
CREATE TABLE ctx_keys (
  customer_key text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  wrapped text NOT NULL,
  PRIMARY KEY (customer_key, id)
);
`,
  // On a store distributed on Citus (version 3): the key tables join the distributed layout.
  after: async (client) => {
    const {rows} = await client.query<{distributed: boolean}>(`SELECT ${DISTRIBUTED} AS distributed`)
    if (rows[0].distributed) await distributeKeys(client)
  },
}
