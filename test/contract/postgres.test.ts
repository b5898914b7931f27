import {systemClock} from '../../src/core/clock.js'
import {openStore} from '../../src/core/storage/open.js'
import {describePostgres, testSchema} from '../helpers/postgres.js'
import {storeContract} from './store-contract.js'

// Each case gets a schema of its own with ctx's schema installed (as `ctx store upgrade` leaves an
// empty database): no store row yet, so the first write makes a production store, as on file:.
let current: Awaited<ReturnType<typeof testSchema>> | undefined
const factory = {
  async open() {
    current = await testSchema('contract')
    const store = await openStore(current.url, {clock: systemClock})
    await store.upgrade()
    return store
  },
  reopen: () => openStore(current!.url, {clock: systemClock}),
  async cleanup() {
    await current?.drop()
  },
}

await describePostgres('postgres://', () => storeContract('postgres', factory))
