// `ctx search` and every `--query`: a query text checked against the store's field definitions
// (pointing at the column of a bad term) and answered one keyset page at a time.
import type {ContextObject} from '../model.js'
import type {Page, StoreReader} from '../storage/store.js'
import {checkFilter} from './evaluate.js'
import {allOf, type Filter, parseQuery} from './query.js'

export interface SearchOptions {
  /** A filter every result must also match, e.g. `type:customer` for `customers search`. */
  scope?: Filter | null
  limit?: number
  cursor?: string | null
}

/** Parses a query and checks it against the definitions: the filter a store can run, null for "everything". */
export async function compileQuery(reader: Pick<StoreReader, 'definitions'>, query: string | undefined): Promise<Filter | null> {
  const filter = query === undefined ? null : parseQuery(query)
  if (filter) checkFilter(filter, await reader.definitions())
  return filter
}

/** One page of the objects matching `query` (and `scope`), newest lastUpdated first. */
export async function searchObjects(reader: StoreReader, query: string | undefined, options: SearchOptions = {}): Promise<Page<ContextObject>> {
  const where = allOf(options.scope, await compileQuery(reader, query))
  return reader.find({where: where ?? undefined, limit: options.limit, cursor: options.cursor})
}

/** Why a query may have found nothing when the user expected something: lower-case operators. */
export function emptyResultHint(query: string): string | undefined {
  const outsideQuotes = query.replace(/"(?:[^"\\]|\\.)*"/g, ' ')
  const operator = /(?:^|[\s()])(and|or)(?=$|[\s()])/i.exec(outsideQuotes)?.[1]
  if (!operator || operator === operator.toUpperCase()) return undefined
  return `"${operator}" was searched for as a word; write ${operator.toUpperCase()} in capitals to join terms.`
}
