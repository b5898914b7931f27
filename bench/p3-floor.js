// The floor of P3 with encryption at rest (docs/import-profile.md): a bare csv-parse loop that does,
// for each customer, only what the store's layout needs — a data key of 32 random bytes wrapped
// with AES-256-GCM, each value sealed with AES-256-GCM (a fresh nonce, object and field as
// associated data), the HMAC-SHA256 tokens of its words (remembered per word), the customer's JSON
// written to a file — and nothing ctx adds (validation, lookups, the store's state). Not part of
// `npm run bench`; run it by hand beside the baseline, under /usr/bin/time for CPU and memory:
//
//   node bench/p3-floor.js bench/.data/customers-100000.csv OUT.json              a seal per value (today's layout)
//   node bench/p3-floor.js bench/.data/customers-100000.csv OUT.json --per-object one seal per object (the plan)
import {closeSync, createReadStream, openSync, writeSync} from 'node:fs'
import {createCipheriv, createHmac, createSecretKey, randomFillSync, randomUUID} from 'node:crypto'
import {parse} from 'csv-parse'

const [file, out, mode] = process.argv.slice(2)
const perObject = mode === '--per-object'
const kek = randomFillSync(Buffer.alloc(32))
const indexKey = createSecretKey(randomFillSync(Buffer.alloc(32)))

const pool = Buffer.alloc(64 * 1024)
let used = pool.length
function random(target, offset, size) {
  if (used + size > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  pool.copy(target, offset, used, used + size)
  used += size
}

const scratch = Buffer.allocUnsafe(64 * 1024)
function seal(key, associated, clear) {
  const length = Buffer.byteLength(clear)
  random(scratch, 0, 12)
  const cipher = createCipheriv('aes-256-gcm', key, scratch.subarray(0, 12))
  cipher.setAAD(Buffer.from(associated))
  cipher.update(clear, 'utf8').copy(scratch, 12)
  cipher.final()
  cipher.getAuthTag().copy(scratch, 12 + length)
  return scratch.toString('base64', 0, 12 + length + 16)
}

const tokens = new Map()
function token(word) {
  let known = tokens.get(word)
  if (known === undefined) {
    known = `#${createHmac('sha256', indexKey).update(word).digest().subarray(0, 12).toString('base64url')}`
    if (tokens.size >= 10_000) tokens.clear()
    tokens.set(word, known)
  }
  return known
}
const tokensOf = (text) => [...new Set(text.toLowerCase().split(/[\s,]+/).filter(Boolean).map(token))].sort()

const output = openSync(out, 'w', 0o600)
const keys = {}
let text = '{"objects":{'
let comma = ''
let header
for await (const row of createReadStream(file).pipe(parse())) {
  if (!header) {
    header = row
    continue
  }
  const id = randomUUID()
  const keyId = `customer:${id}`
  const key = Buffer.allocUnsafe(32)
  random(key, 0, 32)
  keys[keyId] = seal(kek, `ctx data key\0${keyId}`, key)
  const data = {}
  if (perObject) {
    const clear = {}
    for (let column = 1; column < row.length; column++) {
      clear[header[column]] = row[column]
      data[header[column]] = {tokens: tokensOf(row[column])}
    }
    data.sealed = seal(key, `ctx object\0${id}\0${header.slice(1).join('\0')}`, JSON.stringify(clear))
  } else {
    for (let column = 1; column < row.length; column++) {
      const field = header[column]
      data[field] = {sealed: seal(key, `ctx value\0${id}\0${field}`, JSON.stringify(row[column])), key: keyId, tokens: tokensOf(row[column])}
    }
  }
  const now = new Date().toISOString()
  text += `${comma}${JSON.stringify(id)}:${JSON.stringify({id, type: 'customer', externalId: row[0], data, created: now, lastUpdated: now})}`
  comma = ','
  if (text.length > 1 << 20) {
    writeSync(output, text)
    text = ''
  }
}
writeSync(output, `${text}},"keys":${JSON.stringify(keys)}}\n`)
closeSync(output)
