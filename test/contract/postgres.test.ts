import {systemClock} from '../../src/core/clock.js'
import {openStore} from '../../src/core/storage/open.js'
import {expect, it} from 'vitest'
import {admin, describePostgres, testSchema} from '../helpers/postgres.js'
import {searchContract} from './search-contract.js'
import {storeContract, type StoreFactory} from './store-contract.js'

/**
 * Each store gets a schema of its own with ctx's schema installed (as `ctx store upgrade` leaves an
 * empty database): no store row yet, so the first write makes a production store, as on file:.
 */
function schemaFactory(label: string): StoreFactory {
  const made: Awaited<ReturnType<typeof testSchema>>[] = []
  return {
    async open() {
      const schema = await testSchema(label)
      made.push(schema)
      const store = await openStore(schema.url, {clock: systemClock})
      await store.upgrade()
      return store
    },
    reopen: () => openStore(made.at(-1)!.url, {clock: systemClock}),
    async cleanup() {
      for (const schema of made.splice(0)) await schema.drop()
    },
  }
}

await describePostgres('postgres://', () => {
  // This file runs on plain PostgreSQL and again on a Citus coordinator (vitest.config.ts): the
  // contract holds for the store distributed there, not for a single-node layout by mistake.
  it('lays the store out distributed by customer exactly when the server is a Citus coordinator', async () => {
    const schema = await testSchema('layout')
    try {
      const store = await openStore(schema.url, {clock: systemClock})
      await store.upgrade()
      await store.close()
      const {citus, distributed} = await admin(async (client) => {
        const {rows} = await client.query(`SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') AS citus`)
        const claims = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`"${schema.schema}".ctx_claims`])
        return {citus: rows[0].citus as boolean, distributed: claims.rows[0].present as boolean}
      })
      expect(distributed).toBe(citus)
    } finally {
      await schema.drop()
    }
  })

  storeContract('postgres', schemaFactory('contract'))
  searchContract('postgres', schemaFactory('search'))
})
