// Build step after tsc: bundles the CLI — @oclif/core, every command, src/core and their libraries —
// into one CommonJS file, dist/ctx.cjs, which bin/run.js loads with a V8 code cache. Loading ~470
// separate modules (resolving, reading and compiling each) was most of every command's startup
// (bench P1, P6). oclif finds the commands through the bundle's COMMANDS export ("explicit"
// command discovery in package.json); each command's module is initialised only when it runs.
import {build} from 'esbuild'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {readFile} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DIST = join(ROOT, 'dist')
export const BUNDLE = join(DIST, 'ctx.cjs')

/** dist/commands/customers/show.js -> 'customers:show', as oclif names it. */
function commandFiles(dir = join(DIST, 'commands')) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? commandFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  )
}

// Each command is a getter: reading COMMANDS[id] initialises that command's module (esbuild keeps a
// module reached through require() lazy), so `ctx --version` runs no command code at all.
const entries = commandFiles().map((file) => {
  const id = relative(join(DIST, 'commands'), file).replace(/\.js$/, '').split(sep).join(':')
  return `command(${JSON.stringify(id)}, () => require(${JSON.stringify(`./${relative(DIST, file).split(sep).join('/')}`)}).default)`
})
const entry = `const {handle} = require('@oclif/core')
const COMMANDS = {}
function command(id, load) {
  Object.defineProperty(COMMANDS, id, {enumerable: true, configurable: true, get() {
    const value = load()
    Object.defineProperty(COMMANDS, id, {enumerable: true, value})
    return value
  }})
}
${entries.join('\n')}
// bin/run.js starts a postgres:// store connecting before oclif loads the command.
const earlyStore = () => require('./ux/early-store.js')
// Errors from before any command runs, and every exit, go through src/ux/outcome.js.
const outcome = () => require('./ux/outcome.js')
module.exports = {
  COMMANDS, handle,
  // oclif's run, without its plugins for ctx's own commands (src/ux/run.js).
  run: (argv, root) => require('./ux/run.js').runCli(argv, root),
  fail: (error, argv) => outcome().fail(error, argv, Object.keys(COMMANDS)),
  succeed: () => outcome().succeed(),
  versionJson: (argv, userAgent, version) => outcome().versionJson(argv, userAgent, version),
  watchStdout: () => require('./ux/stdout.js').watchStdout(),
  connectEarly: (argv) => earlyStore().connectEarly(argv),
  hideSecrets: (argv) => require('./ux/secret-argv.js').hideSecrets(argv),
  closeEarlyStore: () => earlyStore().closeEarlyStore(),
}
`

// Modules of dist/ that locate files beside themselves (schemas/) keep doing so: import.meta.url
// becomes the URL their own file would have had.
const moduleUrl = {
  name: 'module-url',
  setup(bundler) {
    bundler.onLoad({filter: /[\\/]dist[\\/].*\.js$/}, async ({path}) => {
      const text = await readFile(path, 'utf8')
      const file = JSON.stringify(relative(DIST, path).split(sep).join('/'))
      return {contents: text.replaceAll('import.meta.url', `__ctxModuleUrl(${file})`), loader: 'js'}
    })
  },
}

// ajv (~270 KB, ~60 files) is bundled on its own, dist/ajv.cjs, loaded with its own code cache
// the first time a command validates a write: from node_modules, resolving and compiling each file
// took ~100 ms of every import (bench P3); cached, ~15 ms. Commands that never validate never
// load it, so the main bundle stays as small as before.
export const AJV_BUNDLE = join(DIST, 'ajv.cjs')

/**
 * The bundles: CommonJS for Node 20, written as ASCII (bin/load.js reads it as latin1), without
 * whitespace and with shorter syntax: every byte is read and held on every start, and dist/ctx.cjs
 * went from 1.66 MB to 1.13 MB (bench P1, docs/performance.md). Names are kept as they are: error
 * classes take theirs from `new.target.name` (src/core/errors.ts).
 */
