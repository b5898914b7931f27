#!/usr/bin/env node
// Entry point. oclif finds commands through oclif.manifest.json, so startup imports only the one it
// runs. An unknown command is a usage error: exit 2 (DESIGN §5), not oclif's 127.
import {flush, handle, run} from '@oclif/core'

try {
  await run(process.argv.slice(2), import.meta.url)
  await flush()
} catch (error) {
  if (error?.oclif?.exit === 127) error.oclif.exit = 2
  await handle(error)
}
