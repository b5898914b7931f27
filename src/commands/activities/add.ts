import {Flags} from '@oclif/core'
import {ACTIVITY_FLAG_FIELDS, type AddedActivity, addActivity} from '../../core/activities.js'
import {MEDIA_TYPES} from '../../core/model.js'
import {hasContact, sourceContact} from '../../core/identify.js'
import {applyChanges, collectChanges} from '../../core/objects.js'
import {touchRecent} from '../../core/recent.js'
import {addedSentence} from '../../ux/activities.js'
import {CtxCommand} from '../../ux/base-command.js'
import {externalIdFlag, fieldFlag, fieldsetFlag, tagFlag} from '../../ux/flags.js'
import {valueOrStdin} from '../../ux/input.js'
import {objectTable} from '../../ux/render.js'

export type ActivitiesAddResult = AddedActivity

export default class ActivitiesAdd extends CtxCommand<typeof ActivitiesAdd> {
  static override summary = 'Record an activity: a call, chat, email or other interaction.'
  static override description = `The activity belongs to --customer, or to the customer of --request, or — with neither — to the customer its source fields name: the one whose email or phone is exactly Context_POD_Source_Email / Context_POD_Source_Phone, else a new customer made from them. The output says which. Media types: ${MEDIA_TYPES.join(', ')}.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --media voice --customer ID --request REQ --tag vip --notes "Router resets nightly"',
    '<%= config.bin %> <%= command.id %> --media chat --field Context_POD_Source_Email=ada@example.com --field "Context_POD_Source_Cust_Name=Ada Lovelace" --json',
    'cat transcript.txt | <%= config.bin %> <%= command.id %> --media chat --customer ID --notes -',
  ]

  static override flags = {
    media: Flags.string({summary: `Media type: ${MEDIA_TYPES.join(', ')}.`}),
    customer: Flags.string({summary: 'The customer (id); default: the request’s, or the one the source fields identify.'}),
    request: Flags.string({summary: 'The active request it belongs to (id).'}),
    tag: tagFlag('A tag (repeatable).'),
    notes: Flags.string({summary: 'Notes (Context_Notes); - reads them from stdin.'}),
    'external-id': externalIdFlag,
    field: fieldFlag,
    fieldset: fieldsetFlag,
  }

  async run(): Promise<ActivitiesAddResult> {
    const mediaType = await this.chosen(this.flags.media, 'Media type', '--media', MEDIA_TYPES)
    const session = await this.session()
    const definitions = await session.store.definitions()
    const changes = collectChanges({[ACTIVITY_FLAG_FIELDS.notes]: await valueOrStdin(this.flags.notes)}, this.flags.field, definitions)
    const requestId = this.flags.request === undefined ? undefined : await this.idOf(this.flags.request, 'request id')
    let customerId = this.flags.customer === undefined ? undefined : await this.idOf(this.flags.customer, 'customer id')
    // Nothing names the customer: on a terminal it is picked from a search as you type (off one, addActivity refuses).
    if (customerId === undefined && requestId === undefined && !hasContact(sourceContact(applyChanges({}, changes))) && this.interactive) {
      customerId = await this.customerRef(undefined, 'Customer', '--customer')
    }
    const added = await addActivity(session, {
      mediaType,
      customerId,
      requestId,
      tags: this.flags.tag,
      changes: await this.askRequired('activity', this.flags.fieldset, changes, definitions),
      fieldsets: this.flags.fieldset,
      externalId: this.flags['external-id'],
    })
    const action = added.customer.identifiedBy === 'created' ? 'created' : 'updated'
    await touchRecent(this.recentFile, session.store.location, {id: added.customer.id, at: added.activity.created, action})
    if (!this.jsonEnabled()) this.log(`${addedSentence(added)}\n${objectTable(added.activity, definitions)}`)
    return added
  }
}
