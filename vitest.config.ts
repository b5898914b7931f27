import {defineConfig} from 'vitest/config'

// Two cores: end-to-end tests spawn the CLI, so keep to two workers and give spawned runs room.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
