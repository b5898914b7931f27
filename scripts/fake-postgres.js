// Build tooling for scripts/code-cache.js: a stand-in PostgreSQL server on 127.0.0.1 that speaks
// just enough of the wire protocol (v3, trust authentication) for ctx's reading commands to run
// their node-postgres code paths (connect, simple and extended queries, rows, json) at build time,
// with no database. Every query gets the same one-row answer, made to satisfy both the schema
// check (version, mode, definitions, distributed) and a search (body).
import {createServer} from 'node:net'
// The schema version this build expects, so the stand-in passes its check whatever the latest migration is.
const {SCHEMA_VERSION} = await import('../dist/core/storage/postgres/schema.js')

/** The answer's columns: name, type oid (16 bool, 23 int4, 25 text, 114 json) and text value; version is the newest schema's. */
function answer(body, definitions) {
  const rows = [
    ...definitions.fields.map((field) => ({kind: 'field', id: field.id, body: field})),
    ...definitions.fieldsets.map((fieldset) => ({kind: 'fieldset', id: fieldset.id, body: fieldset})),
  ]
  return [
    // No keyring: the body below is in clear text, as a store that never held an encrypted value.
    ['version', 23, String(SCHEMA_VERSION)],
    ['kek', 25, null],
    ['mode', 25, 'lab'],
    ['definitions', 114, JSON.stringify(rows)],
    ['distributed', 16, 'f'],
    ['body', 114, JSON.stringify(body)],
  ]
}

function message(type, ...parts) {
  const payload = Buffer.concat(parts)
  const header = Buffer.alloc(5)
  header.write(type, 0, 'latin1')
  header.writeInt32BE(payload.length + 4, 1)
  return Buffer.concat([header, payload])
}

const int16 = (value) => Buffer.from([value >> 8, value & 0xff])
const int32 = (value) => {
  const buffer = Buffer.alloc(4)
  buffer.writeInt32BE(value)
  return buffer
}
const cstring = (text) => Buffer.from(`${text}\0`)

function rowDescription(columns) {
  return message('T', int16(columns.length), ...columns.flatMap(([name, oid]) => [cstring(name), int32(0), int16(0), int32(oid), int16(-1), int32(-1), int16(0)]))
}

function dataRow(columns) {
  return message('D', int16(columns.length), ...columns.flatMap(([, , value]) => (value === null ? [int32(-1)] : [int32(Buffer.byteLength(value)), Buffer.from(value)])))
}

const READY = message('Z', Buffer.from('I'))
const STARTED = Buffer.concat([
  message('R', int32(0)),
  message('S', cstring('client_encoding'), cstring('UTF8')),
  message('S', cstring('server_version'), cstring('15.0')),
  message('S', cstring('standard_conforming_strings'), cstring('on')),
  message('K', int32(1), int32(1)),
  READY,
])

/**
 * Starts the server, answering with `body` as the object and `definitions` ({fields, fieldsets}
 * lists, as in a definitions file) as the store's; resolves to its URL and a function that stops it.
 */
export async function startFakePostgres(body, definitions) {
  const columns = answer(body, definitions)
  const result = Buffer.concat([dataRow(columns), message('C', cstring('SELECT 1'))])
  const server = createServer((socket) => {
    let pending = Buffer.alloc(0)
    let started = false
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk])
      for (;;) {
        // The startup message has no type byte; every later one does.
        const offset = started ? 1 : 0
        if (pending.length < offset + 4) return
        const length = pending.readInt32BE(offset) + offset
        if (pending.length < length) return
        const type = started ? String.fromCharCode(pending[0]) : 'startup'
        pending = pending.subarray(length)
        if (type === 'startup') {
          started = true
          socket.write(STARTED)
        } else if (type === 'Q') {
          socket.write(Buffer.concat([rowDescription(columns), result, READY]))
        } else if (type === 'P') {
          socket.write(message('1'))
        } else if (type === 'B') {
          socket.write(message('2'))
        } else if (type === 'D') {
          socket.write(rowDescription(columns))
        } else if (type === 'E') {
          socket.write(result)
        } else if (type === 'S') {
          socket.write(READY)
        } else if (type === 'X') {
          socket.end()
          return
        }
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address()
  return {
    url: `postgres://ctx@127.0.0.1:${port}/ctx`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  }
}
