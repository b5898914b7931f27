// A progress bar on stderr for long work, shown only to a person: when stderr is a terminal and
// --json is off. Redrawn at most ten times a second; `stop` clears it before anything else prints.
export interface Progress {
  update(done: number, total: number): void
  stop(): void
}

const SILENT: Progress = {update: () => undefined, stop: () => undefined}

export function progressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return SILENT
  let drawn = 0
  let shown = false
  return {
    update(done, total) {
      const now = Date.now()
      if (now - drawn < 100 && done < total) return
      drawn = now
      shown = true
      const width = 30
      const share = total > 0 ? Math.min(1, done / total) : 1
      const filled = Math.round(share * width)
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
      stream.write(`\r${label} ${bar} ${Math.floor(share * 100)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`)
    },
    stop() {
      if (shown) stream.write('\r\u001B[2K')
      shown = false
    },
  }
}
