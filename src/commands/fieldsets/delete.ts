import {Args} from '@oclif/core'
import {type DeletedDefinition, deleteDefinition, showFieldset} from '../../core/definitions/manage.js'
import {CtxCommand} from '../../ux/base-command.js'
import {forceFlag} from '../../ux/flags.js'

export type FieldsetsDeleteResult = DeletedDefinition

export default class FieldsetsDelete extends CtxCommand<typeof FieldsetsDelete> {
  static override summary = 'Delete a fieldset no object uses.'
  static override description =
    'A fieldset that any object uses is refused with exit 4, naming how many objects and a few of their ids; base fieldsets cannot be deleted. Its fields stay defined. Asks first on a terminal; needs --force elsewhere.'
  static override examples = ['<%= config.bin %> <%= command.id %> acme.support --force']

  static override args = {
    id: Args.string({description: 'Fieldset id.'}),
  }

  static override flags = {force: forceFlag}

  async run(): Promise<FieldsetsDeleteResult> {
    const id = await this.required(this.args.id, 'Fieldset id', 'the fieldset id as an argument')
    const session = await this.session()
    await showFieldset(session.store, id)
    await this.confirm(this.flags.force, `Delete fieldset ${id}?`)
    const result = await deleteDefinition(session.store, 'fieldset', id)
    this.log(`Deleted fieldset ${id}.`)
    return result
  }
}
