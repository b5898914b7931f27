import {Flags} from '@oclif/core'
import {definitionsFileText, writeDefinitionsFile} from '../../core/definitions/file-out.js'
import type {FieldDefinition, FieldsetDefinition} from '../../core/definitions/model.js'
import {ownDefinitions} from '../../core/definitions/own.js'
import {CtxCommand} from '../../ux/base-command.js'
import {counted} from '../../ux/render.js'

export interface FieldsExportResult {
  file: string | null
  fields: FieldDefinition[]
  fieldsets: FieldsetDefinition[]
}

export default class FieldsExport extends CtxCommand<typeof FieldsExport> {
  static override summary = 'Write the store’s own fields and fieldsets as a definitions file.'
  static override description = `The file is what \`fields apply -f\` takes: every field and fieldset this store defines beyond the base definitions that ship with ctx (and base ones this store changed). Apply it to another store before importing this store's data there.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> -o definitions.json',
    '<%= config.bin %> <%= command.id %> --store old.json > definitions.json',
  ]

  static override flags = {
    output: Flags.string({char: 'o', summary: 'Write to this file instead of stdout (- is stdout).'}),
  }

  async run(): Promise<FieldsExportResult> {
    const output = this.outputFile(this.flags.output)
    await this.refuseTheStoreAs('-o', output)
    const store = await this.openStore()
    const own = ownDefinitions(await store.definitions())
    if (output !== undefined) {
      await writeDefinitionsFile(output, own)
      if (!this.jsonEnabled()) this.log(`Wrote ${counted(own.fields.length, 'field')} and ${counted(own.fieldsets.length, 'fieldset')} to ${output}.`)
    } else if (!this.jsonEnabled()) {
      process.stdout.write(definitionsFileText(own))
    }
    return {file: output ?? null, ...own}
  }
}
