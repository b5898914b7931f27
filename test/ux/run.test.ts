// src/ux/run.ts run many times in one process, as the build's warm-up runs it (scripts/code-cache.js):
// what it sets up on the process is set up once, so Node warns of no listener leak.
import {afterEach, describe, expect, it, vi} from 'vitest'
import {runCli} from '../../src/ux/run.js'
import {ROOT} from '../helpers/cli.js'

afterEach(() => vi.restoreAllMocks())

describe('runCli', () => {
  it('adds its listeners to the process once, however many commands run in it', async () => {
    const written: string[] = []
    // oclif prints the version through console.log.
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void written.push(String(line)))
    const warnings: Error[] = []
    const heard = (warning: Error) => warnings.push(warning)
    process.on('warning', heard)
    try {
      for (let run = 0; run < 12; run++) await runCli(['--version'], ROOT)
      await new Promise(setImmediate)
    } finally {
      process.off('warning', heard)
    }
    expect(written.filter((line) => line.startsWith('ctx-cli/'))).toHaveLength(12)
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning')
    expect(process.listenerCount('SIGXFSZ')).toBeLessThanOrEqual(2)
    expect(process.stdout.listenerCount('error')).toBe(1)
  })
})
