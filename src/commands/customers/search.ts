import {searchCustomers} from '../../core/customers.js'
import {emptyResultHint} from '../../core/search/search.js'
import type {ContextObject} from '../../core/model.js'
import type {Page} from '../../core/storage/store.js'
import {listFlags, printList} from '../../ux/list.js'
import {CtxCommand} from '../../ux/base-command.js'
import {pageFlags, queryArg, queryOf} from '../../ux/flags.js'
import {objectListTable} from '../../ux/render.js'

export type CustomersSearchResult = Page<ContextObject>

export default class CustomersSearch extends CtxCommand<typeof CustomersSearch> {
  static override summary = 'Find customers: the search language with type:customer.'
  static override description =
    'The language of `ctx search` (see its help), limited to customers. Bare words match any searchable field as whole words, case-insensitively; FIELD:VALUE matches one field; an email address or a phone number is one word. Terms are joined by AND unless OR is given; parentheses group; quotes make phrases. The query is every word left on the command line, flags anywhere.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> lovelace',
    '<%= config.bin %> <%= command.id %> +44 20 7946 0000',
    '<%= config.bin %> <%= command.id %> Context_City:Boston ada',
    '<%= config.bin %> <%= command.id %> Context_Work_Email:ada@example.com --json',
    '<%= config.bin %> <%= command.id %> \'Context_City:"New York" OR Context_City:Boston\' --limit 10',
  ]

  static override args = {
    query: queryArg,
  }

  static override flags = {...pageFlags, ...listFlags}

  async run(): Promise<CustomersSearchResult> {
    const query = await this.required(queryOf(this.args.query), 'Search query', 'a query as an argument')
    const session = await this.session()
    const page = await searchCustomers(session, query, {limit: this.flags.limit, cursor: this.flags.cursor})
    if (!this.jsonEnabled()) {
      const empty = ['No customers match.', emptyResultHint(query)].filter(Boolean).join(' ')
      printList(objectListTable(page.items, {...this.flags, empty}), page.next, this.flags)
    }
    return page
  }
}
