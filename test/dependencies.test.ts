// What a user's install fetches (`npm ci --omit=dev`) is what the CLI loads: every runtime dependency
// is imported by src/ or bin/, or is a plugin oclif loads; a package only tests or benchmarks use
// (write-file-atomic, bench/suite-extras.js's baseline) is a devDependency.
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from './helpers/cli.js'

/** The packages the files under `dir` import or require, by name (`@scope/name` or `name`). */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>()
  for (const file of readdirSync(join(ROOT, dir), {recursive: true, encoding: 'utf8'})) {
    if (!/\.(ts|js|cjs)$/.test(file)) continue
    const text = readFileSync(join(ROOT, dir, file), 'utf8')
    for (const [, specifier] of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
      if (specifier.startsWith('node:')) continue
      const parts = specifier.split('/')
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0])
    }
  }
  return names
}

describe('package.json', () => {
  it('lists as runtime dependencies only what the CLI loads', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    const loaded = new Set([...importedPackages('src'), ...importedPackages('bin'), ...manifest.oclif.plugins])
    expect(Object.keys(manifest.dependencies).filter((name) => !loaded.has(name))).toEqual([])
    expect(manifest.devDependencies).toHaveProperty('write-file-atomic')
  })
})
