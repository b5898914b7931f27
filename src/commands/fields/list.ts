import {type FieldListing, listFields} from '../../core/definitions/manage.js'
import {CtxCommand} from '../../ux/base-command.js'
import {fieldListTable} from '../../ux/definitions.js'

export interface FieldsListResult {
  items: FieldListing[]
  next: null
}

export default class FieldsList extends CtxCommand<typeof FieldsList> {
  static override summary = 'List the fields this store knows.'
  static override description = 'Each with its label (from translations, in your locale), data type, classification, whether it is searchable, and the fieldsets holding it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<FieldsListResult> {
    const session = await this.session()
    const items = await listFields(session.store)
    if (!this.jsonEnabled()) this.log(fieldListTable(items))
    return {items, next: null}
  }
}
