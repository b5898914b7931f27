import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {systemClock} from '../../src/core/clock.js'
import {openStore} from '../../src/core/storage/open.js'
import {searchContract} from './search-contract.js'
import {storeContract} from './store-contract.js'

let dir: string | undefined
storeContract('file:', {
  async open() {
    dir = mkdtempSync(join(tmpdir(), 'ctx-contract-'))
    return openStore(join(dir, 'store.json'), {clock: systemClock})
  },
  reopen: (store) => openStore(store.location, {clock: systemClock}),
  async cleanup() {
    if (dir) rmSync(dir, {recursive: true, force: true})
  },
})

const searchDirs: string[] = []
searchContract('file:', {
  async open() {
    const searchDir = mkdtempSync(join(tmpdir(), 'ctx-search-contract-'))
    searchDirs.push(searchDir)
    return openStore(join(searchDir, 'store.json'), {clock: systemClock})
  },
  async cleanup() {
    for (const searchDir of searchDirs.splice(0)) rmSync(searchDir, {recursive: true, force: true})
  },
})
