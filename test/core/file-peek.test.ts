// Reading one object or the definitions from a store file's bytes (file-peek.ts): the same answer as
// parsing the whole file, and no answer (so the whole file is parsed) for anything unexpected.
import {mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {StorageError} from '../../src/core/errors.js'
import {StoreFileBytes, StoreFilePeek} from '../../src/core/storage/file-peek.js'
import {openStore} from '../../src/core/storage/open.js'
import {fixture} from '../contract/store-contract.js'

let dir: string
let path: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-peek-'))
  path = join(dir, 'store.json')
})

afterEach(() => rmSync(dir, {recursive: true, force: true}))

// Values that a naive scan for the end of an object would stumble on.
const awkward = [
  fixture('customer', {data: {Context_First_Name: 'Zoë "Z" }{ ][', Context_Last_Name: 'back\\slash\\'}}),
  fixture('customer', {data: {Context_First_Name: '\u0000 nul and 😀', Context_Last_Name: '"}}'}}),
  fixture('customer', {externalId: '{"id":"not-a-key"}', data: {Context_First_Name: 'Ada'}}),
]

async function writtenStore(): Promise<Buffer> {
  const store = await openStore(path, {clock: systemClock})
  await store.transaction((tx) => tx.insert(awkward))
  await store.close()
  return readFileSync(path)
}

describe('peeking into a store file', () => {
  it('reads each object and the definitions exactly as parsing the whole file does', async () => {
    const bytes = await writtenStore()
    const whole = JSON.parse(bytes.toString('utf8'))
    const peek = StoreFilePeek.of(StoreFileBytes.of(bytes))
    expect(peek).toBeDefined()
    for (const object of awkward) expect(peek!.object(object.id)).toEqual(whole.objects[object.id])
    expect(peek!.definitions()).toEqual(whole.definitions)
    // The keyring too (read by `customers show` to open the object's sealed values).
    expect(peek!.keyring()).toEqual(whole.keyring)
    expect(Object.keys(whole.keyring.keys)).toHaveLength(awkward.length + 2)
  })

  it('answers null for an id the store does not hold, and undefined for an id it cannot look up', async () => {
    const peek = StoreFilePeek.of(StoreFileBytes.of(await writtenStore()))!
    expect(peek.object('00000000-0000-4000-8000-000000000000')).toBeNull()
    expect(peek.object('a"b')).toBeUndefined()
    // An id that appears only as a value (the externalId above) is not a key.
    expect(peek.object('not-a-key')).toBeNull()
  })

  it('does not take a keyring that does not end where the definitions begin, and still reads objects', async () => {
    const bytes = await writtenStore()
    const whole = JSON.parse(bytes.toString('utf8'))
    const moved = Buffer.from(bytes.toString('utf8').replace(',"definitions":', ',"later":{"keys":{}},"definitions":'))
    const peek = StoreFilePeek.of(StoreFileBytes.of(moved))
    expect(peek).toBeDefined()
    expect(peek!.keyring()).toBeUndefined()
    expect(peek!.object(awkward[0].id)).toEqual(whole.objects[awkward[0].id])
    expect(peek!.definitions()).toEqual(whole.definitions)
  })

  it('does not read files laid out otherwise: pretty-printed, cut off, another format version, foreign', async () => {
    const bytes = await writtenStore()
    const whole = JSON.parse(bytes.toString('utf8'))
    const variants = {
      pretty: JSON.stringify(whole, null, 2),
      'cut off': bytes.subarray(0, bytes.length - 40).toString('utf8'),
      'older version': bytes.toString('utf8').replace(/"version":\d+/, '"version":0'),
      foreign: '{"users":[]}',
      empty: '',
    }
    for (const [name, text] of Object.entries(variants)) {
      expect(StoreFilePeek.of(StoreFileBytes.of(Buffer.from(text))), name).toBeUndefined()
    }
  })
})

describe('reading a store file as far as needed', () => {
  it('reads an object near the start without reading the rest, and all of it for an absent id', async () => {
    const store = await openStore(path, {clock: systemClock})
    const first = fixture('customer', {data: {Context_First_Name: 'First'}})
    const rest = Array.from({length: 3000}, (_, index) => fixture('customer', {data: {Context_First_Name: `C${index}`, Context_Notes: 'x'.repeat(200)}}))
    await store.transaction((tx) => tx.insert([first, ...rest]))
    const file = StoreFileBytes.open(path)!
    const peek = StoreFilePeek.of(file)!
    expect(peek.object(first.id)).toEqual(JSON.parse(readFileSync(path, 'utf8')).objects[first.id])
    expect(file.read).toBeLessThan(file.size / 2)
    expect(peek.object('00000000-0000-4000-8000-000000000000')).toBeNull()
    expect(file.read).toBe(file.size)
    // The bytes as stored: PII sealed (the encryption layer opens them above the adapter).
    expect(peek.object(rest.at(-1)!.id)?.data).toEqual(JSON.parse(readFileSync(path, 'utf8')).objects[rest.at(-1)!.id].data)
  })

  it('keeps reading the file it opened after another process replaced it', async () => {
    await writtenStore()
    const file = StoreFileBytes.open(path)!
    const replacement = join(dir, 'replacement.json')
    writeFileSync(replacement, '{"users":[]}')
    renameSync(replacement, path)
    const peek = StoreFilePeek.of(file)
    expect(peek?.object(awkward[2].id)?.externalId).toBe(awkward[2].externalId)
  })
})

describe('the file store reading one object', () => {
  it('gives the same objects and definitions with and without a whole parse', async () => {
    await writtenStore()
    const peeking = await openStore(path, {clock: systemClock})
    const parsed = await openStore(path, {clock: systemClock})
    await parsed.count()
    for (const object of awkward) expect(await peeking.get(object.id)).toEqual(await parsed.get(object.id))
    expect(await peeking.definitions()).toEqual(await parsed.definitions())
  })

  it('reports a damaged file as it would on a whole parse, leaving it untouched', async () => {
    const bytes = await writtenStore()
    const damaged = bytes.subarray(0, bytes.length - 40)
    writeFileSync(path, damaged)
    const store = await openStore(path, {clock: systemClock})
    await expect(store.get(awkward[0].id)).rejects.toBeInstanceOf(StorageError)
    expect(readFileSync(path).equals(damaged)).toBe(true)
  })

  it('answers later reads from the same file as the first one, even if it was replaced since', async () => {
    await writtenStore()
    const store = await openStore(path, {clock: systemClock})
    expect(await store.get(awkward[0].id)).not.toBeNull()
    const other = join(dir, 'other.json')
    const replacement = await openStore(other, {clock: systemClock})
    await replacement.transaction((tx) => tx.insert([fixture('customer')]))
    writeFileSync(path, readFileSync(other))
    const {items} = await store.find({limit: 10})
    expect(items.map((object) => object.id).sort()).toEqual(awkward.map((object) => object.id).sort())
  })

  it('writes from the file as it is on disk, not from the bytes a read kept', async () => {
    await writtenStore()
    const store = await openStore(path, {clock: systemClock})
    expect(await store.get(awkward[0].id)).not.toBeNull()
    const other = await openStore(path, {clock: systemClock})
    const added = fixture('customer')
    await other.transaction((tx) => tx.insert([added]))
    await store.transaction((tx) => tx.insert([fixture('customer')]))
    const final = await openStore(path, {clock: systemClock})
    expect(await final.get(added.id)).toEqual(added)
    expect(await final.count()).toBe(awkward.length + 2)
  })
})
