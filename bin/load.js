// Loads dist/ctx.cjs (scripts/bundle.js) the way require() would, but compiled through vm.Script with
// the V8 code cache made at build time (dist/ctx.cjs.cache), so a start deserialises compiled code
// instead of parsing 1.4 MB of JavaScript. Node 20 has no module.enableCompileCache (Node 22), and
// v8-compile-cache breaks oclif's import() of ES modules (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
// A cache V8 rejects (another Node, another build) only costs the compile it would have saved.
// CommonJS, as is all of bin/ (bin/package.json): an ES-module entry costs a start ~7 ms more.
const {isAscii} = require('node:buffer')
const {readFileSync} = require('node:fs')
const {createRequire, Module} = require('node:module')
const {dirname} = require('node:path')
const vm = require('node:vm')

/** Loads a CommonJS file with its code cache beside it (`FILE.cache`); returns its module and script. */
function loadBundle(file, cacheFile = `${file}.cache`) {
  const bytes = readFileSync(file)
  // latin1 is exact for ASCII and far faster than UTF-8 decoding; the bundle is written as ASCII.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    // No cache (a build without one): compile from source.
  }
  // Module.wrap's wrapper, plus __ctxImport: scripts/bundle.js routes the bundle's import() calls
  // (oclif loading ES-module plugins, the prompts) to it, an import() compiled outside vm.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __ctxImport) { ${source}\n});`
  const script = new vm.Script(wrapped, {filename: file, cachedData})
  const module = new Module(file)
  module.filename = file
  module.paths = Module._nodeModulePaths(dirname(file))
  const require = createRequire(file)
  // Registered first, as require() does, so oclif's own require() of the bundle (the COMMANDS target)
  // finds this module instead of loading the file a second time.
  require.cache[file] = module
  try {
    script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file), (specifier) => import(specifier))
  } catch (error) {
    delete require.cache[file]
    throw error
  }
  module.loaded = true
  return {module, script, cacheRejected: cachedData !== undefined && script.cachedDataRejected === true}
}

module.exports = {loadBundle}
