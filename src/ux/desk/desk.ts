// The agent desk's screens: the customer management screen (open and recent customers, a search
// that answers as you type, a new customer), a customer (details, active requests, journey), a
// request, an activity, and an unknown caller. Every change is one call of the functions behind the
// one-shot commands, made the moment the agent confirms it; every choice is picked, never an id.
import {confirm, editor, input, search, select, Separator} from '@inquirer/prompts'
import {type AddedActivity, addActivity, moveActivity, showActivity, updateActivity} from '../../core/activities.js'
import {nowIso} from '../../core/clock.js'
import {addComment} from '../../core/comments.js'
import {activeRequestCount, createCustomer, resolveRecent, updateCustomer} from '../../core/customers.js'
import {parseFieldAssignments} from '../../core/definitions/coerce.js'
import {type Definitions, fieldLabel, fieldOf} from '../../core/definitions/model.js'
import {orderedFieldIds} from '../../core/definitions/order.js'
import {deskEntries, forgetInteractions, openCustomers, popMediaType, rememberInteraction, sourceChanges} from '../../core/desk.js'
import {isCtxError} from '../../core/errors.js'
import {customerDataFromContact, findByContact, type SourceContact} from '../../core/identify.js'
import {customerJourney, type Journey} from '../../core/journey.js'
import {type ContextObject, displayName, type FieldValue, type MediaType} from '../../core/model.js'
import {type DataChanges, requireObject, type Session} from '../../core/objects.js'
import {forgetRecent, listRecent, type RecentEntry, touchRecent} from '../../core/recent.js'
import {closeRequest, openRequest, showRequest} from '../../core/requests.js'
import {identificationText} from '../activities.js'
import {commentLines, groupView, journeyView, mediaLabel} from '../journey.js'
import {color, formatValue, hyperlink} from '../render.js'
import {when} from '../time.js'
import {customerPrompt, findCustomers} from '../pick.js'
import {BACK, type Back, DeskKeys} from './prompts.js'
import {activityLine, customerLine, customerPage, fit, journeyActivities, requestLine} from './views.js'

export interface DeskOptions {
  session: Session
  /** The recent-customers list (customers recent) and the desk's own list, in the config directory. */
  recentFile: string
  deskFile: string
  /** A screen pop: who is calling, writing or chatting. */
  contact?: SourceContact
  media?: string
  output?: NodeJS.WriteStream
}

/** What the desk wrote, for the line it leaves with: each kind of change, singular and plural. */
const TALLY = {
  activity: ['activity recorded', 'activities recorded'],
  customer: ['customer created', 'customers created'],
  update: ['customer updated', 'customers updated'],
  request: ['request opened', 'requests opened'],
  comment: ['comment', 'comments'],
  move: ['activity filed or moved', 'activities filed or moved'],
  close: ['request closed', 'requests closed'],
  notes: ["activity's notes written", "activities' notes written"],
} as const
type Tally = keyof typeof TALLY

type Action<T extends string> = {name: string; value: T; description?: string}

export class Desk {
  readonly keys = new DeskKeys()
  private readonly counts = new Map<Tally, number>()
  private readonly out: NodeJS.WriteStream
  private definitions!: Definitions
  /** The activity of this session's screen pop, once recorded. */
  private current: ContextObject | null = null
  /** One line shown at the top of the next screen: what the last action did. */
  private notice = ''

  constructor(private readonly options: DeskOptions) {
    this.out = options.output ?? process.stdout
  }

  private get session(): Session {
    return this.options.session
  }

  private get operator(): string {
    return this.session.actor
  }

  private get location(): string {
    return this.session.store.location
  }

  private get width(): number {
    return Math.min(120, Math.max(40, this.out.columns ?? 80))
  }

  private get rows(): number {
    return Math.max(12, this.out.rows ?? 24)
  }

  private now(): Date {
    return this.session.clock()
  }

