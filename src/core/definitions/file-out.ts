// Writing a `fields apply` file (fields export, fields infer): the definitions as indented JSON, to
// a file written whole (io/customer-file.ts) or to stdout. A file is 0600, as every
// file ctx writes from a store or an export: it describes customer data.
import {writeCustomerFile} from '../io/customer-file.js'
import type {DefinitionsFile} from './model.js'

export function definitionsFileText(file: DefinitionsFile): string {
  return `${JSON.stringify({fields: file.fields ?? [], fieldsets: file.fieldsets ?? []}, null, 2)}\n`
}

export async function writeDefinitionsFile(path: string, file: DefinitionsFile): Promise<void> {
  await writeCustomerFile(path, async (out) => {
    out.write(definitionsFileText(file))
  })
}
