import {Args} from '@oclif/core'
import {showActivity} from '../../core/activities.js'
import type {ContextObject} from '../../core/model.js'
import {CtxCommand} from '../../ux/base-command.js'
import {commentLines, terminalWidth} from '../../ux/journey.js'
import {color, objectTable} from '../../ux/render.js'

export type ActivitiesShowResult = ContextObject

export default class ActivitiesShow extends CtxCommand<typeof ActivitiesShow> {
  static override summary = 'Show an activity and the comments on it.'
  static override description = 'With --json, the activity object alone; `ctx journey CUSTOMER --json` gives activities with their comments.'
  static override examples = ['<%= config.bin %> <%= command.id %> ID']

  static override args = {
    id: Args.string({description: 'Activity id.'}),
  }

  async run(): Promise<ActivitiesShowResult> {
    const id = await this.idOf(await this.required(this.args.id, 'Activity id', 'the activity id as an argument', (text) => this.idOf(text, 'activity id')), 'activity id')
    const session = await this.session()
    const {activity, comments} = await showActivity(session, id)
    if (!this.jsonEnabled()) {
      this.log(objectTable(activity, await session.store.definitions()))
      const context = {now: session.clock(), width: terminalWidth()}
      this.log(`\n${color.bold(`Comments (${comments.length})`)}`)
      for (const comment of comments) this.log(commentLines(comment, context, '  ').join('\n'))
    }
    return activity
  }
}
