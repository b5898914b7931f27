// The progress bar of import, export and seed: drawn on a terminal only, never under --json, and
// cleared when stopped.
import {describe, expect, it} from 'vitest'
import {progressBar} from '../../src/ux/progress.js'

function fakeStream(isTTY: boolean): NodeJS.WriteStream & {written: string} {
  const stream = {isTTY, columns: 120, written: '', write(text: string) {
    stream.written += text
    return true
  }}
  return stream as unknown as NodeJS.WriteStream & {written: string}
}

describe('progressBar', () => {
  it('draws the count in its unit, the bar and the percentage on a terminal, and clears the line when stopped', () => {
    const stream = fakeStream(true)
    const progress = progressBar('Seeding', true, stream, 'customers')
    progress.update(500, 0.5)
    expect(stream.written).toMatch(/^\rSeeding \[#{12}-{12}\] 50% 500 customers · [\d,]+\/s\u001B\[K$/)
    progress.stop()
    expect(stream.written.endsWith('\r\u001B[K')).toBe(true)
  })

  it('writes nothing when disabled (--json) or when the stream is not a terminal', () => {
    for (const [enabled, tty] of [[false, true], [true, false]] as const) {
      const stream = fakeStream(tty)
      const progress = progressBar('Seeding', enabled, stream, 'customers')
      progress.update(10, 0.1)
      progress.stop()
      expect(stream.written).toBe('')
    }
  })
})
