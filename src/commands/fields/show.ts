import {Args} from '@oclif/core'
import type {FieldDefinition} from '../../core/definitions/model.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'

export type FieldsShowResult = FieldDefinition

export default class FieldsShow extends DefinitionCommand<typeof FieldsShow> {
  static override summary = 'Show one field: what it accepts, its labels and the fieldsets holding it.'
  static override description = 'With --json, prints the definition exactly as `fields create -f`, `fields update -f` and `fields apply` take it.'
  static override examples = ['<%= config.bin %> <%= command.id %> Context_Preferred_Language', '<%= config.bin %> <%= command.id %> Acme_Tier --json > acme-tier.json']

  static override args = {
    id: Args.string({description: 'Field id.'}),
  }

  async run(): Promise<FieldsShowResult> {
    return this.showDefinition('field', this.args.id)
  }
}
