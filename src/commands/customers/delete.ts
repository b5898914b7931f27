import {Args} from '@oclif/core'
import {type DeletedCustomer, deleteCustomer, showCustomer} from '../../core/customers.js'
import {displayName} from '../../core/model.js'
import {forgetRecent} from '../../core/recent.js'
import {CtxCommand} from '../../ux/base-command.js'
import {forceFlag} from '../../ux/flags.js'
import {counted} from '../../ux/render.js'

export type CustomersDeleteResult = DeletedCustomer

export default class CustomersDelete extends CtxCommand<typeof CustomersDelete> {
  static override summary = 'Delete a customer and everything that belongs to it.'
  static override description =
    'Removes the customer, its requests and activities, and the comments on them (a person’s right to be forgotten). Asks first on a terminal; needs --force elsewhere.'
  static override examples = ['<%= config.bin %> <%= command.id %> ID --force --json']

  static override args = {
    id: Args.string({description: 'Customer id.'}),
  }

  static override flags = {force: forceFlag}

  async run(): Promise<CustomersDeleteResult> {
    const id = await this.idOf(await this.customerRef(this.args.id, 'Customer id', 'the customer id as an argument'), 'customer id')
    const session = await this.session()
    const customer = await showCustomer(session, id)
    await this.confirm(this.flags.force, `Delete ${displayName(customer)} (${id}) and everything that belongs to them?`)
    const result = await deleteCustomer(session, id)
    await forgetRecent(this.recentFile, session.store.location, [id])
    const {customer: _self, ...rest} = result.deleted
    const extras = Object.entries(rest).filter(([, count]) => count > 0).map(([type, count]) => counted(count, type, type === 'activity' ? 'activities' : `${type}s`))
    this.log(`Deleted customer ${id}${extras.length > 0 ? ` with ${extras.join(', ')}` : ''}.`)
    return result
  }
}