const BUNDLED = {bundle: true, platform: 'node', target: 'node20', format: 'cjs', charset: 'ascii', legalComments: 'none', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true}

await build({
  ...BUNDLED,
  stdin: {contents: `module.exports = {ajv: require('ajv'), 'ajv-formats': require('ajv-formats')}`, resolveDir: ROOT, sourcefile: 'ajv-entry.cjs', loader: 'js'},
  outfile: AJV_BUNDLE,
})

/** `ajv` and `ajv-formats` in the main bundle: the exports of dist/ajv.cjs, through __ctxAjv (the banner). */
const ajvBundle = {
  name: 'ajv-bundle',
  setup(bundler) {
    bundler.onResolve({filter: /^ajv(-formats)?$/}, ({path}) => ({path, namespace: 'ctx-ajv'}))
    bundler.onLoad({filter: /.*/, namespace: 'ctx-ajv'}, ({path}) => ({contents: `module.exports = __ctxAjv(${JSON.stringify(path)})`, loader: 'js'}))
  },
}

// Loads dist/ajv.cjs once, through bin/load.js (with its code cache), unless already loaded.
const ajvLoader = `const __ctxAjv = (name) => {
  const file = require('node:path').join(__dirname, 'ajv.cjs');
  return (require.cache[file] ?? require('../bin/load.js').loadBundle(file).module).exports[name];
};`

/**
 * A plugin putting `after` in place of `before` in the file of @oclif/core that `filter` names,
 * failing the build when oclif's code no longer holds `before` (`gone` says where to look).
 */
function oclifPatch(name, filter, before, after, gone) {
  return {
    name,
    setup(bundler) {
      bundler.onLoad({filter}, async ({path}) => {
        const text = await readFile(path, 'utf8')
        if (!text.includes(before)) throw new Error(`scripts/bundle.js: ${path} no longer ${gone}`)
        return {contents: text.replace(before, after), loader: 'js'}
      })
    },
  }
}

// oclif reads each package.json and manifest with fs/promises: four round trips through libuv's
// thread pool a file, which a start then has to create and keep waking — and on a busy machine every
// wake-up waits for a core. Read synchronously (as oclif reads the rest at that point), `ctx
// --version` and `ctx customers show` start no thread pool at all (bench P1, docs/performance.md).
const oclifSyncReads = oclifPatch(
  'oclif-sync-reads',
  /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]fs\.js$/,
  "const contents = await (0, promises_1.readFile)(path, 'utf8');",
  "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
  'reads JSON as it did: look again at how @oclif/core reads files',
)

// oclif sorts each plugin's commands with localeCompare, whose first call builds an ICU collator
// (~10 ms). A run that src/ux/run.ts hands oclif without the plugins lists no commands: its
// package.json is marked, and its commands stay in the manifest's order.
const oclifManifestOrder = oclifPatch(
  'oclif-manifest-order',
  /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
  '\n            .sort((a, b) => a.id.localeCompare(b.id));',
  ";\n        if (!this.options.pjson?.[Symbol.for('ctx.manifestOrder')]) this.commands.sort((a, b) => a.id.localeCompare(b.id));",
  'sorts commands as it did: look again at src/ux/run.ts',
)

// cli-table3 and oclif measure text with string-width: they get src/ux/text-width.ts instead, which
// answers the texts ctx prints most without compiling string-width's emoji pattern (bench P1).
const TEXT_WIDTH = join(DIST, 'ux', 'text-width.js')
let widthRedirects = 0
const textWidth = {
  name: 'text-width',
  setup(bundler) {
    bundler.onResolve({filter: /^string-width$/}, ({importer}) => {
      if (importer === TEXT_WIDTH) return undefined
      widthRedirects++
      return {path: 'string-width', namespace: 'ctx-text-width'}
    })
    bundler.onLoad({filter: /.*/, namespace: 'ctx-text-width'}, () => ({
      contents: `const {textWidth} = require(${JSON.stringify(TEXT_WIDTH)});\nmodule.exports = textWidth;\nmodule.exports.default = textWidth;`,
      resolveDir: DIST,
      loader: 'js',
    }))
  },
}

