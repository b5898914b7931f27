import {Flags} from '@oclif/core'
import {join} from 'node:path'
import {UsageError} from '../core/errors.js'
import {MEDIA_TYPES} from '../core/model.js'
import {CtxCommand} from '../ux/base-command.js'

/** The one-shot commands that do what the desk does, for scripts and pipes. */
const ONE_SHOT = 'ctx activities add (record), ctx journey (show), ctx customers search / create / update, ctx requests open / close, ctx activities comment / move'

export default class Desk extends CtxCommand<typeof Desk> {
  static override summary = 'The agent desk: identify a caller, record the interaction and file it, picking from lists.'
  static override description = `With --phone or --email it is a screen pop: the customer whose number or address it is (numbers match by their digits) is found, the interaction recorded at once as an activity (--media: ${MEDIA_TYPES.join(', ')}; default voice for a phone, email for an address), and the customer and their journey shown. An unknown caller is created (pre-filled, editable) or found by search. Without them it opens the customer management screen: your open customers, your recent ones, and a search that answers as you type. Arrows and Enter choose, typing filters, Esc goes back, Ctrl-C leaves (exit 130) saying what was recorded. Needs a terminal; elsewhere use ${ONE_SHOT}.`
  static override examples = [
    "<%= config.bin %> <%= command.id %> --phone '+44 20 7946 0000' --media voice",
    '<%= config.bin %> <%= command.id %> --email ada@example.com --name "Ada Lovelace"',
    '<%= config.bin %> <%= command.id %>',
  ]

  static override enableJsonFlag = false

  static override flags = {
    phone: Flags.string({summary: 'Screen pop for a call from this number (Context_POD_Source_Phone).', exclusive: ['email']}),
    email: Flags.string({summary: 'Screen pop for an email or chat from this address (Context_POD_Source_Email).', exclusive: ['phone']}),
    media: Flags.string({summary: `Media type of the interaction: ${MEDIA_TYPES.join(', ')}.`}),
    name: Flags.string({summary: 'The name the caller gave (Context_POD_Source_Cust_Name).'}),
  }

  async run(): Promise<void> {
    if (!this.interactive) {
      throw new UsageError('ctx desk is interactive and needs a terminal', {hint: `Off a terminal use the one-shot commands: ${ONE_SHOT}.`})
    }
    const {phone, email, name, media} = this.flags
    if ((media !== undefined || name !== undefined) && phone === undefined && email === undefined) {
      throw new UsageError('--media and --name describe a screen pop', {hint: 'Give --phone or --email with them.'})
    }
    const [{Desk: AgentDesk}, {sourceContact}, {popMediaType, sourceChanges}] = await Promise.all([
      import('../ux/desk/desk.js'),
      import('../core/identify.js'),
      import('../core/desk.js'),
    ])
    const contact = phone === undefined && email === undefined ? undefined : sourceContact(sourceChanges({phone, email, name}) as Record<string, string>)
    if (contact && (contact.phone ?? contact.email) === undefined) throw new UsageError('--phone or --email is empty', {hint: 'Give the number or address of the caller.'})
    if (contact) popMediaType(contact, media)
    const desk = new AgentDesk({
      session: await this.session(),
      recentFile: this.recentFile,
      deskFile: join(this.config.configDir, 'desk.json'),
      contact,
      media,
    })
    const interrupted = await desk.run().then(
      () => false,
      (error: Error) => {
        if (error.name === 'DeskInterrupt') return true
        throw error
      },
    )
    this.log(`ctx desk: ${interrupted ? 'interrupted; ' : ''}${desk.summary()}.`)
    if (interrupted) this.exit(130)
  }
}
