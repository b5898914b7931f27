import {Args, Flags} from '@oclif/core'
import type {ContextObject} from '../../core/model.js'
import {collectChanges} from '../../core/objects.js'
import {REQUEST_FLAG_FIELDS, updateRequest} from '../../core/requests.js'
import {CtxCommand} from '../../ux/base-command.js'
import {fieldFlag, fieldsetFlag, ifLastUpdatedFlag} from '../../ux/flags.js'
import {valueOrStdin} from '../../ux/input.js'
import {objectTable} from '../../ux/render.js'

export type RequestsUpdateResult = ContextObject

export default class RequestsUpdate extends CtxCommand<typeof RequestsUpdate> {
  static override summary = 'Change an active request’s title, description or fields.'
  static override description = 'A closed request cannot change (exit 4). With --if-last-updated the change is refused (exit 4) when someone changed the request after you read it.'
  static override examples = ['<%= config.bin %> <%= command.id %> ID --title "Router drops every night"']

  static override args = {
    id: Args.string({description: 'Request id.'}),
  }

  static override flags = {
    title: Flags.string({summary: 'Title (Context_Title).'}),
    description: Flags.string({summary: 'Description (Context_Description); - reads it from stdin.'}),
    field: fieldFlag,
    fieldset: fieldsetFlag,
    'if-last-updated': ifLastUpdatedFlag,
  }

  async run(): Promise<RequestsUpdateResult> {
    const id = await this.idOf(await this.requestRef(this.args.id, 'Request id', 'the request id as an argument'), 'request id')
    const session = await this.session()
    const definitions = await session.store.definitions()
    const named = {[REQUEST_FLAG_FIELDS.title]: this.flags.title, [REQUEST_FLAG_FIELDS.description]: await valueOrStdin(this.flags.description)}
    const request = await updateRequest(session, id, {
      changes: collectChanges(named, this.flags.field, definitions),
      fieldsets: this.flags.fieldset,
      ifLastUpdated: this.flags['if-last-updated'],
    })
    if (!this.jsonEnabled()) this.log(objectTable(request, definitions))
    return request
  }
}
