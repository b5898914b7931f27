// The thread readCsv parses a big CSV file on (csv-source.ts): it reads the file with the same
// parseCsvFile as the main thread would, and posts each batch of rows as it is made, never more
// than WORKER_AHEAD batches ahead of the reader, so memory stays a few chunks' rows whatever the
// file's size. The build bundles it, with csv-parse, into dist/csv-worker.cjs: one file to load
// makes the thread's first rows come ~25 ms sooner.
import {parentPort, workerData} from 'node:worker_threads'
import {isCtxError} from '../errors.js'
import {type CsvLayout, parseCsvFile, toWire, WORKER_AHEAD, type WorkerMessage} from './csv-source.js'

async function post(): Promise<void> {
  const {path, layout} = workerData as {path: string; layout: CsvLayout}
  const port = parentPort!
  const send = (message: WorkerMessage) => port.postMessage(message)
  let ahead = 0
  let taken: (() => void) | undefined
  port.on('message', () => {
    ahead--
    taken?.()
  })
  try {
    let bytes = 0
    for await (const rows of parseCsvFile(path, layout, (read) => (bytes = read))) {
      send({rows: toWire(rows), bytes})
      ahead++
      while (ahead >= WORKER_AHEAD) await new Promise<void>((resolve) => (taken = resolve))
    }
    // Chunks at the end with no rows (blank lines) are counted too.
    send({done: true, bytes})
  } catch (error) {
    const {name, message, stack, code} = error as NodeJS.ErrnoException
    send({failure: isCtxError(error) ? {name, message, where: error.where, hint: error.hint, details: error.details} : {name, message, stack, code}})
  }
  port.close()
}

void post()
