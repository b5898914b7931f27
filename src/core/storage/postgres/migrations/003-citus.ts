// Version 3: the store distributed by customer on Citus (see docs/citus.md). Customer keys are
// folded as search folds links (customerKeyOf), so a search for one customer names its key, then,
// on a Citus coordinator, the store takes the distributed layout; on one PostgreSQL server the
// layout stays as it is.
import {distributeOnCitus} from '../citus.js'
import type {Migration} from '../schema.js'

export const citusLayout: Migration = {
  version: 3,
  name: 'customer keys folded as links; distributed by customer on Citus',
  sql: `UPDATE ctx_objects SET customer_key = lower(customer_key) WHERE customer_key <> lower(customer_key)`,
  after: async (client) => {
    await distributeOnCitus(client)
  },
}
