import {Args} from '@oclif/core'
import type {ContextObject} from '../../core/model.js'
import {showRequest} from '../../core/requests.js'
import {CtxCommand} from '../../ux/base-command.js'
import {groupView} from '../../ux/journey.js'
import {color, objectTable} from '../../ux/render.js'

export type RequestsShowResult = ContextObject

export default class RequestsShow extends CtxCommand<typeof RequestsShow> {
  static override summary = 'Show a request, its comments and its activities.'
  static override description = 'With --json, the request object alone; `ctx journey CUSTOMER --request ID --json` gives its activities too.'
  static override examples = ['<%= config.bin %> <%= command.id %> ID', '<%= config.bin %> <%= command.id %> ID --json']

  static override args = {
    id: Args.string({description: 'Request id.'}),
  }

  async run(): Promise<RequestsShowResult> {
    const id = await this.idOf(await this.requestRef(this.args.id, 'Request id', 'the request id as an argument'), 'request id')
    const session = await this.session()
    const {request, timeline} = await showRequest(session, id)
    if (!this.jsonEnabled()) {
      const definitions = await session.store.definitions()
      this.log(objectTable(request, definitions))
      const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
      this.log(`\n${color.bold(`Timeline: ${count(timeline.comments.length, 'comment')}, ${count(timeline.activities.length, 'activity').replace('activitys', 'activities')}`)}`)
      this.log(groupView(timeline, definitions, session.clock(), {header: false}))
    }
    return request
  }
}
