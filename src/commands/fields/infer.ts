import {Args, Flags} from '@oclif/core'
import {definitionsFileText, writeDefinitionsFile} from '../../core/definitions/file-out.js'
import {IMPORT_FORMATS, type ImportFormat} from '../../core/io/formats.js'
import type {InferResult} from '../../core/io/infer.js'
import {CtxCommand} from '../../ux/base-command.js'
import {counted} from '../../ux/render.js'

export type FieldsInferResult = InferResult & {file: string | null}

export default class FieldsInfer extends CtxCommand<typeof FieldsInfer> {
  static override summary = 'Write the definitions an export needs and the store lacks.'
  static override description = `Reads a Context Service export (its directory or one file), JSON Lines, or a CSV's header, and writes a definitions file in the \`fields apply\` format holding every fieldset and field it uses that the store does not define. Fields are typed by their data elements' "type" (JSON Lines: by their values; CSV columns: string) and classified by their "classification" where given, else UNENCRYPTED. Review it, then \`ctx fields apply -f FILE\` and import. Nothing is written to the store.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> cs-export/ -o definitions.json',
    '<%= config.bin %> <%= command.id %> backup.jsonl',
    '<%= config.bin %> <%= command.id %> crm.csv --fieldset crm.contact -o crm-definitions.json',
  ]

  static override args = {path: Args.string({description: 'A Context Service export directory or file, a JSON Lines file or a CSV.', required: true})}

  static override flags = {
    output: Flags.string({char: 'o', summary: 'Write to this file instead of stdout (- is stdout).'}),
    format: Flags.string({summary: 'The format, when the extension does not say it.', options: [...IMPORT_FORMATS]}),
    fieldset: Flags.string({summary: 'CSV: the fieldset the new columns go into (default: imported).'}),
  }

  async run(): Promise<FieldsInferResult> {
    const output = this.outputFile(this.flags.output)
    await this.refuseTheStoreAs('-o', output)
    const store = await this.openStore()
    const {inferDefinitions} = await import('../../core/io/infer.js')
    const result = await inferDefinitions(await store.definitions(), {
      path: this.args.path,
      format: this.flags.format as ImportFormat | undefined,
      fieldset: this.flags.fieldset,
    })
    const {fields, fieldsets} = result.definitions
    if (output !== undefined) {
      await writeDefinitionsFile(output, result.definitions)
      if (!this.jsonEnabled()) this.log(`Wrote ${counted(fields.length, 'field')} and ${counted(fieldsets.length, 'fieldset')} the store lacks to ${output}; review it, then \`ctx fields apply -f ${output}\`.`)
    } else if (!this.jsonEnabled()) {
      process.stdout.write(definitionsFileText(result.definitions))
    }
    if (!this.jsonEnabled()) for (const warning of result.warnings) this.logToStderr(`Warning: ${warning}`)
    return {...result, file: output ?? null}
  }
}
