import {Args} from '@oclif/core'
import {showCustomer} from '../../core/customers.js'
import {parseId} from '../../core/ids.js'
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
    id: Args.string({description: 'Customer id.'}),
  }

  async run(): Promise<CustomersShowResult> {
    const id = parseId(await this.required(this.args.id, 'Customer id', 'the customer id as an argument'), 'customer id')
    const session = await this.session()
    const customer = await showCustomer(session, id)
    await touchRecent(this.recentFile, session.store.location, {id, at: nowIso(session.clock), action: 'viewed'})
    if (!this.jsonEnabled()) this.log(objectTable(customer, await session.store.definitions()))
    return customer
  }
}
