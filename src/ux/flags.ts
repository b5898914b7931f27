// Flags and arguments shared by several commands, defined once.
import {Args, Flags} from '@oclif/core'

export const fieldFlag = Flags.string({
  summary: 'Set a field: ID=VALUE, coerced to the field’s type (repeatable; an empty VALUE removes the field).',
  multiple: true,
})

export const fieldsetFlag = Flags.string({
  summary: 'Fieldset whose fields the object may use (repeatable; default: the base fieldset of its type).',
  multiple: true,
})

export const externalIdFlag = Flags.string({summary: 'The id of this object in the system it came from (unique per type).'})

export const customerFlags = {
  'first-name': Flags.string({summary: 'First name (Context_First_Name).'}),
  'last-name': Flags.string({summary: 'Last name (Context_Last_Name).'}),
  email: Flags.string({summary: 'Work email (Context_Work_Email).'}),
  phone: Flags.string({summary: 'Work phone (Context_Work_Phone).'}),
  'external-id': externalIdFlag,
  field: fieldFlag,
  fieldset: fieldsetFlag,
}

export const pageFlags = {
  limit: Flags.integer({summary: 'Objects per page.', default: 50, min: 1, max: 1000}),
  cursor: Flags.string({summary: 'Continue from the `next` cursor of the previous page.'}),
}

export const forceFlag = Flags.boolean({summary: 'Do it without asking (required when no one is at a terminal).'})

export const ifLastUpdatedFlag = Flags.string({
  summary: 'Refuse the change unless the stored lastUpdated is exactly this (optimistic concurrency): the lastUpdated of the show command’s --json as you read it.',
})

export const mediaListFlag = Flags.string({
  summary: 'Only these media types: chat, email, event, mobile, social, video, voice, web (repeatable or comma-separated).',
  multiple: true,
  delimiter: ',',
})

/** --tag, repeatable; what it means differs (add, filter, replace), so each command says. */
export const tagFlag = (summary: string) => Flags.string({summary, multiple: true})

export const queryFlag = Flags.string({summary: 'Narrow further with the search language, e.g. \'router AND tags:vip\'.'})

/**
 * A search query as the rest of the command line's words, flags anywhere among them: `ctx search
 * type:customer Thompson` needs no quotes for the shell. queryOf joins them.
 */
export const queryArg = Args.string({
  description: 'Search query: every word left on the command line, flags anywhere among them. Quote only what the shell would take for its own: parentheses, quotes, < and >.',
  multiple: true,
})

/**
 * The query of queryArg's words: joined by single spaces, each word as the shell gave it, so a
 * word the shell grouped keeps what it holds (`'Context_City:"New York"' x` keeps its quotes).
 */
export function queryOf(words: readonly string[] | undefined): string | undefined {
  return words?.join(' ')
}
