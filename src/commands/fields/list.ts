import {DefinitionCommand, type DefinitionsListResult} from '../../ux/definition-commands.js'
import {listFlags} from '../../ux/list.js'

export type FieldsListResult = DefinitionsListResult<'field'>

export default class FieldsList extends DefinitionCommand<typeof FieldsList> {
  static override summary = 'List the fields this store knows.'
  static override description = 'Each with its label (from translations, in your locale), data type, classification, whether it is searchable, and the fieldsets holding it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json', '<%= config.bin %> <%= command.id %> --csv --columns id,type --sort id']

  static override flags = {...listFlags}

  async run(): Promise<FieldsListResult> {
    return this.listDefinitions('field', this.flags)
  }
}
