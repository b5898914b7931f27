// Opening the store from the raw command line, before oclif has loaded the command (bench P6):
// which command lines name a store, and that a command gets that store only for the same URL.
import {afterEach, expect, it} from 'vitest'
import {closeEarlyStore, connectEarly, earlyStoreUrl, takeEarlyStore} from '../../src/ux/early-store.js'

afterEach(async () => {
  await closeEarlyStore()
})

it('reads the store as oclif will: --store URL, --store=URL, the last one given, else CTX_STORE', () => {
  const env = {CTX_STORE: 'postgres://env/db'}
  expect(earlyStoreUrl(['search', 'ada', '--store', 'postgres://flag/db'], env)).toBe('postgres://flag/db')
  expect(earlyStoreUrl(['search', '--store=postgres://eq/db', 'ada'], env)).toBe('postgres://eq/db')
  expect(earlyStoreUrl(['search', '--store', 'a.json', '--store', 'postgres://last/db'], env)).toBe('postgres://last/db')
  expect(earlyStoreUrl(['search', 'ada'], env)).toBe('postgres://env/db')
  expect(earlyStoreUrl(['search', 'ada'], {})).toBeUndefined()
  // After --, "--store" is an argument, not the flag.
  expect(earlyStoreUrl(['search', '--', '--store', 'postgres://arg/db'], {})).toBeUndefined()
})

it('names no store for help, the version, or no command at all', () => {
  const env = {CTX_STORE: 'postgres://env/db'}
  for (const argv of [[], ['--version'], ['-v'], ['--help'], ['help', 'search'], ['search', '--help'], ['customers', 'show', '-h']]) {
    expect(earlyStoreUrl(argv, env), argv.join(' ')).toBeUndefined()
  }
})

it('opens only a postgres:// store early, and hands it to the first command opening that URL, once', async () => {
  connectEarly(['customers', 'show', 'x', '--store', 'memory:early'], {})
  expect(takeEarlyStore('memory:early')).toBeUndefined()

  const url = 'postgres://root@127.0.0.1:1/none'
  connectEarly(['customers', 'show', 'x', '--store', url], {})
  expect(takeEarlyStore('postgres://root@127.0.0.1:1/other')).toBeUndefined()
  const store = await takeEarlyStore(url)
  expect(store?.location).toBe(url)
  expect(takeEarlyStore(url)).toBeUndefined()
  // Nothing listens on port 1: the failure waits for the command's first read.
  await expect(store!.get('x')).rejects.toThrow(/connection refused/)
  await store!.close()
})

it('closes a store opened early that no command took', async () => {
  connectEarly(['customers', 'show', 'x', '--store', 'postgres://root@127.0.0.1:1/none'], {})
  await closeEarlyStore()
  expect(takeEarlyStore('postgres://root@127.0.0.1:1/none')).toBeUndefined()
})
