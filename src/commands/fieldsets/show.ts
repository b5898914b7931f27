import {Args} from '@oclif/core'
import {showFieldset} from '../../core/definitions/manage.js'
import type {FieldsetDefinition} from '../../core/definitions/model.js'
import {CtxCommand} from '../../ux/base-command.js'
import {fieldsetTable} from '../../ux/definitions.js'

export type FieldsetsShowResult = FieldsetDefinition

export default class FieldsetsShow extends CtxCommand<typeof FieldsetsShow> {
  static override summary = 'Show one fieldset: its fields by label and the objects using it.'
  static override description = 'With --json, prints the definition exactly as `fieldsets create -f`, `fieldsets update -f` and `fields apply` take it.'
  static override examples = ['<%= config.bin %> <%= command.id %> cisco.base.customer', '<%= config.bin %> <%= command.id %> acme.support --json']

  static override args = {
    id: Args.string({description: 'Fieldset id.'}),
  }

  async run(): Promise<FieldsetsShowResult> {
    const id = await this.required(this.args.id, 'Fieldset id', 'the fieldset id as an argument')
    const session = await this.session()
    const {fieldset, definitions, usage} = await showFieldset(session.store, id)
    if (!this.jsonEnabled()) this.log(fieldsetTable(fieldset, definitions, usage))
    return fieldset
  }
}
