import {defineConfig} from 'vitest/config'
import {CITUS_TEST_URL, citusAvailable, postgresAvailable} from './test/helpers/postgres.js'

// End-to-end suites about one store in particular, not about what a user does with any store.
// sweep.test.ts and import-export.test.ts compare the store file's bytes and wait for its lock file;
// test/e2e/postgres.test.ts sweeps and imports on Postgres; secrets.test.ts names its own store URLs;
// at-rest.test.ts reads the store file's bytes.
const STORE_SPECIFIC = [
  'test/e2e/cli.test.ts',
  'test/e2e/file-store-safety.test.ts',
  'test/e2e/file-store-limit.test.ts',
  'test/e2e/sweep.test.ts',
  'test/e2e/import-export.test.ts',
  'test/e2e/postgres.test.ts',
  'test/e2e/at-rest.test.ts',
  'test/e2e/secrets.test.ts',
  'test/e2e/citus.test.ts',
]

// What runs a further time on a Citus coordinator, the store distributed by customer: the storage
// contract, the search tables, data at rest, and the end-to-end suites of what users do on PostgreSQL. Lean on
// purpose (every store is created distributed, which takes about a second on a 3-node cluster).
const ON_CITUS = [
  'test/contract/postgres.test.ts',
  'test/core/postgres-search.test.ts',
  'test/core/crypto/postgres-at-rest.test.ts',
  'test/e2e/postgres.test.ts',
  'test/e2e/customers.test.ts',
  'test/e2e/activities.test.ts',
  'test/e2e/requests.test.ts',
  'test/e2e/journey.test.ts',
  'test/e2e/search.test.ts',
  'test/e2e/seed.test.ts',
]

// Two cores: end-to-end tests spawn the CLI, so keep to two workers and give spawned runs room.
// Every test runs once; the end-to-end suites run a second time on PostgreSQL (docs/architecture.md, "Tests"), each
// sandbox in a schema of its own — skipped with a notice when no server answers, unless CI=true.
export default defineConfig(async () => ({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {extends: true, test: {name: 'all', include: ['test/**/*.test.ts']}},
      ...((await postgresAvailable())
        ? [{extends: true, test: {name: 'e2e on postgres', include: ['test/e2e/**/*.test.ts'], exclude: STORE_SPECIFIC, env: {CTX_TEST_STORE: 'postgres'}}}]
        : []),
      // CTX_TEST_CITUS_URL (default: the cluster .ci/run starts); skipped with a notice when none answers, unless CI=true.
      ...((await citusAvailable())
        ? [{extends: true, test: {name: 'on citus', include: ON_CITUS, env: {CTX_TEST_PG_URL: CITUS_TEST_URL, CTX_TEST_STORE: 'postgres'}}}]
        : []),
    ],
  },
}))
