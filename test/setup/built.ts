// vitest globalSetup of the end-to-end projects: they run the built CLI (bin/run.js loads
// dist/ctx.cjs), so without a build they stop here, saying how to make one, rather than failing
// each test on a missing file.
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

export function setup(): void {
  if (!existsSync(fileURLToPath(new URL('../../dist/ctx.cjs', import.meta.url)))) {
    throw new Error('The end-to-end tests run the built CLI and there is no build: run `npm run test:e2e` (which builds first), or `npm run build`.')
  }
}
