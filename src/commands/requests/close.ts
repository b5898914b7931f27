import {Args} from '@oclif/core'
import type {ContextObject} from '../../core/model.js'
import {closeRequest} from '../../core/requests.js'
import {CtxCommand} from '../../ux/base-command.js'
import {ifLastUpdatedFlag} from '../../ux/flags.js'
import {objectTitle} from '../../ux/render.js'

export type RequestsCloseResult = ContextObject

export default class RequestsClose extends CtxCommand<typeof RequestsClose> {
  static override summary = 'Close a request by hand.'
  static override description =
    'Records closedAt and closeReason "manual". A closed request and everything under it are read-only from then on; closing one again is a conflict (exit 4).'
  static override examples = ['<%= config.bin %> <%= command.id %> ID', '<%= config.bin %> <%= command.id %> ID --if-last-updated "$(<%= config.bin %> requests show ID --json | jq -r .lastUpdated)" --json']

  static override args = {
    id: Args.string({description: 'Request id.'}),
  }

  static override flags = {'if-last-updated': ifLastUpdatedFlag}

  async run(): Promise<RequestsCloseResult> {
    const id = await this.idOf(await this.requestRef(this.args.id, 'Request id', 'the request id as an argument'), 'request id')
    const session = await this.session()
    const request = await closeRequest(session, id, {ifLastUpdated: this.flags['if-last-updated']})
    this.log(`Closed request ${request.id} "${objectTitle(request)}" at ${request.closedAt}.`)
    return request
  }
}
