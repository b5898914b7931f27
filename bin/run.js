#!/usr/bin/env node
// Entry point. Everything ctx runs is bundled into dist/ctx.cjs (scripts/bundle.js), loaded with a
// V8 code cache (bin/load.js); oclif finds commands through oclif.manifest.json and the bundle's
// COMMANDS, so a start initialises only the command it runs. An unknown command is a usage error:
// exit 2 with a suggestion (src/ux/outcome.ts), not oclif's 127. CommonJS (bin/package.json): an ES-module entry costs more.
const {join} = require('node:path')
const {loadBundle} = require('./load.js')

// @oclif/core checks, when it loads, that Node satisfies its own `engines` (>=18) with semver: ~10%
// of a start (bench P1, docs/performance.md). package.json already asks for Node 20 (npm warns on install).
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true'
const root = join(__dirname, '..')
const {closeEarlyStore, connectEarly, fail, hideSecrets, run, succeed, versionJson, watchStdout} = loadBundle(join(root, 'dist', 'ctx.cjs')).module.exports
const argv = process.argv.slice(2)

// `ctx --version --json`: oclif answers --version itself, in text only.
const {name, version} = argv.includes('--json') ? require('../package.json') : {}
const versionText = version && versionJson(argv, `${name}/${version} ${process.platform}-${process.arch} node-${process.version}`, version)
if (versionText) {
  watchStdout()
  process.stdout.write(versionText)
  succeed()
} else {
  // A postgres:// store starts connecting now, while oclif finds and loads the command. Loading
  // gives the event loop no turn (its file reads are synchronous), so one is given here, in which
  // the connection is made and its first message sent; src/ux/run.ts gives the next (bench P6).
  connectEarly(argv)
  // oclif prints process.argv and each command's argv under DEBUG: it gets them with passwords masked,
  // and a command takes the real values back (src/ux/secret-argv.ts).
  const shown = hideSecrets(argv)
  process.argv = [...process.argv.slice(0, 2), ...shown]
  // The package root, not this file: oclif takes the nearest package.json, which here is bin/'s own.
  // Every end goes through src/ux/outcome.ts once stdout and stderr are written out: a success (with
  // the exit code a command set), any error, and any exit a command chose.
  setImmediate(() =>
    run(shown, root)
      .then(() => closeEarlyStore())
      .then(() => succeed(), (error) => fail(error, shown)),
  )
}
