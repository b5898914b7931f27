// What search can answer exactly on encrypted fields, which hold no clear word: a whole word, through
// its blind-index token. A range (the order of values is not kept) or a phrase (the order of words is
// not kept) on an encrypted field is refused with a usage error that names the field and why, never
// answered by a guess. A phrase without a field searches every searchable field, so it is refused
// when any of them is encrypted.
import type {Definitions} from '../definitions/model.js'
import type {Filter} from '../search/query.js'
import {queryTermError} from '../search/query.js'
import {encryptedFields} from './seal.js'

export function checkEncryptedSearch(filter: Filter | null | undefined, definitions: Definitions): void {
  if (!filter) return
  const encrypted = encryptedFields(definitions)
  if (encrypted.size > 0) check(filter, definitions, encrypted)
}

function check(filter: Filter, definitions: Definitions, encrypted: ReadonlyMap<string, {searchable: boolean}>): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      for (const child of filter.children) check(child, definitions, encrypted)
      return
    case 'equals':
      return
    case 'range': {
      if (!encrypted.has(filter.key)) return
      const classification = definitions.fields[filter.key].classification
      throw queryTermError(
        filter,
        `field ${filter.key} is ${classification}, encrypted at rest: a range cannot be answered on it, as its stored values keep no order`,
        filter.key,
        'Search it by whole word, or narrow by created or lastUpdated instead.',
      )
    }
    case 'words': {
      if (filter.words.length < 2) return
      if (filter.key !== null) {
        if (!encrypted.has(filter.key)) return
        const classification = definitions.fields[filter.key].classification
        throw queryTermError(
          filter,
          `field ${filter.key} is ${classification}, encrypted at rest: a phrase cannot be answered on it, as its stored words keep no order`,
          filter.key,
          `Search its words one by one (${filter.words.map((word) => `${filter.key}:${word}`).join(' ')}).`,
        )
      }
      const searchable = [...encrypted].filter(([, field]) => field.searchable).map(([id]) => id)
      if (searchable.length === 0) return
      throw queryTermError(
        filter,
        `a phrase without a field searches every searchable field, and ${listed(searchable)} ${searchable.length === 1 ? 'is' : 'are'} encrypted at rest: their stored words keep no order`,
        filter.words.join(' '),
        `Search the words one by one (${filter.words.join(' ')}), or the phrase in a field that is not encrypted (FIELD:"${filter.words.join(' ')}").`,
      )
    }
  }
}

function listed(ids: readonly string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`
}
