// The README's search examples are promises: each one is a row of the search contract's table, so
// every adapter is held to the answer it gives.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {SEARCH_TABLE} from './contract/search-contract.js'
import {ROOT} from './helpers/cli.js'

function readmeSearchQueries(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8')
  const section = readme.slice(readme.indexOf('\n## Search\n'), readme.indexOf('\n## Command reference\n'))
  const queries: string[] = []
  for (const line of section.split('\n')) {
    const command = /^ctx search (.*)$/.exec(line)
    if (!command) continue
    const rest = command[1]
    if (rest.startsWith("'")) {
      queries.push(rest.slice(1, rest.indexOf("'", 1)))
      continue
    }
    // Unquoted, the query is the words before the first flag (or comment), joined by single spaces.
    const words = rest.split('#')[0].trim().split(/\s+/)
    const flag = words.findIndex((word) => word.startsWith('-'))
    queries.push((flag < 0 ? words : words.slice(0, flag)).join(' '))
  }
  return queries
}

describe('the README search section', () => {
  it('shows only queries that the search contract checks on every adapter', () => {
    const queries = readmeSearchQueries()
    expect(queries.length).toBeGreaterThan(10)
    const table = new Set(SEARCH_TABLE.map(([query]) => query))
    expect(queries.filter((query) => !table.has(query))).toEqual([])
  })
})
