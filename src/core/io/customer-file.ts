// Every file ctx writes that holds customer data (exports, Context Service export files, `fields
// export` and `fields infer` files) goes through writeCustomerFile: 0600, and written whole or not
// at all. A place that cannot take it is exit 7 naming the file, never an unexpected failure.
import {createWriteStream} from 'node:fs'
import {chmod, mkdir, realpath, rename, rm, stat} from 'node:fs/promises'
import type {Writable} from 'node:stream'
import {finished} from 'node:stream/promises'
import {isCtxError, StorageError} from '../errors.js'

/**
 * Writes a file of customer data through a temporary one renamed into place, so a failed write
 * leaves no half file. When `keep` refuses what was written, no file is left at `path`, not even
 * one an earlier run left there.
 */
export async function writeCustomerFile<T>(path: string, write: (out: Writable) => Promise<T>, keep: (written: T) => boolean = () => true): Promise<T> {
  const existing = await stat(path).catch(() => null)
  // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written to as it is: renamed
  // over, it became a file of customer data in its place, and as root /dev/null was replaced so; its
  // mode is not ctx's to change either.
  if (existing && !existing.isFile() && !existing.isDirectory()) return writeWhole(createWriteStream(path, {encoding: 'utf8'}), path, write)
  // A symbolic link (`latest.jsonl` naming this week's file, /dev/fd/3) is written through: the file
  // it names is replaced and the link stays, where renaming over it replaced the link with a file.
  const target = existing ? await realpath(path) : path
  const partial = `${target}.partial-${process.pid}`
  try {
    // 0600: an export holds customer data in clear text (the store's values, opened with its key).
    const written = await writeWhole(createWriteStream(partial, {encoding: 'utf8', mode: 0o600}), path, write)
    if (!keep(written)) {
      await rm(partial, {force: true})
      await rm(target, {force: true})
      return written
    }
    // Explicitly, not only at creation: a umask could take bits away, never add them; chmod is exact.
    await chmod(partial, 0o600)
    await rename(partial, target)
    return written
  } catch (error) {
    // The partial file may never have been made (its directory is missing, or is a file): nothing to remove then.
    await rm(partial, {force: true}).catch(() => undefined)
    throw isCtxError(error) ? error : cannotWrite(path, error)
  }
}

/** Runs `write` into `out` and ends it, failing (as the failure to write `path`) at `out`'s first error. */
async function writeWhole<T>(out: Writable, path: string, write: (out: Writable) => Promise<T>): Promise<T> {
  const failed = new Promise<never>((_, reject) => out.once('error', (error) => reject(cannotWrite(path, error))))
  failed.catch(() => undefined)
  try {
    const written = await Promise.race([write(out), failed])
    out.end()
    await Promise.race([finished(out), failed])
    return written
  } catch (error) {
    out.destroy()
    throw isCtxError(error) ? error : cannotWrite(path, error)
  }
}

/** Makes the directory files of customer data go into (a Context Service export), 0700 when it is new. */
export async function makeCustomerDirectory(dir: string): Promise<void> {
  await mkdir(dir, {recursive: true, mode: 0o700}).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw cannotWrite(dir, error)
    // Node's own words name mkdir and say only that the file exists.
    throw new StorageError(`cannot write ${dir}: ${code === 'EEXIST' ? 'it is a file, not a directory' : 'a part of its path is a file, not a directory'}`, {
      where: dir,
      hint: 'A Context Service export is a directory: choose another place with -o.',
    })
  })
}

function cannotWrite(path: string, error: unknown): StorageError {
  return new StorageError(`cannot write ${path}: ${(error as Error).message}`, {where: path, hint: 'Choose another place with -o.'})
}
