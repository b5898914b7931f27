import {Args} from '@oclif/core'
import {showField} from '../../core/definitions/manage.js'
import type {FieldDefinition} from '../../core/definitions/model.js'
import {CtxCommand} from '../../ux/base-command.js'
import {fieldTable} from '../../ux/definitions.js'

export type FieldsShowResult = FieldDefinition

export default class FieldsShow extends CtxCommand<typeof FieldsShow> {
  static override summary = 'Show one field: what it accepts, its labels and the fieldsets holding it.'
  static override description = 'With --json, prints the definition exactly as `fields create -f`, `fields update -f` and `fields apply` take it.'
  static override examples = ['<%= config.bin %> <%= command.id %> Context_Preferred_Language', '<%= config.bin %> <%= command.id %> Acme_Tier --json > acme-tier.json']

  static override args = {
    id: Args.string({description: 'Field id.'}),
  }

  async run(): Promise<FieldsShowResult> {
    const id = await this.required(this.args.id, 'Field id', 'the field id as an argument')
    const session = await this.session()
    const {field, usedBy} = await showField(session.store, id)
    if (!this.jsonEnabled()) this.log(fieldTable(field, usedBy))
    return field
  }
}
