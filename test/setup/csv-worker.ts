// vitest globalSetup: the CSV reader's worker thread (src/core/io/csv-worker.ts) bundled from
// source, with csv-parse, into a temporary directory, and named to csv-source.ts by
// CTX_CSV_WORKER, so that tests reading a big CSV file in-process run without a build. The CLI the
// end-to-end tests spawn gets a sandbox's environment, without it: it runs the build's worker.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

export async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'ctx-csv-worker-'))
  const outfile = join(dir, 'csv-worker.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/core/io/csv-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  })
  process.env.CTX_CSV_WORKER = outfile
  return () => rmSync(dir, {recursive: true, force: true})
}
