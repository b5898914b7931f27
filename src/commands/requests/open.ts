import {Flags} from '@oclif/core'
import type {ContextObject} from '../../core/model.js'
import {collectChanges} from '../../core/objects.js'
import {touchRecent} from '../../core/recent.js'
import {openRequest, REQUEST_FLAG_FIELDS} from '../../core/requests.js'
import {CtxCommand} from '../../ux/base-command.js'
import {externalIdFlag, fieldFlag, fieldsetFlag} from '../../ux/flags.js'
import {valueOrStdin} from '../../ux/input.js'
import {objectTable} from '../../ux/render.js'

export type RequestsOpenResult = ContextObject

export default class RequestsOpen extends CtxCommand<typeof RequestsOpen> {
  static override summary = 'Open a request for a customer.'
  static override description =
    'A request groups the activities of one piece of work for one customer. It stays active until closed by hand (`requests close`) or by the sweep, 5 days after its last update.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --customer ID --title "Router keeps dropping"',
    'cat ticket.txt | <%= config.bin %> <%= command.id %> --customer ID --title "Billing" --description - --json',
  ]

  static override flags = {
    customer: Flags.string({summary: 'The customer the request is for (id).'}),
    title: Flags.string({summary: 'Title (Context_Title).'}),
    description: Flags.string({summary: 'Description (Context_Description); - reads it from stdin.'}),
    'external-id': externalIdFlag,
    field: fieldFlag,
    fieldset: fieldsetFlag,
  }

  async run(): Promise<RequestsOpenResult> {
    const customerId = await this.idOf(await this.customerRef(this.flags.customer, 'Customer id', '--customer'), 'customer id')
    const titleInField = (this.flags.field ?? []).some((assignment) => assignment.startsWith(`${REQUEST_FLAG_FIELDS.title}=`))
    const title = this.flags.title || titleInField ? this.flags.title : await this.required(this.flags.title, 'Title', '--title')
    const session = await this.session()
    const definitions = await session.store.definitions()
    const named = {[REQUEST_FLAG_FIELDS.title]: title, [REQUEST_FLAG_FIELDS.description]: await valueOrStdin(this.flags.description)}
    const changes = await this.askRequired('request', this.flags.fieldset, collectChanges(named, this.flags.field, definitions), definitions)
    const request = await openRequest(session, {
      customerId,
      changes,
      fieldsets: this.flags.fieldset,
      externalId: this.flags['external-id'],
    })
    await touchRecent(this.recentFile, session.store.location, {id: customerId, at: request.created, action: 'updated'})
    if (!this.jsonEnabled()) this.log(objectTable(request, definitions))
    return request
  }
}
