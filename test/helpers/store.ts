// Builds stores directly through the core API, for tests that need data no command makes yet or
// more of it than is worth making one process at a time.
import {systemClock} from '../../src/core/clock.js'
import type {ContextObject} from '../../src/core/model.js'
import {openStore} from '../../src/core/storage/open.js'

export async function seedStore(url: string, objects: readonly ContextObject[], mode?: 'lab' | 'production'): Promise<void> {
  const store = await openStore(url, {clock: systemClock})
  try {
    if (mode) await store.init(mode)
    await store.transaction((tx) => tx.insert(objects))
  } finally {
    await store.close()
  }
}

export async function readStore(url: string): Promise<ContextObject[]> {
  const store = await openStore(url, {clock: systemClock})
  try {
    const out: ContextObject[] = []
    for await (const batch of store.scan()) out.push(...batch)
    return out
  } finally {
    await store.close()
  }
}
