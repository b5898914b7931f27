// What search can answer exactly on encrypted fields, which hold no clear word: a whole word, or two
// consecutive words, through their blind-index tokens. A range (the order of values is not kept) or a
// phrase of three words or more (only pairs of words are kept) on an encrypted field is refused with a
// usage error that names the field and why, never answered by a guess. A phrase without a field
// searches every searchable field, so it is refused when any of them is encrypted.
import type {Definitions} from '../definitions/model.js'
import type {Filter} from '../search/query.js'
import {queryTermError} from '../search/query.js'
import {encryptedFields} from './seal.js'

/** The longest phrase answered on an encrypted field: two words, whose pair has a token. */
export const MAX_SEALED_PHRASE = 2

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
      if (filter.words.length <= MAX_SEALED_PHRASE) return
      if (filter.key !== null) {
        if (!encrypted.has(filter.key)) return
        const classification = definitions.fields[filter.key].classification
        throw queryTermError(
          filter,
          `field ${filter.key} is ${classification}, encrypted at rest: a phrase of more than ${MAX_SEALED_PHRASE} words cannot be answered on it, as only pairs of its words are indexed`,
          filter.key,
          `Search it by words and pairs of words (${filter.key}:"${filter.words.slice(0, 2).join(' ')}" ...).`,
        )
      }
      const searchable = [...encrypted].filter(([, field]) => field.searchable).map(([id]) => id)
      if (searchable.length === 0) return
      throw queryTermError(
        filter,
        `a phrase of more than ${MAX_SEALED_PHRASE} words without a field searches every searchable field, and ${listed(searchable)} ${searchable.length === 1 ? 'is' : 'are'} encrypted at rest: only pairs of their words are indexed`,
        filter.words.join(' '),
        `Search the words without quotes (${filter.words.join(' ')}), or the phrase in a field that is not encrypted (FIELD:"${filter.words.join(' ')}").`,
      )
    }
  }
}

function listed(ids: readonly string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`
}

/**
 * The filter as a store with sealed values answers it: a word in an encrypted field is looked for
 * (or a pair of words) both as its token (in sealed values) and as itself (a value written before its field was
 * classified encrypted, or by an older ctx); a word in any field, also as its token in each
 * searchable encrypted field. Checked by checkEncryptedSearch first, so every such term is one word.
 */
export function blindFilter(filter: Filter | null | undefined, definitions: Definitions, token: (word: string) => string): Filter | undefined {
  if (!filter) return undefined
  const encrypted = encryptedFields(definitions)
  if (encrypted.size === 0) return filter
  const searchable = [...encrypted].filter(([, field]) => field.searchable).map(([id]) => id)
  const rewrite = (node: Filter): Filter => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return {kind: node.kind, children: node.children.map(rewrite)}
      case 'words': {
        if (node.words.length > MAX_SEALED_PHRASE) return node
        const tokenOf = token(node.words.join(' '))
        if (node.key !== null) return encrypted.has(node.key) ? {kind: 'or', children: [node, {kind: 'words', key: node.key, words: [tokenOf]}]} : node
        if (searchable.length === 0) return node
        return {kind: 'or', children: [node, ...searchable.map((key): Filter => ({kind: 'words', key, words: [tokenOf]}))]}
      }
      default:
        return node
    }
  }
  return rewrite(filter)
}

/** Whether the filter has a word to look for (what needs the index key). */
export function searchesWords(filter: Filter | null | undefined): boolean {
  if (!filter) return false
  if (filter.kind === 'and' || filter.kind === 'or') return filter.children.some(searchesWords)
  return filter.kind === 'words'
}
