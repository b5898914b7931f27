import {Args} from '@oclif/core'
import type {DeletedDefinition} from '../../core/definitions/manage.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'
import {forceFlag} from '../../ux/flags.js'

export type FieldsetsDeleteResult = DeletedDefinition

export default class FieldsetsDelete extends DefinitionCommand<typeof FieldsetsDelete> {
  static override summary = 'Delete a fieldset no object uses.'
  static override description =
    'A fieldset that any object uses is refused with exit 4, naming how many objects and a few of their ids; base fieldsets cannot be deleted. Its fields stay defined. Asks first on a terminal; needs --force elsewhere.'
  static override examples = ['<%= config.bin %> <%= command.id %> acme.support --force']

  static override args = {
    id: Args.string({description: 'Fieldset id.'}),
  }

  static override flags = {force: forceFlag}

  async run(): Promise<FieldsetsDeleteResult> {
    return this.deleteDefinition('fieldset', this.args.id, this.flags.force)
  }
}
