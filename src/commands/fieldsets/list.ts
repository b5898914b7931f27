import {type FieldsetListing, listFieldsets} from '../../core/definitions/manage.js'
import {CtxCommand} from '../../ux/base-command.js'
import {fieldsetListTable} from '../../ux/definitions.js'

export interface FieldsetsListResult {
  items: FieldsetListing[]
  next: null
}

export default class FieldsetsList extends CtxCommand<typeof FieldsetsList> {
  static override summary = 'List the fieldsets this store knows.'
  static override description = 'Each with its description, how many active and inactive fields it has, and how many objects use it.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<FieldsetsListResult> {
    const session = await this.session()
    const items = await listFieldsets(session.store)
    if (!this.jsonEnabled()) this.log(fieldsetListTable(items))
    return {items, next: null}
  }
}
