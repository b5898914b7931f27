// Search as you type for a customer or a request: the desk's customer search and every command that
// needs a customer or a request on a terminal (`customers show` without an argument, `requests open`
// without --customer…). Only what exists can be picked, so an answer is valid before it is taken.
// Loaded only when a prompt is shown.
import {search, Separator} from '@inquirer/prompts'
import {activeRequestCount, searchCustomers} from '../core/customers.js'
import {isCtxError} from '../core/errors.js'
import {customersWithContact} from '../core/identify.js'
import {isUuid} from '../core/ids.js'
import type {ContextObject, ObjectType} from '../core/model.js'
import {isIdPrefix, type Session} from '../core/objects.js'
import {parsePhone} from '../core/phone.js'
import {searchObjects} from '../core/search/search.js'
import {customerLine, requestLine} from './desk/views.js'
import {color} from './render.js'

/** What a prompt takes beside its config: the signal that aborts it (the desk's Esc). */
export type PromptContext = NonNullable<Parameters<typeof search>[1]>

const FOUND = 10

/** The objects of `type` whose id is `text` or starts with it (8 characters or more). */
async function byId(session: Session, text: string, type: ObjectType): Promise<ContextObject[]> {
  const id = text.toLowerCase()
  const ids = isUuid(id) ? [id] : isIdPrefix(id) ? await session.store.idsWithPrefix(id, FOUND) : []
  const objects = await Promise.all(ids.map((each) => session.store.get(each)))
  return objects.filter((object): object is ContextObject => object?.type === type)
}

/**
 * Customers for what was typed: an id or its start; a phone number or an email by the rule every
 * lookup uses (phone.ts); anything else through the search language (whole words). A query that does
 * not parse yet (an open quote while typing) finds nothing.
 */
export async function findCustomers(session: Session, text: string): Promise<ContextObject[]> {
  const ids = await byId(session, text, 'customer')
  if (ids.length > 0) return ids
  if (parsePhone(text)) return (await customersWithContact(session.store, 'phone', text)).slice(0, FOUND)
  const byEmail = text.includes('@') ? await customersWithContact(session.store, 'email', text) : []
  try {
    const page = await searchCustomers(session, text, {limit: FOUND})
    const seen = new Set(byEmail.map((customer) => customer.id))
    return [...byEmail, ...page.items.filter((customer) => !seen.has(customer.id))].slice(0, FOUND)
  } catch (error) {
    if (isCtxError(error)) return byEmail
    throw error
  }
}

/** Requests for what was typed (an id or its start, or words of the search language), of one customer when given. */
export async function findRequests(session: Session, text: string, customerId?: string): Promise<ContextObject[]> {
  const ids = (await byId(session, text, 'request')).filter((request) => customerId === undefined || request.customerId === customerId)
  if (ids.length > 0) return ids
  const scope = `type:request${customerId === undefined ? '' : ` customerId:${customerId}`}`
  try {
    return (await searchObjects(session.store, `${scope} (${text})`, {limit: FOUND})).items
  } catch (error) {
    if (isCtxError(error)) return []
    throw error
  }
}

interface PickOptions {
  /** The width the lines of the list may take. */
  width?: number
  pageSize?: number
}

const width = (options: PickOptions) => options.width ?? Math.max(40, (process.stdout.columns || 80) - 4)

/** A search-as-you-type prompt for a customer: run it with a context (the desk's Esc) or without. */
export function customerPrompt(session: Session, message: string, options: PickOptions = {}): (context?: PromptContext) => Promise<ContextObject> {
  const source = async (term: string | undefined) => {
    const text = term?.trim() ?? ''
    if (text === '') return [new Separator(color.dim('Type a name, an email, a phone number or an id'))]
    const found = await findCustomers(session, text)
    if (found.length === 0) return [new Separator(color.dim('No customer matches'))]
    return Promise.all(found.map(async (customer) => ({name: customerLine(customer, await activeRequestCount(session, customer.id), width(options)), value: customer})))
  }
  return (context) => search<ContextObject>({message, source, pageSize: options.pageSize ?? 8}, context)
}

/** A search-as-you-type prompt for a request (of one customer when given). */
export function requestPrompt(session: Session, message: string, options: PickOptions & {customerId?: string} = {}): (context?: PromptContext) => Promise<ContextObject> {
  const source = async (term: string | undefined) => {
    const text = term?.trim() ?? ''
    if (text === '') return [new Separator(color.dim('Type words of its title or description, or its id'))]
    const found = await findRequests(session, text, options.customerId)
    if (found.length === 0) return [new Separator(color.dim('No request matches'))]
    const now = session.clock()
    return found.map((request) => ({name: requestLine(request, now, width(options)), value: request}))
  }
  return (context) => search<ContextObject>({message, source, pageSize: options.pageSize ?? 8}, context)
}
