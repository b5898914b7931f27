// Runs the same core tests against each adapter (memory:, file:, and postgres: when a server
// answers), each test on a fresh store with a clock the test moves by hand.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe} from 'vitest'
import type {Clock} from '../../src/core/clock.js'
import type {Session} from '../../src/core/objects.js'
import {openStore} from '../../src/core/storage/open.js'
import {postgresAvailable, testSchema} from './postgres.js'

export interface TestWorld {
  session: Session
  /** Sets the clock to an ISO instant. */
  at(iso: string): void
}

let count = 0

// PostgreSQL joins when a server answers (postgresAvailable prints a notice otherwise).
const ADAPTERS = ['memory:', 'file:', ...((await postgresAvailable()) ? (['postgres:'] as const) : [])] as const

export function eachStore(name: string, register: (world: () => TestWorld) => void): void {
  for (const adapter of ADAPTERS) {
    describe(`${name} (${adapter})`, () => {
      let world: TestWorld
      let dir: string | undefined
      let schema: Awaited<ReturnType<typeof testSchema>> | undefined
      beforeEach(async () => {
        let now = Date.parse('2026-03-01T09:00:00.000Z')
        const clock: Clock = () => new Date(now)
        dir = adapter === 'file:' ? mkdtempSync(join(tmpdir(), 'ctx-core-')) : undefined
        schema = adapter === 'postgres:' ? await testSchema('core') : undefined
        const url = schema?.url ?? (dir ? join(dir, 'store.json') : `memory:core-${process.pid}-${count++}`)
        const store = await openStore(url, {clock})
        // A database becomes a store by `store upgrade` (or init); after that, as on a new file.
        if (schema) await store.upgrade()
        world = {session: {store, clock, actor: 'tester'}, at: (iso) => (now = Date.parse(iso))}
      })
      afterEach(async () => {
        await world.session.store.close()
        if (dir) rmSync(dir, {recursive: true, force: true})
        await schema?.drop()
      })
      register(() => world)
    })
  }
}
