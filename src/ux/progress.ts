// A one-line progress bar on stderr for long imports, exports and seeds: done/total as a bar when the
// total is known, the count, the rate and anything extra (rejected rows). Drawn only on a terminal
// and never under --json; redrawn at most ten times a second; stop() clears the line.
const WIDTH = 24
const REDRAW_MS = 100

export interface Progress {
  /** `fraction` of the work done (0..1) when known, `count` items so far, `extra` shown after the rate. */
  update(count: number, fraction: number | null, extra?: string): void
  stop(): void
}

export function progressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr, unit = 'rows'): Progress {
  if (!enabled || !stream.isTTY) return {update() {}, stop() {}}
  const started = Date.now()
  let drawn = 0
  let visible = false
  return {
    update(count, fraction, extra) {
      const now = Date.now()
      if (now - drawn < REDRAW_MS) return
      drawn = now
      const seconds = Math.max((now - started) / 1000, 0.001)
      const bar =
        fraction === null ? '' : `[${'#'.repeat(Math.round(Math.min(1, fraction) * WIDTH)).padEnd(WIDTH, '-')}] ${Math.floor(Math.min(1, fraction) * 100)}% `
      const rate = `${Math.round(count / seconds).toLocaleString('en-US')}/s`
      const line = `${label} ${bar}${count.toLocaleString('en-US')} ${unit} · ${rate}${extra ? ` · ${extra}` : ''}`
      stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\u001B[K`)
      visible = true
    },
    stop() {
      if (visible) stream.write('\r\u001B[K')
      visible = false
    },
  }
}
