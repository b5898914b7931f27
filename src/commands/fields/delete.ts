import {Args} from '@oclif/core'
import {type DeletedDefinition, deleteDefinition, showField} from '../../core/definitions/manage.js'
import {CtxCommand} from '../../ux/base-command.js'
import {forceFlag} from '../../ux/flags.js'

export type FieldsDeleteResult = DeletedDefinition

export default class FieldsDelete extends CtxCommand<typeof FieldsDelete> {
  static override summary = 'Delete a field no fieldset holds.'
  static override description =
    'A field held by a fieldset (active or inactive) is refused with exit 4, naming the fieldsets; base fields cannot be deleted. Asks first on a terminal; needs --force elsewhere.'
  static override examples = ['<%= config.bin %> <%= command.id %> Acme_Score --force']

  static override args = {
    id: Args.string({description: 'Field id.'}),
  }

  static override flags = {force: forceFlag}

  async run(): Promise<FieldsDeleteResult> {
    const id = await this.required(this.args.id, 'Field id', 'the field id as an argument')
    const session = await this.session()
    await showField(session.store, id)
    await this.confirm(this.flags.force, `Delete field ${id}?`)
    const result = await deleteDefinition(session.store, 'field', id)
    this.log(`Deleted field ${id}.`)
    return result
  }
}
