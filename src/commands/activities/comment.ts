import {Args, Flags} from '@oclif/core'
import {addComment} from '../../core/comments.js'
import type {ContextObject} from '../../core/model.js'
import {CtxCommand} from '../../ux/base-command.js'
import {valueOrStdin} from '../../ux/input.js'

export type ActivitiesCommentResult = ContextObject

export default class ActivitiesComment extends CtxCommand<typeof ActivitiesComment> {
  static override summary = 'Comment on an activity or a request.'
  static override description =
    'A comment is immutable once written and records you (CTX_OPERATOR, else your user name) as its author. Not under a closed request (exit 4). It counts as an update of the request it is under.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> ACTIVITY --text "Called back; firmware updated"',
    '<%= config.bin %> <%= command.id %> REQUEST --text "Escalated to tier 2" --json',
  ]

  static override args = {
    id: Args.string({description: 'Activity or request id.'}),
  }

  static override flags = {
    text: Flags.string({summary: 'The comment (Context_Comment); - reads it from stdin.'}),
  }

  async run(): Promise<ActivitiesCommentResult> {
    const id = await this.idOf(await this.required(this.args.id, 'Activity or request id', 'the id as an argument', (text) => this.idOf(text, 'id')), 'id')
    const text = await this.required(await valueOrStdin(this.flags.text), 'Comment', '--text')
    const session = await this.session()
    const comment = await addComment(session, id, text)
    this.log(`Comment ${comment.id} added to ${comment.parentId}.`)
    return comment
  }
}
