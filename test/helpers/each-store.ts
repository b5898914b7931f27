// Runs the same core tests against each in-process adapter (memory: and file:), each test on a
// fresh store with a clock the test moves by hand.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe} from 'vitest'
import type {Clock} from '../../src/core/clock.js'
import type {Session} from '../../src/core/objects.js'
import {openStore} from '../../src/core/storage/open.js'

export interface TestWorld {
  session: Session
  /** Sets the clock to an ISO instant. */
  at(iso: string): void
}

let count = 0

export function eachStore(name: string, register: (world: () => TestWorld) => void): void {
  for (const adapter of ['memory:', 'file:'] as const) {
    describe(`${name} (${adapter})`, () => {
      let world: TestWorld
      let dir: string | undefined
      beforeEach(async () => {
        let now = Date.parse('2026-03-01T09:00:00.000Z')
        const clock: Clock = () => new Date(now)
        dir = adapter === 'file:' ? mkdtempSync(join(tmpdir(), 'ctx-core-')) : undefined
        const url = dir ? join(dir, 'store.json') : `memory:core-${process.pid}-${count++}`
        const store = await openStore(url, {clock})
        world = {session: {store, clock, actor: 'tester'}, at: (iso) => (now = Date.parse(iso))}
      })
      afterEach(async () => {
        await world.session.store.close()
        if (dir) rmSync(dir, {recursive: true, force: true})
      })
      register(() => world)
    })
  }
}
