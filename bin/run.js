#!/usr/bin/env node
// Entry point. oclif finds commands through oclif.manifest.json, so startup imports only the one it
// runs. An unknown command is a usage error: exit 2 (DESIGN §5), not oclif's 127.

// @oclif/core checks, on import, that Node satisfies its own `engines` (>=18) with semver: 47
// modules, ~10% of every command's startup (DESIGN §6 P1). package.json already asks for Node 20
// (npm warns on install), so the check says nothing new. The import below must come after this line.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
const {flush, handle, run} = await import('@oclif/core')

try {
  await run(process.argv.slice(2), import.meta.url)
  await flush()
} catch (error) {
  if (error?.oclif?.exit === 127) error.oclif.exit = 2
  await handle(error)
}
