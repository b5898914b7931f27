import {Flags} from '@oclif/core'
import {applyDefinitions, type DefinitionsPlan} from '../../core/definitions/manage.js'
import {readJsonFile} from '../../core/json-file.js'
import {CtxCommand} from '../../ux/base-command.js'
import {planText} from '../../ux/definitions.js'

export type FieldsApplyResult = DefinitionsPlan

export default class FieldsApply extends CtxCommand<typeof FieldsApply> {
  static override summary = 'Make the store’s fields and fieldsets match a definitions file.'
  static override description = `The file is {"fields": [...], "fieldsets": [...]} (schemas/definitions.schema.json). Definitions missing from the store are created, those that differ are updated, and the plan is printed; applying the same file again changes nothing. Apply never deletes: definitions absent from the file stay as they are (use \`fields delete\` / \`fieldsets delete\`). Everything is checked before anything is written, in one transaction; the protection rules of \`fields update\` and \`fieldsets update\` apply (exit 4).`
  static override examples = [
    '<%= config.bin %> <%= command.id %> -f definitions.json --dry-run',
    '<%= config.bin %> <%= command.id %> -f definitions.json',
    '<%= config.bin %> <%= command.id %> -f definitions.json --json',
  ]

  static override flags = {
    file: Flags.string({char: 'f', summary: 'The definitions file (JSON).', required: true}),
    'dry-run': Flags.boolean({summary: 'Check and print the plan, write nothing.'}),
  }

  async run(): Promise<FieldsApplyResult> {
    const input = await readJsonFile(this.flags.file)
    const session = await this.session()
    const plan = await applyDefinitions(session.store, input, {dryRun: this.flags['dry-run'], source: this.flags.file})
    if (!this.jsonEnabled()) this.log(planText(plan))
    return plan
  }
}
