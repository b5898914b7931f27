import {Args, Flags} from '@oclif/core'
import {customerFlagChanges, updateCustomer} from '../../core/customers.js'
import type {ContextObject} from '../../core/model.js'
import {collectChanges} from '../../core/objects.js'
import {touchRecent} from '../../core/recent.js'
import {CtxCommand} from '../../ux/base-command.js'
import {customerFlags} from '../../ux/flags.js'
import {objectTable} from '../../ux/render.js'

export type CustomersUpdateResult = ContextObject

export default class CustomersUpdate extends CtxCommand<typeof CustomersUpdate> {
  static override summary = 'Change a customer’s fields.'
  static override description =
    'Only the fields you name change. With --if-last-updated the update is refused (exit 4) when someone changed the customer after you read it.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> ID --email ada@example.org',
    '<%= config.bin %> <%= command.id %> ID --field Context_City= --if-last-updated "$(<%= config.bin %> customers show ID --json | jq -r .lastUpdated)"',
  ]

  static override args = {
    id: Args.string({description: 'Customer id.'}),
  }

  static override flags = {
    ...customerFlags,
    'if-last-updated': Flags.string({summary: 'Refuse the update unless the stored lastUpdated is exactly this (optimistic concurrency).'}),
  }

  async run(): Promise<CustomersUpdateResult> {
    const id = await this.idOf(await this.customerRef(this.args.id, 'Customer id', 'the customer id as an argument'), 'customer id')
    const session = await this.session()
    const definitions = await session.store.definitions()
    const customer = await updateCustomer(session, id, {
      changes: collectChanges(customerFlagChanges(this.flags), this.flags.field, definitions),
      fieldsets: this.flags.fieldset,
      externalId: this.flags['external-id'],
      ifLastUpdated: this.flags['if-last-updated'],
    })
    await touchRecent(this.recentFile, session.store.location, {id, at: customer.lastUpdated, action: 'updated'})
    if (!this.jsonEnabled()) this.log(objectTable(customer, definitions))
    return customer
  }
}