// Modules the bundle requires at its top level that a start seldom uses: child_process, readline,
// perf_hooks (oclif's performance markers, off unless asked for), worker_threads (the CSV thread),
// fs/promises, lilconfig (oclif looks for a plugin's config with it when its package.json has
// none) and fastest-levenshtein (suggestions for a mistyped command; it fills a 256 KB table as it
// loads). Each becomes an object whose members load the module the first time one of them is read,
// so a start that reads none never loads it (bench P1, docs/performance.md). A member is only read
// through: nothing in the bundle assigns to one.
const LAZY_BUILTINS = ['child_process', 'readline', 'perf_hooks', 'worker_threads', 'fs/promises']
const LAZY_PACKAGES = ['lilconfig', 'fastest-levenshtein']
const require = createRequire(join(ROOT, 'package.json'))
const lazyModules = {
  name: 'lazy-modules',
  setup(bundler) {
    const filter = new RegExp(`^((node:)?(${LAZY_BUILTINS.join('|')})|${LAZY_PACKAGES.join('|')})$`)
    bundler.onResolve({filter, namespace: 'file'}, ({path, resolveDir}) => ({
      path: LAZY_PACKAGES.includes(path) ? path : `node:${path.replace(/^node:/, '')}`,
      namespace: 'ctx-lazy',
      pluginData: resolveDir,
    }))
    bundler.onLoad({filter: /.*/, namespace: 'ctx-lazy'}, ({path, pluginData}) => {
      const loaded = require(path)
      // __esModule is read as a module is imported (esbuild's __toESM): a value, not a getter that would load it.
      const members = Object.keys(loaded).map((name) =>
        name === '__esModule' ? '__esModule: {value: true}' : `${JSON.stringify(name)}: {enumerable: true, get: () => load()[${JSON.stringify(name)}]}`,
      )
      return {
        contents: `let loaded;\nconst load = () => loaded ??= require(${JSON.stringify(path)});\nmodule.exports = Object.defineProperties({}, {${members.join(', ')}});`,
        resolveDir: pluginData,
        loader: 'js',
      }
    })
  },
}

