import {Args} from '@oclif/core'
import {showCustomer} from '../../core/customers.js'
import type {ContextObject} from '../../core/model.js'
import {nowIso} from '../../core/clock.js'
import {touchRecent} from '../../core/recent.js'
import {CtxCommand} from '../../ux/base-command.js'
import {objectTable} from '../../ux/render.js'

export type CustomersShowResult = ContextObject

export default class CustomersShow extends CtxCommand<typeof CustomersShow> {
  static override summary = 'Show one customer.'
  static override examples = ['<%= config.bin %> <%= command.id %> 0b6f3e2a-8c1d-4f5e-9a7b-1c2d3e4f5a6b --json']

  static override args = {
    id: Args.string({description: 'Customer id, or an email or phone number exactly one customer has.'}),
  }

  async run(): Promise<CustomersShowResult> {
    const session = await this.session()
    const ref = await this.customerRef(this.args.id, 'Customer id, email or phone', 'the customer as an argument')
    const customer = await showCustomer(session, ref)
    await touchRecent(this.recentFile, session.store.location, {id: customer.id, at: nowIso(session.clock), action: 'viewed'})
    if (!this.jsonEnabled()) this.log(objectTable(customer, await session.store.definitions()))
    return customer
  }
}
