import {configDefaults, defineConfig} from 'vitest/config'
import {CITUS_TEST_URL, citusAvailable, postgresAvailable} from './test/helpers/postgres.js'

// Two tiers (docs/testing.md). Unit and contract tests import src/ and need no build: `npm run
// test:unit` runs the projects named unit*. End-to-end tests (test/e2e) run the built CLI:
// `npm run test:e2e` builds, then runs the projects named e2e*. `npm test` builds and runs all.
const E2E = 'test/e2e/**/*.test.ts'

// The end-to-end suites that run a second time with each sandbox's store on PostgreSQL: those whose
// commands answer from what the store holds and how it queries it (objects and their rules, search,
// journey, seeding, values stored exactly, the order of stored fields). The rest (prompts, the desk,
// output conventions, config, hostile input, pasted examples) do the same on every store: what
// the store does under them is the contract suite's, run on every adapter (docs/testing.md).
// test/e2e/postgres.test.ts and the other PostgreSQL files name their own store URLs in the e2e project.
const E2E_ON_POSTGRES = [
  'test/e2e/customers.test.ts',
  'test/e2e/activities.test.ts',
  'test/e2e/requests.test.ts',
  'test/e2e/journey.test.ts',
  'test/e2e/search.test.ts',
  'test/e2e/seed.test.ts',
  'test/e2e/csv-edges.test.ts',
  'test/e2e/nul.test.ts',
  'test/e2e/field-order.test.ts',
]

// What runs a further time on a Citus coordinator, the store distributed by customer: the storage
// contract, the search tables, data at rest, PostgreSQL's own end-to-end suite (administration,
// bulk import, sweep, migrate), and the commands that write or read across customers' shards. Lean
// on purpose (every store is created distributed, which takes about a second on a 3-node cluster).
const UNIT_ON_CITUS = ['test/contract/postgres.test.ts', 'test/core/postgres-search.test.ts']
const E2E_ON_CITUS = [
  'test/e2e/postgres.test.ts',
  'test/e2e/postgres-at-rest.test.ts',
  'test/e2e/activities.test.ts',
  'test/e2e/requests.test.ts',
  'test/e2e/journey.test.ts',
  'test/e2e/search.test.ts',
  'test/e2e/seed.test.ts',
]

const onCitus = {CTX_TEST_PG_URL: CITUS_TEST_URL, CTX_TEST_STORE: 'postgres'}

// Two cores: end-to-end tests spawn the CLI, so keep to two workers and give spawned runs room.
// PostgreSQL and Citus projects are skipped with a printed notice when no server answers, unless CI=true.
export default defineConfig(async () => ({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {extends: true, test: {name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, E2E], globalSetup: ['test/setup/csv-worker.ts']}},
      {extends: true, test: {name: 'e2e', include: [E2E], globalSetup: ['test/setup/built.ts']}},
      ...((await postgresAvailable())
        ? [{extends: true, test: {name: 'e2e on postgres', include: E2E_ON_POSTGRES, env: {CTX_TEST_STORE: 'postgres'}, globalSetup: ['test/setup/built.ts']}}]
        : []),
      // CTX_TEST_CITUS_URL (default: the cluster .ci/run starts).
      ...((await citusAvailable())
        ? [
            {extends: true, test: {name: 'unit on citus', include: UNIT_ON_CITUS, env: onCitus, globalSetup: ['test/setup/csv-worker.ts']}},
            {extends: true, test: {name: 'e2e on citus', include: E2E_ON_CITUS, env: onCitus, globalSetup: ['test/setup/built.ts']}},
          ]
        : []),
    ],
  },
}))
