import {Args} from '@oclif/core'
import type {FieldsetDefinition} from '../../core/definitions/model.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'

export type FieldsetsShowResult = FieldsetDefinition

export default class FieldsetsShow extends DefinitionCommand<typeof FieldsetsShow> {
  static override summary = 'Show one fieldset: its fields by label and the objects using it.'
  static override description = 'With --json, prints the definition exactly as `fieldsets create -f`, `fieldsets update -f` and `fields apply` take it.'
  static override examples = ['<%= config.bin %> <%= command.id %> cisco.base.customer', '<%= config.bin %> <%= command.id %> acme.support --json']

  static override args = {
    id: Args.string({description: 'Fieldset id.'}),
  }

  async run(): Promise<FieldsetsShowResult> {
    return this.showDefinition('fieldset', this.args.id)
  }
}