  /** The one line the desk leaves with: what it recorded. */
  summary(): string {
    const parts = (Object.keys(TALLY) as Tally[]).flatMap((kind) => {
      const count = this.counts.get(kind) ?? 0
      return count === 0 ? [] : [`${count} ${TALLY[kind][count === 1 ? 0 : 1]}`]
    })
    return parts.length === 0 ? 'nothing recorded' : parts.join(', ')
  }

  async run(): Promise<void> {
    this.definitions = await this.session.store.definitions()
    this.keys.start()
    try {
      if (this.options.contact) await this.screenPop(this.options.contact)
      await this.home()
    } finally {
      this.keys.stop()
    }
  }

  // ── writing ─────────────────────────────────────────────────────────────────────────────────

  /** One change through src/core, counted; a refused change (conflict, invalid…) becomes the notice. */
  private async change<T>(kind: Tally, work: () => Promise<T>): Promise<T | null> {
    try {
      const result = await this.keys.write(work)
      this.count(kind)
      return result
    } catch (error) {
      if (!isCtxError(error)) throw error
      this.notice = color.red(`Not done: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`)
      return null
    }
  }

  private count(kind: Tally): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
  }

  private async recorded(activity: ContextObject, customerId: string, action: RecentEntry['action']): Promise<void> {
    this.current = activity
    await rememberInteraction(this.options.deskFile, this.location, {activityId: activity.id, operator: this.operator, at: activity.created})
    await touchRecent(this.options.recentFile, this.location, {id: customerId, at: activity.created, action})
  }

  // ── screens ─────────────────────────────────────────────────────────────────────────────────

  private screen(title: string, lines: readonly string[] = []): void {
    this.keys.check()
    // Home and clear: each screen starts at the top of an 80x24 terminal.
    this.out.write('\u001B[H\u001B[2J')
    const head = [color.bold.inverse(fit(` ctx desk · ${title} `, this.width)), ...(this.notice ? [fitStyled(this.notice, this.width)] : []), ...lines]
    this.notice = ''
    this.out.write(`${head.join('\n')}\n`)
  }

  /** A screen pop: the caller identified, the interaction recorded at once, the customer opened. */
  private async screenPop(contact: SourceContact): Promise<void> {
    const media = popMediaType(contact, this.options.media)
    const found = await findByContact(this.session.store, contact)
    if (!found) return this.unknownCaller(contact, media)
    const added = await this.change('activity', () => addActivity(this.session, {mediaType: media, changes: sourceChanges(contact)}))
    if (!added) return
    await this.recorded(added.activity, added.customer.id, 'updated')
    this.notice = `Recorded this ${media} ${identificationText(added.customer)}.`
    await this.customerScreen(added.customer.id)
  }

  private async unknownCaller(contact: SourceContact, media: MediaType): Promise<void> {
    for (;;) {
      const known = [
        contact.phone === undefined ? '' : `Phone: ${contact.phone}`,
        contact.email === undefined ? '' : `Email: ${contact.email}`,
        contact.name === undefined ? '' : `Name:  ${contact.name}`,
      ].filter(Boolean)
      this.screen(`unknown ${media === 'voice' ? 'caller' : 'contact'}`, [
        `No customer has this ${contact.email === undefined ? 'number' : contact.phone === undefined ? 'address' : 'number or address'}. What we know:`,
        ...known.map((line) => `  ${line}`),
        '',
        color.dim(`The ${media} is recorded as soon as you say who it is.`),
      ])
      const choice = await this.keys.ask((context) =>
        select<'create' | 'attach' | 'as-is' | 'leave'>(
          {
            message: 'Who is it?',
            choices: [
              {name: 'A new customer: check and edit the details first', value: 'create'},
              {name: 'An existing customer: find them…', value: 'attach'},
              {name: 'A new customer made from these details as they are', value: 'as-is'},
              {name: 'Leave without recording', value: 'leave'},
            ],
          },
          context,
        ),
      )
      if (choice === BACK || choice === 'leave') return
      const record = (customerId?: string) => addActivity(this.session, {mediaType: media, customerId, changes: sourceChanges(contact)})
      let added: AddedActivity | null = null
      if (choice === 'create') {
        // The customer and the activity in one step: a Ctrl-C while saving leaves neither half-done.
        const recorded: {added?: AddedActivity} = {}
        const created = await this.customerForm(null, customerDataFromContact(contact), async (customer) => {
          recorded.added = await record(customer.id)
          this.count('activity')
        })
        if (created === BACK || !recorded.added) continue
        added = recorded.added
      } else {
        let customerId: string | undefined
        if (choice === 'attach') {
          const picked = await this.pickCustomer('Who is it? Type a name, email or number')
          if (picked === BACK) continue
          customerId = picked.id
        }
        added = await this.change('activity', () => record(customerId))
      }
      if (!added) continue
      await this.recorded(added.activity, added.customer.id, choice === 'attach' ? 'updated' : 'created')
      this.notice = `Recorded this ${media} ${identificationText(added.customer)}.`
      return this.customerScreen(added.customer.id)
    }
  }

  /** Customer management: the open customers, the recent ones, a search as you type, a new customer. */
  private async home(): Promise<void> {
    for (;;) {
      const {open, recent} = await this.homeLists()
      this.screen('customers', [color.dim('Type to search customers by name, email or number; Esc leaves.')])
      const listed = async (term: string | undefined) => {
        const text = term?.trim() ?? ''
        const actions = [
          new Separator(' '),
          {name: 'New customer…', value: 'new'},
          {name: 'Leave the desk', value: 'leave'},
        ]
        if (text === '') {
          return [
            new Separator(color.bold(open.length > 0 ? 'Open customers' : 'Open customers: none')),
            ...open,
            new Separator(color.bold(recent.length > 0 ? 'Recent customers' : 'Recent customers: none')),
            ...recent,
            ...actions,
          ]
        }
        const found = await findCustomers(this.session, text)
        const choices = await Promise.all(found.map(async (customer) => ({name: customerLine(customer, await activeRequestCount(this.session, customer.id), this.width - 4), value: customer.id})))
        return [new Separator(color.bold(choices.length > 0 ? 'Found' : 'No customer matches')), ...choices, ...actions]
      }
      const choice = await this.keys.ask((context) => search<string>({message: 'Customers', source: listed, pageSize: Math.max(5, this.rows - 6)}, context))
      if (choice === BACK || choice === 'leave') return
      if (choice === 'new') {
        const created = await this.customerForm(null, {})
        if (created !== BACK) await this.customerScreen(created.id)
        continue
      }
      await this.customerScreen(choice)
    }
  }

  private async homeLists(): Promise<{open: Action<string>[]; recent: Action<string>[]}> {
    const entries = await deskEntries(this.options.deskFile, this.location, this.operator)
    const {items, finished} = await openCustomers(this.session, entries)
    await forgetInteractions(this.options.deskFile, this.location, this.operator, finished)
    const {items: recentItems, missing} = await resolveRecent(this.session, await listRecent(this.options.recentFile, this.location))
    if (missing.length > 0) await forgetRecent(this.options.recentFile, this.location, missing)
    const openIds = new Set(items.map((item) => item.customer.id))
    const open = await Promise.all(
      items.map(async (item) => ({
        name: customerLine(item.customer, await activeRequestCount(this.session, item.customer.id), this.width - 4, item.unfiled > 0 ? `${item.unfiled} unfiled` : undefined),
        value: item.customer.id,
      })),
    )
    const recent = recentItems
      .filter((item) => !openIds.has(item.customer.id))
      .map((item) => ({name: customerLine(item.customer, item.activeRequests, this.width - 4), value: item.customer.id}))
    return {open, recent}
  }

  private async pickCustomer(message: string): Promise<ContextObject | Back> {
    return this.keys.ask(customerPrompt(this.session, message, {width: this.width - 4}))
  }

  private async customerScreen(customerId: string): Promise<void> {
    await touchRecent(this.options.recentFile, this.location, {id: customerId, at: nowIso(this.session.clock), action: 'viewed'})
    for (;;) {
      const journey = await customerJourney(this.session, customerId)
      const {customer} = journey
      const entries = journeyActivities(journey)
      const active = journey.groups.flatMap((group) => (group.request?.state === 'active' ? [group.request] : []))
      const requests = journey.groups.flatMap((group) => (group.request ? [group.request] : []))
      const current = this.current && entries.find((entry) => entry.activity.id === this.current!.id)
      const open = (await deskEntries(this.options.deskFile, this.location, this.operator)).filter((entry) => entries.some((item) => item.activity.id === entry.activityId))
      const links = linksOf(journey)
      const actions: Action<string>[] = [
        ...(current && !current.request ? [{name: `File this ${current.activity.mediaType} under a request…`, value: 'file'}] : []),
        {name: 'Add a request…', value: 'request'},
        {name: 'Comment…', value: 'comment'},
        ...(requests.length > 0 ? [{name: 'Open a request…', value: 'open-request'}] : []),
        ...(entries.length > 0 ? [{name: 'Open an activity…', value: 'open-activity'}, {name: 'Move an activity…', value: 'move'}] : []),
        ...(active.length > 0 ? [{name: 'Close a request…', value: 'close'}] : []),
        {name: 'Update the details…', value: 'update'},
        ...(links.length > 0 ? [{name: 'Open a link…', value: 'link'}] : []),
        {name: 'Whole journey', value: 'journey'},
        ...(open.length > 0 ? [{name: 'Done: take off the open customers', value: 'done'}] : []),
        {name: 'Back to customers', value: 'back'},
      ]
      const menuRows = Math.min(actions.length, 8) + 2
      this.screen(displayName(customer), customerPage(journey, {now: this.now(), width: this.width, rows: this.rows - menuRows - 3, currentId: this.current?.id}))
      const choice = await this.keys.ask((context) => select<string>({message: `${fit(displayName(customer), 30)}: what now?`, choices: actions, pageSize: 8}, context))
      if (choice === BACK || choice === 'back') return
      switch (choice) {
        case 'file':
          await this.fileActivity(current!.activity, customer)
          break
        case 'request':
          await this.newRequest(customer)
          break
        case 'comment':
          await this.commentOn(journey)
          break
        case 'open-request': {
          const request = await this.pickFrom('Which request?', requests.map((item) => ({name: requestLine(item, this.now(), this.width - 4), value: item})))
          if (request !== BACK) await this.requestScreen(request.id)
          break
        }
        case 'open-activity': {
          const activity = await this.pickActivity(journey, 'Which activity?', false)
          if (activity !== BACK) await this.activityScreen(activity.id)
          break
        }
        case 'move': {
          const activity = await this.pickActivity(journey, 'Move which activity?', true)
          if (activity !== BACK) await this.moveFlow(activity)
          break
        }
        case 'close': {
          const request = await this.pickFrom('Close which request?', active.map((item) => ({name: requestLine(item, this.now(), this.width - 4), value: item})))
          if (request !== BACK) await this.closeFlow(request)
          break
        }
        case 'update':
          await this.customerForm(customer, customer.data)
          break
        case 'link':
          await this.openLink(links)
          break
        case 'journey':
          await this.wholeJourney(journey)
          break
        case 'done':
          await forgetInteractions(this.options.deskFile, this.location, this.operator, open.map((entry) => entry.activityId))
          this.notice = `${displayName(customer)} is no longer an open customer.`
          break
      }
    }
  }

  private async requestScreen(requestId: string): Promise<void> {
    for (;;) {
      const {request, timeline} = await showRequest(this.session, requestId)
      const activeRequest = request.state === 'active'
      const fileable = this.current !== null && activeRequest && this.current.parentId !== request.id && (await this.session.store.get(this.current.id)) !== null
      this.screen(`request "${fit(String(request.data.Context_Title ?? ''), 40)}"`, [
        ...groupView(timeline, this.definitions, this.now(), {width: this.width}).split('\n'),
      ])
      const choice = await this.keys.ask((context) =>
        select<string>(
          {
            message: 'Request: what now?',
            choices: [
              ...(fileable ? [{name: `File this ${this.current!.mediaType} here`, value: 'file'}] : []),
              ...(activeRequest ? [{name: 'Comment on this request…', value: 'comment'}] : []),
              ...(timeline.activities.length > 0 ? [{name: 'Open one of its activities…', value: 'activity'}] : []),
              ...(activeRequest ? [{name: 'Close this request…', value: 'close'}] : []),
              {name: 'Back', value: 'back'},
            ],
          },
          context,
        ),
      )
      if (choice === BACK || choice === 'back') return
      if (choice === 'file') {
        const customer = await requireObject(this.session.store, request.customerId!, 'customer')
        await this.moveInto(this.current!, customer, request)
      } else if (choice === 'comment') {
        await this.writeComment(request, `the request "${String(request.data.Context_Title ?? '')}"`)
      } else if (choice === 'close') {
        await this.closeFlow(request)
      } else if (choice === 'activity') {
        const picked = await this.pickFrom(
          'Which activity?',
          timeline.activities.map((entry) => ({name: activityLine(entry.activity, request, this.now(), this.width - 4), value: entry.activity})),
        )
        if (picked !== BACK) await this.activityScreen(picked.id)
      }
    }
  }

  private async activityScreen(activityId: string): Promise<void> {
    for (;;) {
      const {activity, comments} = await showActivity(this.session, activityId)
      const request = activity.parentId === undefined ? null : await this.session.store.get(activity.parentId)
      const customer = activity.customerId === undefined ? null : await this.session.store.get(activity.customerId)
      const changeable = request?.state !== 'closed'
      const lines = [
        `${mediaLabel(activity.mediaType)} ${when(activity.created, this.now())}${activity.id === this.current?.id ? color.yellow('  ▶ this interaction') : ''}`,
        `Customer: ${customer ? displayName(customer) : 'none'} · ${request ? `request "${String(request.data.Context_Title ?? '')}" (${request.state})` : 'not filed under a request'}`,
        ...orderedFieldIds(activity, this.definitions).map((key) => fit(`${fieldLabel(fieldOf(this.definitions, key), key)}: ${String(activity.data[key])}`, this.width)),
        ...(comments.length > 0 ? [color.bold('Comments')] : []),
        ...comments.flatMap((comment) => commentLines(comment, {now: this.now(), width: this.width}, '  ')),
      ]
      this.screen('activity', lines)
      const link = typeof activity.data.Context_POD_Activity_Link === 'string' ? activity.data.Context_POD_Activity_Link : undefined
      const choice = await this.keys.ask((context) =>
        select<string>(
          {
            message: 'Activity: what now?',
            choices: [
              ...(changeable ? [{name: 'Comment…', value: 'comment'}, {name: 'Write its notes in your editor…', value: 'notes'}, {name: 'Move it…', value: 'move'}] : []),
              ...(link ? [{name: 'Open its link', value: 'link'}] : []),
              {name: 'Back', value: 'back'},
            ],
          },
          context,
        ),
      )
      if (choice === BACK || choice === 'back') return
      if (choice === 'comment') await this.writeComment(activity, 'this activity')
      else if (choice === 'move') await this.moveFlow(activity)
      else if (choice === 'link') this.notice = `Link: ${hyperlink(link!)}`
      else if (choice === 'notes') {
        const notes = await this.keys.ask((context) =>
          editor({message: 'Notes (saved when the editor closes)', default: String(activity.data.Context_Notes ?? ''), waitForUserInput: false}, context),
        )
        if (notes === BACK || notes.trim() === String(activity.data.Context_Notes ?? '').trim()) continue
        const changes: DataChanges = {Context_Notes: notes.trim() === '' ? null : notes.replace(/\s+$/, '')}
        if (await this.change('notes', () => updateActivity(this.session, activity.id, {changes, ifLastUpdated: activity.lastUpdated}))) this.notice = 'Notes saved.'
      }
    }
  }

  // ── actions ─────────────────────────────────────────────────────────────────────────────────

  /** Files an activity under one of its customer's active requests, or a new one. */
  private async fileActivity(activity: ContextObject, customer: ContextObject): Promise<void> {
    const request = await this.pickRequest(customer, `File this ${activity.mediaType} under which request?`, false)
    if (request === BACK || request === null) return
    await this.moveInto(activity, customer, request)
  }

  /**
   * An active request of the customer, a new one (opened here), or — when `none` — null for "no
   * request".
   */
  private async pickRequest(customer: ContextObject, message: string, none: boolean): Promise<ContextObject | null | Back> {
    const journey = await customerJourney(this.session, customer.id)
    const active = journey.groups.flatMap((group) => (group.request?.state === 'active' ? [group.request] : []))
    const choice = await this.pickFrom<ContextObject | 'new' | 'none'>(message, [
      ...active.map((request) => ({name: requestLine(request, this.now(), this.width - 4), value: request as ContextObject | 'new' | 'none'})),
      {name: 'A new request…', value: 'new'},
      ...(none ? [{name: 'No request', value: 'none' as const}] : []),
    ])
    if (choice === BACK) return BACK
    if (choice === 'none') return null
    if (choice === 'new') {
      const opened = await this.newRequest(customer)
      return opened ?? BACK
    }
    return choice
  }

  private async newRequest(customer: ContextObject): Promise<ContextObject | null> {
    const title = await this.keys.ask((context) => input({message: `New request for ${displayName(customer)} — title:`, required: true}, context))
    if (title === BACK) return null
    const description = await this.keys.ask((context) => input({message: 'Description (Enter for none):'}, context))
    if (description === BACK) return null
    const changes: DataChanges = {Context_Title: title.trim(), ...(description.trim() === '' ? {} : {Context_Description: description.trim()})}
    const request = await this.change('request', () => openRequest(this.session, {customerId: customer.id, changes}))
    if (request) this.notice = `Opened the request "${title.trim()}".`
    return request
  }

  private async moveInto(activity: ContextObject, customer: ContextObject, request: ContextObject | null): Promise<void> {
    const stored = await this.session.store.get(activity.id)
    const moved = await this.change('move', () => moveActivity(this.session, activity.id, {toCustomerId: customer.id, ...(request ? {toRequestId: request.id} : {}), ifLastUpdated: stored?.lastUpdated}))
    if (!moved) return
    if (this.current?.id === activity.id) this.current = moved.activity
    const where = request ? `the request "${String(request.data.Context_Title ?? '')}"` : 'no request'
    const sameCustomer = moved.from.customerId === customer.id
    this.notice = !moved.moved
      ? 'It already was there; nothing moved.'
      : sameCustomer && request
        ? `Filed the ${activity.mediaType} under ${where}; a system comment records it.`
        : `Moved the ${activity.mediaType} to ${displayName(customer)}, ${where}; a system comment records it.`
  }

  private async moveFlow(activity: ContextObject): Promise<void> {
    const customer = await this.pickCustomer('Move it to which customer? Type a name, email or number')
    if (customer === BACK) return
    const request = await this.pickRequest(customer, `Into which of ${displayName(customer)}'s requests?`, true)
    if (request === BACK) return
    const where = request ? `request "${String(request.data.Context_Title ?? '')}"` : 'no request'
    const sure = await this.keys.ask((context) => confirm({message: `Move the ${activity.mediaType} of ${when(activity.created, this.now())} to ${displayName(customer)}, ${where}?`, default: true}, context))
    if (sure === BACK || !sure) return
    await this.moveInto(activity, customer, request)
  }

  private async closeFlow(request: ContextObject): Promise<void> {
    const sure = await this.keys.ask((context) => confirm({message: `Close the request "${String(request.data.Context_Title ?? '')}"? It cannot be changed afterwards.`, default: false}, context))
    if (sure === BACK || !sure) return
    if (await this.change('close', () => closeRequest(this.session, request.id, {ifLastUpdated: request.lastUpdated}))) {
      this.notice = `Closed the request "${String(request.data.Context_Title ?? '')}".`
    }
  }

  /** Comment on the current interaction, an active request, or another activity. */
  private async commentOn(journey: Journey): Promise<void> {
    const entries = journeyActivities(journey).filter((entry) => entry.request?.state !== 'closed')
    const current = entries.find((entry) => entry.activity.id === this.current?.id)
    const targets: Action<string>[] = [
      ...(current ? [{name: `This ${current.activity.mediaType}`, value: `activity:${current.activity.id}`}] : []),
      ...journey.groups.flatMap((group) =>
        group.request?.state === 'active' ? [{name: `Request: ${requestLine(group.request, this.now(), this.width - 14)}`, value: `request:${group.request.id}`}] : [],
      ),
      ...entries.filter((entry) => entry !== current).map((entry) => ({name: `Activity: ${activityLine(entry.activity, entry.request, this.now(), this.width - 14)}`, value: `activity:${entry.activity.id}`})),
    ]
    if (targets.length === 0) {
      this.notice = 'Nothing to comment on: no active request or changeable activity.'
      return
    }
    const target = await this.pickFrom('Comment on what?', targets.map((item) => ({name: item.name, value: item.value})))
    if (target === BACK) return
    const object = await requireObject(this.session.store, target.slice(target.indexOf(':') + 1))
    await this.writeComment(object, object.type === 'request' ? `the request "${String(object.data.Context_Title ?? '')}"` : 'the activity')
  }

  private async writeComment(target: ContextObject, what: string): Promise<void> {
    const text = await this.keys.ask((context) => input({message: `Comment on ${fit(what, 40)}:`, required: true}, context))
    if (text === BACK) return
    if (await this.change('comment', () => addComment(this.session, target.id, text))) this.notice = `Commented on ${what}.`
  }

  /**
   * A customer's details, one field at a time, written once on "Save": created when `customer` is
   * null (pre-filled with `data`), else updated (refused if someone changed it meanwhile).
   */
  private async customerForm(
    customer: ContextObject | null,
    data: Record<string, FieldValue>,
    /** More work of the same step, done with the save (the unknown caller's activity). */
    andThen?: (saved: ContextObject) => Promise<void>,
  ): Promise<ContextObject | Back> {
    const fieldIds = this.definitions.fieldsets[customer?.fieldsets[0] ?? 'cisco.base.customer']?.fields ?? Object.keys(data)
    const values: Record<string, string> = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, String(value)]))
    let problem = ''
    let last: string | undefined
    for (;;) {
      this.screen(customer ? `update ${displayName(customer)}` : 'new customer', [
        color.dim('Pick a field to edit it; Save writes the customer; Esc cancels.'),
        ...(problem ? [color.red(problem)] : []),
      ])
      const choice = await this.keys.ask((context) =>
        select<string>(
          {
            message: customer ? 'Details' : 'New customer',
            default: last,
            choices: [
              {name: customer ? 'Save' : 'Save the new customer', value: ':save'},
              ...fieldIds.map((id) => ({name: `${fit(fieldLabel(this.definitions.fields[id], id), 22).padEnd(22)} ${fit(values[id] ?? '', this.width - 28)}`, value: id})),
              {name: 'Cancel', value: ':cancel'},
            ],
            pageSize: Math.max(6, this.rows - 6),
          },
          context,
        ),
      )
      if (choice === BACK || choice === ':cancel') return BACK
      if (choice !== ':save') {
        last = choice
        const value = await this.keys.ask((context) =>
          input({message: `${fieldLabel(this.definitions.fields[choice], choice)}:`, default: values[choice] ?? '', prefill: 'editable'}, context),
        )
        if (value !== BACK) values[choice] = value.trim()
        continue
      }
      let changes: DataChanges
      try {
        const before = customer?.data ?? {}
        const touched = Object.keys(values).filter((key) => values[key] !== (before[key] === undefined ? '' : String(before[key])))
        changes = parseFieldAssignments(touched.map((key) => `${key}=${values[key]}`), this.definitions)
      } catch (error) {
        if (!isCtxError(error)) throw error
        problem = error.message
        continue
      }
      const saved = customer
        ? await this.change('update', () => updateCustomer(this.session, customer.id, {changes, ifLastUpdated: customer.lastUpdated}))
        : await this.change('customer', async () => {
            const created = await createCustomer(this.session, {changes})
            await andThen?.(created)
            return created
          })
      if (!saved) {
        problem = this.notice
        this.notice = ''
        continue
      }
      await touchRecent(this.options.recentFile, this.location, {id: saved.id, at: saved.lastUpdated, action: customer ? 'updated' : 'created'})
      this.notice = customer ? `Saved ${displayName(saved)}.` : `Created ${displayName(saved)}.`
      return saved
    }
  }

  private async openLink(links: {label: string; url: string}[]): Promise<void> {
    const link = await this.pickFrom('Which link?', links.map((item) => ({name: fit(`${item.label}: ${item.url}`, this.width - 4), value: item.url})))
    if (link !== BACK) this.notice = `Link: ${formatValue(link)}`
  }

  private async wholeJourney(journey: Journey): Promise<void> {
    this.screen(`journey of ${displayName(journey.customer)}`, journeyView(journey, this.definitions, this.now(), this.width).split('\n'))
    await this.keys.ask((context) => select({message: 'Journey, newest first (scroll back to read it)', choices: [{name: 'Back', value: 'back'}]}, context))
  }

  private async pickActivity(journey: Journey, message: string, changeableOnly: boolean): Promise<ContextObject | Back> {
    const entries = journeyActivities(journey).filter((entry) => !changeableOnly || entry.request?.state !== 'closed')
    return this.pickFrom(
      message,
      entries.map((entry) => ({
        name: `${entry.activity.id === this.current?.id ? '▶ ' : ''}${activityLine(entry.activity, entry.request, this.now(), this.width - 6)}`,
        value: entry.activity,
      })),
    )
  }

  private async pickFrom<T>(message: string, choices: {name: string; value: T}[]): Promise<T | Back> {
    if (choices.length === 0) return BACK
    return this.keys.ask((context) => select<T>({message, choices: [...choices, {name: 'Back', value: BACK as T}], pageSize: Math.max(5, this.rows - 8)}, context))
  }
}

/** Styled text (colour, hyperlinks) as it is when it fits; else its plain text, cut to fit. */
function fitStyled(text: string, width: number): string {
  const plain = text.replace(/\u001B\]8;;[^\u0007]*\u0007/g, '').replace(/\u001B\[[0-9;]*m/g, '')
  return plain.length <= width ? text : fit(plain, width)
}

/** The links of a customer's journey: URL-valued fields of its requests and activities. */
function linksOf(journey: Journey): {label: string; url: string}[] {
  const out: {label: string; url: string}[] = []
  for (const group of journey.groups) {
    for (const object of [...(group.request ? [group.request] : []), ...group.activities.map((entry) => entry.activity)]) {
      for (const [key, value] of Object.entries(object.data)) {
        if (typeof value === 'string' && /^https?:\/\/\S+$/i.test(value)) out.push({label: key === 'Context_POD_Activity_Link' ? `${object.mediaType ?? object.type} link` : key, url: value})
      }
    }
  }
  return out
}

