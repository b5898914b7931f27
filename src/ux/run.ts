// How bin/run.js hands a command line to oclif. For one of ctx's own commands, and for --version,
// oclif is given ctx's package.json without its `oclif.plugins` (@oclif/plugin-help and
// @oclif/plugin-autocomplete): finding and reading those two packages took ~10 ms of every start,
// and sorting their commands and ctx's made V8 build an ICU collator, another ~10 ms (bench P1,
// docs/performance.md). Neither plugin has a hook such a run fires, nor a command sharing a first
// word with ctx's (test/e2e/own-commands.test.ts), and nothing in such a run lists commands, so it
// keeps the manifest's order (scripts/bundle.js). Help, the plugins' own commands and anything
// oclif does not find as one of ctx's commands take oclif's whole path, as before.
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {Config, type Interfaces} from '@oclif/core'
import {getHelpFlagAdditions, normalizeArgv} from '@oclif/core/help'
import {helpAddition, run, versionAddition} from '@oclif/core/run'
import {watchStdout} from './stdout.js'

/** Marks the package.json of a run without the plugins: Plugin.load then leaves the commands in the manifest's order (scripts/bundle.js). */
export const MANIFEST_ORDER = Symbol.for('ctx.manifestOrder')

/**
 * A write past the process's file size limit (ulimit -f) fails with EFBIG, reported as any write
 * that fails is (exit 7, naming the file). Without a listener of ctx's own, signal-exit (which the
 * file store's lock and temporary files use) raises SIGXFSZ again and the process dies mid-write.
 */
function ignoreFileSizeSignal(): void {}

export async function runCli(argv: string[], root: string): Promise<unknown> {
  // Once per process: the build's warm-up runs many commands in one (scripts/code-cache.js).
  if (!process.listeners('SIGXFSZ').includes(ignoreFileSizeSignal)) process.on('SIGXFSZ', ignoreFileSizeSignal)
  watchStdout()
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Interfaces.PJSON
  const {plugins: _plugins, ...oclif} = pjson.oclif
  const own = Object.defineProperty({...pjson, oclif}, MANIFEST_ORDER, {value: true})
  const config = await Config.load({root, pjson: own})
  // A turn of the event loop: a store connecting early (bin/run.js) reads the server's answer to
  // its first message and sends the schema check, which then runs while oclif loads the command,
  // rather than at the command's first read (a word search on PostgreSQL: 245 -> 235 ms, bench P6).
  await new Promise(setImmediate)
  if (runsOwnCommand(argv, config)) return run(argv, config)
  // oclif's whole path runs the plugins, which load the installed @oclif/core rather than the
  // bundle's: its listener on stdout is taken off too (src/ux/stdout.ts).
  createRequire(join(root, 'package.json'))('@oclif/core')
  watchStdout()
  return run(argv, root)
}

/**
 * Whether oclif, given `config` (ctx without the plugins), prints the version or runs one of ctx's
 * own commands for `argv`, with no help asked for anywhere in it: oclif itself only takes --help
 * before a `--`, and never -h, but either counts here.
 */
export function runsOwnCommand(argv: readonly string[], config: Config): boolean {
  if (versionAddition([...argv], config)) return true
  if (helpAddition([...argv], config) || argv.includes('-h') || argv.some((arg) => getHelpFlagAdditions(config).includes(arg))) return false
  const [id] = normalizeArgv(config, [...argv])
  return id !== undefined && config.findCommand(id)?.pluginName === config.name
}
