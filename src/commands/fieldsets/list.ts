import {DefinitionCommand, type DefinitionsListResult} from '../../ux/definition-commands.js'
import {listFlags} from '../../ux/list.js'

export type FieldsetsListResult = DefinitionsListResult<'fieldset'>

export default class FieldsetsList extends DefinitionCommand<typeof FieldsetsList> {
  static override summary = 'List the fieldsets this store knows.'
  static override description = 'Each with its description, how many active and inactive fields it has, and how many objects use it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json', '<%= config.bin %> <%= command.id %> --csv --columns id,objects --sort -objects']

  static override flags = {...listFlags}

  async run(): Promise<FieldsetsListResult> {
    return this.listDefinitions('fieldset', this.flags)
  }
}
