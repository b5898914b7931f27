import {collectChanges} from '../../core/objects.js'
import {createCustomer, customerFlagChanges, setsAnyField} from '../../core/customers.js'
import type {ContextObject} from '../../core/model.js'
import {touchRecent} from '../../core/recent.js'
import {CtxCommand} from '../../ux/base-command.js'
import {customerFlags} from '../../ux/flags.js'
import {objectTable} from '../../ux/render.js'

export type CustomersCreateResult = ContextObject

export default class CustomersCreate extends CtxCommand<typeof CustomersCreate> {
  static override summary = 'Create a customer.'
  static override description = 'Named flags set the common base fields; --field sets any field of the customer’s fieldsets.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --first-name Ada --last-name Lovelace --email ada@example.com',
    '<%= config.bin %> <%= command.id %> --phone +15550100 --field Context_City=London --json',
  ]

  static override flags = customerFlags

  async run(): Promise<CustomersCreateResult> {
    const session = await this.session()
    const definitions = await session.store.definitions()
    let changes = collectChanges(customerFlagChanges(this.flags), this.flags.field, definitions)
    // Nothing given, and someone at the terminal: ask for the common fields rather than refuse.
    if (!setsAnyField(changes) && this.flags['external-id'] === undefined && this.interactive) changes = collectChanges(customerFlagChanges(await askCustomerFields()), [], definitions)
    changes = await this.askRequired('customer', this.flags.fieldset, changes, definitions)
    const customer = await createCustomer(session, {
      changes,
      fieldsets: this.flags.fieldset,
      externalId: this.flags['external-id'],
    })
    await touchRecent(this.recentFile, session.store.location, {id: customer.id, at: customer.created, action: 'created'})
    if (!this.jsonEnabled()) this.log(objectTable(customer, definitions))
    return customer
  }
}

/** The named fields, asked one by one; an empty answer leaves a field out. */
async function askCustomerFields(): Promise<Record<'first-name' | 'last-name' | 'email' | 'phone', string | undefined>> {
  const {input} = await import('@inquirer/prompts')
  const ask = async (message: string) => (await input({message})).trim() || undefined
  return {'first-name': await ask('First name:'), 'last-name': await ask('Last name:'), email: await ask('Email:'), phone: await ask('Phone:')}
}
