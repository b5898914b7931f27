// Writing a `fields apply` file (fields export, fields infer): the definitions as indented JSON, to
// a file written whole (a temporary file renamed into place) or to stdout. A file is 0600, as every
// file ctx writes from a store or an export: it describes customer data.
import {chmod, rename, rm, writeFile} from 'node:fs/promises'
import type {DefinitionsFile} from './model.js'
import {StorageError} from '../errors.js'

export function definitionsFileText(file: DefinitionsFile): string {
  return `${JSON.stringify({fields: file.fields ?? [], fieldsets: file.fieldsets ?? []}, null, 2)}\n`
}

export async function writeDefinitionsFile(path: string, file: DefinitionsFile): Promise<void> {
  const partial = `${path}.partial-${process.pid}`
  try {
    await writeFile(partial, definitionsFileText(file), {mode: 0o600})
    // Exactly 0600, as an export (io/export.ts): the mode at creation is only what the umask leaves.
    await chmod(partial, 0o600)
    await rename(partial, path)
  } catch (error) {
    await rm(partial, {force: true})
    throw new StorageError(`cannot write ${path}: ${(error as Error).message}`, {where: path})
  }
}
