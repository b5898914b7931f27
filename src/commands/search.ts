import type {ContextObject} from '../core/model.js'
import {emptyResultHint, searchObjects} from '../core/search/search.js'
import type {Page} from '../core/storage/store.js'
import {CtxCommand} from '../ux/base-command.js'
import {pageFlags, queryArg, queryOf} from '../ux/flags.js'
import {listFlags, printList} from '../ux/list.js'
import {objectListTable} from '../ux/render.js'

export type SearchResult = Page<ContextObject>

export default class Search extends CtxCommand<typeof Search> {
  static override summary = 'Find customers, requests, activities and comments by anything you know about them.'
  static override description = `Bare words match whole words in any searchable field, case-insensitively; FIELD:VALUE matches one field; an email address or a phone number is one word. Terms are joined by AND unless OR is given (AND binds tighter); parentheses group; quotes make phrases.

Special keys: id, type, customerId, parentId, state, mediaType, tags, externalId (exact values), created and lastUpdated (a day, or a range: created:>=2026-01-01, lastUpdated:<2026-02-01). Fields of type date or number take ranges too.

The query is every word left on the command line, flags anywhere: \`ctx search type:customer Thompson\` is \`ctx search "type:customer Thompson"\`. Quote for the shell what it would take for its own: parentheses, quotes, < and >.

Results are newest lastUpdated first, --limit per page; pass the printed --cursor (or the "next" of --json) for the following page.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> lovelace',
    '<%= config.bin %> <%= command.id %> type:customer Thompson --limit 10',
    '<%= config.bin %> <%= command.id %> ada@example.com --json',
    '<%= config.bin %> <%= command.id %> \'type:activity (mediaType:voice OR mediaType:chat) tags:vip\'',
    '<%= config.bin %> <%= command.id %> \'type:request state:active lastUpdated:<2026-02-01\' --limit 20',
    '<%= config.bin %> <%= command.id %> \'"late delivery" created:>=2026-01-01\' --cursor NEXT',
  ]

  static override args = {
    query: queryArg,
  }

  static override flags = {...pageFlags, ...listFlags}

  async run(): Promise<SearchResult> {
    const query = await this.required(queryOf(this.args.query), 'Search query', 'a query as an argument')
    const session = await this.session()
    const page = await searchObjects(session.store, query, {limit: this.flags.limit, cursor: this.flags.cursor})
    if (!this.jsonEnabled()) {
      const empty = ['Nothing matches.', emptyResultHint(query)].filter(Boolean).join(' ')
      printList(objectListTable(page.items, {...this.flags, empty}), page.next, this.flags)
    }
    return page
  }
}
