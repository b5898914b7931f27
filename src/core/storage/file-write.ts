// Writing the store file: the state serialised object by object into one reused buffer, written in
// chunks to a temporary file beside the store, fsynced, then renamed over it (what write-file-atomic
// did). A 100k-customer store is ~50 MB: as one JSON.stringify string, then its UTF-8 copy, then one
// write, it took about three times as long (bench P3). The bytes are JSON.stringify(state)'s.
import {chmodSync, closeSync, fchownSync, openSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {chmod, type FileHandle, open, rename, stat, unlink} from 'node:fs/promises'
import {onExit} from 'signal-exit'

/** Bytes written per write call; a piece of JSON that cannot fit goes out on its own. */
const CHUNK_BYTES = 1024 * 1024
/** Node encodes a UTF-16 unit as at most 3 bytes of UTF-8 (a surrogate pair, two units, as 4). */
const MAX_BYTES_PER_UNIT = 3

let written = 0

export interface WriteHooks {
  /** Called after every chunk written: a long write keeps its lock fresh. */
  progress?: () => void
  /** Called right before the rename; throwing there leaves the file as it was. */
  beforeRename?: () => void
}

/**
 * Replaces `target` (a real path: the caller resolved any link) atomically with
 * `JSON.stringify(value)` and a newline, as mode 0600 with the old file's owner: readers see the old
 * file or the new one, never a part, and a crash leaves at most a stray temporary file. `key` names
 * the member of `value` (a record or a Map) written entry by entry.
 */
export async function writeJsonFileAtomically(target: string, value: Record<string, unknown>, key: string, hooks: WriteHooks = {}): Promise<void> {
  const {temporary, removeOnExit} = temporaryBeside(target)
  let renamed = false
  try {
    const before = await stat(target).catch(() => undefined)
    const file = await open(temporary, 'w', 0o600)
    try {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
      let used = 0
      for (const piece of jsonPieces(value, key)) {
        if (used + piece.length * MAX_BYTES_PER_UNIT > CHUNK_BYTES) {
          await writeAll(file, buffer.subarray(0, used))
          hooks.progress?.()
          used = 0
          if (piece.length * MAX_BYTES_PER_UNIT > CHUNK_BYTES) {
            await writeAll(file, Buffer.from(piece, 'utf8'))
            continue
          }
        }
        used += buffer.write(piece, used, 'utf8')
      }
      await writeAll(file, buffer.subarray(0, used))
      await file.sync()
      if (before) await file.chown(before.uid, before.gid).catch(ignoreUnlessRoot)
    } finally {
      await file.close()
    }
    // Explicitly, not only at open: a umask can take bits away from 0600.
    await chmod(temporary, 0o600)
    hooks.beforeRename?.()
    await rename(temporary, target)
    renamed = true
  } finally {
    removeOnExit()
    if (!renamed) await unlink(temporary).catch(() => undefined)
  }
}

/**
 * Writes every byte: a write may take fewer than it is given (a disk filling up, a file size limit)
 * without failing, and only the next one fails. Taken as done, a short last write left a store file
 * cut short, renamed over the whole one.
 */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const {bytesWritten} = await file.write(bytes, offset, bytes.length - offset)
    if (bytesWritten === 0) throw Object.assign(new Error(`no byte of ${bytes.length - offset} could be written`), {code: 'EIO'})
    offset += bytesWritten
  }
}

/**
 * Replaces `target` (a real path) with `text` the same way, synchronously and without syncing it to
 * disk: for a small file whose last change a power cut may lose (src/core/recent.ts).
 */
export function replaceFileSync(target: string, text: string): void {
  const {temporary, removeOnExit} = temporaryBeside(target)
  let renamed = false
  try {
    const before = statSync(target, {throwIfNoEntry: false})
    const fd = openSync(temporary, 'w', 0o600)
    try {
      writeFileSync(fd, text)
      if (before) {
        try {
          fchownSync(fd, before.uid, before.gid)
        } catch (error) {
          ignoreUnlessRoot(error as NodeJS.ErrnoException)
        }
      }
    } finally {
      closeSync(fd)
    }
    chmodSync(temporary, 0o600)
    renameSync(temporary, target)
    renamed = true
  } finally {
    removeOnExit()
    if (!renamed) removeQuietly(temporary)
  }
}

/** A temporary file's name beside `target`, removed if the process ends before `removeOnExit` is called. */
function temporaryBeside(target: string): {temporary: string; removeOnExit: () => void} {
  const temporary = `${target}.${process.pid}.${++written}.tmp`
  // Sync: an exit handler cannot wait.
  return {temporary, removeOnExit: onExit(() => removeQuietly(temporary))}
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone, or never made.
  }
}

/**
 * The text of `JSON.stringify(value)` plus a newline, in pieces: `value[key]` entry by entry (a Map
 * written as the object of its entries), every other member whole. Key order and skipped members
 * (undefined, functions) are JSON.stringify's.
 */
export function* jsonPieces(value: Record<string, unknown>, key: string): Generator<string> {
  let comma = ''
  yield '{'
  for (const name of Object.keys(value)) {
    const member = value[name]
    if (name === key && member instanceof Map) {
      yield `${comma}${JSON.stringify(name)}:{`
      comma = ','
      let entryComma = ''
      for (const [id, entry] of member as Map<string, unknown>) {
        const text = JSON.stringify(entry)
        if (text === undefined) continue
        yield `${entryComma}${JSON.stringify(id)}:${text}`
        entryComma = ','
      }
      yield '}'
      continue
    }
    if (name !== key || typeof member !== 'object' || member === null || Array.isArray(member)) {
      const text = JSON.stringify(member)
      if (text === undefined) continue
      yield `${comma}${JSON.stringify(name)}:${text}`
      comma = ','
      continue
    }
    yield `${comma}${JSON.stringify(name)}:{`
    comma = ','
    let entryComma = ''
    const entries = member as Record<string, unknown>
    for (const id of Object.keys(entries)) {
      const text = JSON.stringify(entries[id])
      if (text === undefined) continue
      yield `${entryComma}${JSON.stringify(id)}:${text}`
      entryComma = ','
    }
    yield '}'
  }
  yield '}\n'
}

/** Changing the owner needs root; as anyone else, keeping one's own ownership is fine (write-file-atomic's rule). */
function ignoreUnlessRoot(error: NodeJS.ErrnoException): void {
  if (error.code === 'ENOSYS') return
  const root = process.getuid?.() === 0
  if (!root && (error.code === 'EINVAL' || error.code === 'EPERM')) return
  throw error
}
