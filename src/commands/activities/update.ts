import {Args, Flags} from '@oclif/core'
import {ACTIVITY_FLAG_FIELDS, updateActivity} from '../../core/activities.js'
import type {ContextObject} from '../../core/model.js'
import {collectChanges} from '../../core/objects.js'
import {CtxCommand} from '../../ux/base-command.js'
import {fieldFlag, fieldsetFlag, ifLastUpdatedFlag, tagFlag} from '../../ux/flags.js'
import {valueOrStdin} from '../../ux/input.js'
import {objectTable} from '../../ux/render.js'

export type ActivitiesUpdateResult = ContextObject

export default class ActivitiesUpdate extends CtxCommand<typeof ActivitiesUpdate> {
  static override summary = 'Change an activity’s notes, tags or fields.'
  static override description =
    'An activity under a closed request cannot change, and comments never do (exit 4). The change counts as an update of the activity’s request.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> ID --notes "Called back, fixed"',
    '<%= config.bin %> <%= command.id %> ID --tag vip --tag billing --if-last-updated "$(<%= config.bin %> activities show ID --json | jq -r .lastUpdated)"',
  ]

  static override args = {
    id: Args.string({description: 'Activity id.'}),
  }

  static override flags = {
    notes: Flags.string({summary: 'Notes (Context_Notes); - reads them from stdin.'}),
    tag: tagFlag('The activity’s tags, replacing the ones it has (repeatable).'),
    field: fieldFlag,
    fieldset: fieldsetFlag,
    'if-last-updated': ifLastUpdatedFlag,
  }

  async run(): Promise<ActivitiesUpdateResult> {
    const id = await this.idOf(await this.required(this.args.id, 'Activity id', 'the activity id as an argument', (text) => this.idOf(text, 'activity id')), 'activity id')
    const session = await this.session()
    const definitions = await session.store.definitions()
    const activity = await updateActivity(session, id, {
      changes: collectChanges({[ACTIVITY_FLAG_FIELDS.notes]: await valueOrStdin(this.flags.notes)}, this.flags.field, definitions),
      tags: this.flags.tag,
      fieldsets: this.flags.fieldset,
      ifLastUpdated: this.flags['if-last-updated'],
    })
    if (!this.jsonEnabled()) this.log(objectTable(activity, definitions))
    return activity
  }
}
