import {Args} from '@oclif/core'
import type {DeletedDefinition} from '../../core/definitions/manage.js'
import {DefinitionCommand} from '../../ux/definition-commands.js'
import {forceFlag} from '../../ux/flags.js'

export type FieldsDeleteResult = DeletedDefinition

export default class FieldsDelete extends DefinitionCommand<typeof FieldsDelete> {
  static override summary = 'Delete a field no fieldset holds.'
  static override description =
    'A field held by a fieldset (active or inactive) is refused with exit 4, naming the fieldsets; base fields cannot be deleted. Asks first on a terminal; needs --force elsewhere.'
  static override examples = ['<%= config.bin %> <%= command.id %> Acme_Score --force']

  static override args = {
    id: Args.string({description: 'Field id.'}),
  }

  static override flags = {force: forceFlag}

  async run(): Promise<FieldsDeleteResult> {
    return this.deleteDefinition('field', this.args.id, this.flags.force)
  }
}