// oclif asks wsl-utils whether it runs under WSL on every start (is-wsl's answer); wsl-utils
// itself loads child_process as it loads. oclif's other use, the PowerShell path, is for Windows:
// it loads wsl-utils when asked.
const wslUtils = {
  name: 'wsl-utils',
  setup(bundler) {
    bundler.onResolve({filter: /^wsl-utils$/, namespace: 'file'}, ({importer, resolveDir}) => {
      if (!/[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/.test(importer)) throw new Error(`scripts/bundle.js: ${importer} imports wsl-utils: only oclif's util/os.js was expected to`)
      return {path: 'wsl-utils', namespace: 'ctx-wsl-utils', pluginData: resolveDir}
    })
    bundler.onLoad({filter: /.*/, namespace: 'ctx-wsl-utils'}, ({pluginData}) => ({
      contents: `export {default as isWsl} from 'is-wsl';\nexport const powerShellPath = async () => (await import('wsl-utils')).powerShellPath();`,
      resolveDir: pluginData,
      loader: 'js',
    }))
  },
}

// oclif's logger (its only user of debug) makes a logger per namespace, which prints only for the
// namespaces DEBUG names when debug loads. With DEBUG unset (or empty) none would ever print, so
// the loggers are functions that do nothing, and debug, with tty and net, is not loaded at all.
const debugOff = {
  name: 'debug-off',
  setup(bundler) {
    bundler.onResolve({filter: /^debug$/, namespace: 'file'}, ({importer, resolveDir}) => {
      if (!/[\\/]@oclif[\\/]core[\\/]lib[\\/]logger\.js$/.test(importer)) throw new Error(`scripts/bundle.js: ${importer} imports debug: only oclif's logger was expected to (debug-off)`)
      return {path: 'debug', namespace: 'ctx-debug', pluginData: resolveDir}
    })
    bundler.onLoad({filter: /.*/, namespace: 'ctx-debug'}, ({pluginData}) => ({
      contents: `const off = (namespace) => Object.assign(() => {}, {namespace, enabled: false, extend: (name, delimiter = ':') => off(namespace + delimiter + name)});
module.exports = process.env.DEBUG ? require('debug') : off;`,
      resolveDir: pluginData,
      loader: 'js',
    }))
  },
}

const moduleUrlBanner = `const __ctxModuleUrl = (file) => require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href;`

// The thread that parses a big CSV file (src/core/io/csv-worker.ts), with csv-parse, in one file:
// from dist/ and node_modules, its ~10 modules took ~40 ms to load, ~20 ms bundled.
await build({
  ...BUNDLED,
  entryPoints: [join(DIST, 'core', 'io', 'csv-worker.js')],
  outfile: join(DIST, 'csv-worker.cjs'),
  banner: {js: moduleUrlBanner},
  plugins: [moduleUrl],
})

await build({
  ...BUNDLED,
  stdin: {contents: entry, resolveDir: DIST, sourcefile: 'ctx-entry.cjs', loader: 'js'},
  outfile: BUNDLE,
  banner: {js: `${moduleUrlBanner}\n${ajvLoader}`},
  // Left in node_modules, loaded by the commands that use them: every byte bundled is read and
  // deserialised on every start. The CSV libraries (import, export); the prompts (and their
  // encoding tables, ~1 MB) only on a terminal that has to ask. pg-native and the TypeScript
  // loaders oclif probes for are optional and absent. ajv is in dist/ajv.cjs (above). stream-json
  // (an ES module, imported) only where a Context Service export is read.
  external: ['csv-parse', 'csv-stringify', '@inquirer/prompts', 'stream-json', 'pg-native', 'typescript', 'ts-node'],
  plugins: [moduleUrl, ajvBundle, textWidth, oclifSyncReads, oclifManifestOrder, lazyModules, wslUtils, debugOff],
})
if (widthRedirects === 0) throw new Error('scripts/bundle.js: nothing imported string-width, so src/ux/text-width.ts is not in its place: is the plugin still needed?')

// Two rewrites of the output, checked here:
// - import() calls go to __ctxImport, a function bin/load.js passes in from an ES module. An import()
//   compiled inside vm.Script needs importModuleDynamically, which Node 20 only offers as an
//   experimental constant (with a warning), and which code from the code cache loses anyway
//   (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING when oclif imports an ES-module plugin).
// - characters outside ASCII, which esbuild leaves in some regular expressions, become \uXXXX (the
//   same character in strings, regular expressions, identifiers and comments), so bin/load.js can
//   read the bundle as latin1: UTF-8 decoding of the whole file cost ~15 ms a start.
const bundled = readFileSync(BUNDLE, 'utf8')
  .replace(/\bawait import\(/g, 'await __ctxImport(')
  .replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
// What is left of "import(" must be a method named import or the word in a message, never a call.
const calls = [...bundled.matchAll(/(?<![\w$.])import\s*\(/g)].filter(({index}) => !/async $/.test(bundled.slice(index - 6, index)) && bundled[index + 7] !== ')')
if (calls.length > 0) {
  const where = calls.map(({index}) => bundled.slice(index - 40, index + 40).replaceAll('\n', ' '))
  throw new Error(`scripts/bundle.js: import() calls it cannot route through __ctxImport:\n${where.join('\n')}`)
}
writeFileSync(BUNDLE, bundled)
