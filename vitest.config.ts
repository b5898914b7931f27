import {defineConfig} from 'vitest/config'
import {postgresAvailable} from './test/helpers/postgres.js'

// End-to-end suites about one store in particular, not about what a user does with any store.
// sweep.test.ts and import-export.test.ts compare the store file's bytes and wait for its lock file;
// test/e2e/postgres.test.ts sweeps and imports on Postgres; secrets.test.ts names its own store URLs.
const STORE_SPECIFIC = [
  'test/e2e/cli.test.ts',
  'test/e2e/file-store-safety.test.ts',
  'test/e2e/file-store-limit.test.ts',
  'test/e2e/sweep.test.ts',
  'test/e2e/import-export.test.ts',
  'test/e2e/postgres.test.ts',
  'test/e2e/secrets.test.ts',
]

// Two cores: end-to-end tests spawn the CLI, so keep to two workers and give spawned runs room.
// Every test runs once; the end-to-end suites run a second time on PostgreSQL (DESIGN §3), each
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
    ],
  },
}))
