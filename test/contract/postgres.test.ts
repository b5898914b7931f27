import {systemClock} from '../../src/core/clock.js'
import {openStore} from '../../src/core/storage/open.js'
import {describePostgres, testSchema} from '../helpers/postgres.js'
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
  storeContract('postgres', schemaFactory('contract'))
  searchContract('postgres', schemaFactory('search'))
})
