// Builds stores directly through the core API, for tests that need data no command makes yet or
// more of it than is worth making one process at a time.
import {systemClock} from '../../src/core/clock.js'
import type {ContextObject} from '../../src/core/model.js'
import {openStore} from '../../src/core/storage/open.js'
import {dirname} from 'node:path'
import {SANDBOX_CONFIG_DIRS, SANDBOX_READY} from './cli.js'

/** A store opened in-process with the key the CLI uses for it (its sandbox's config directory). */
export async function openTestStore(url: string) {
  await SANDBOX_READY.get(url)
  // A sandbox's own store, or another file inside a sandbox's directory: the key the CLI makes there.
  const configDir = SANDBOX_CONFIG_DIRS.get(url) ?? [...SANDBOX_CONFIG_DIRS].find(([store]) => url.startsWith(dirname(store)))?.[1]
  return openStore(url, {clock: systemClock, keys: configDir ? {configDir} : undefined})
}

export async function seedStore(url: string, objects: readonly ContextObject[], mode?: 'lab' | 'production'): Promise<void> {
  const store = await openTestStore(url)
  try {
    if (mode) await store.init(mode)
    await store.transaction((tx) => tx.insert(objects))
  } finally {
    await store.close()
  }
}

export async function readStore(url: string): Promise<ContextObject[]> {
  const store = await openTestStore(url)
  try {
    const out: ContextObject[] = []
    for await (const batch of store.scan()) out.push(...batch)
    return out
  } finally {
    await store.close()
  }
}
