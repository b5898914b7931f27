// ctx search and customers search end to end: --json pages, the cursor, the table, exit codes, and
// a store left as it was by hostile queries.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ID, searchFixtures, seedSearchFixtures} from '../contract/search-contract.js'
import {expectRun, type Sandbox, sandbox} from '../helpers/cli.js'
import {openTestStore, readStore} from '../helpers/store.js'

let box: Sandbox
const fixtures = searchFixtures()
const newestFirst = [...fixtures].sort((a, b) => (a.lastUpdated < b.lastUpdated ? 1 : -1)).map((object) => object.id)

beforeAll(async () => {
  box = sandbox()
  const store = await openTestStore(box.storePath)
  await seedSearchFixtures(store)
  await store.close()
})

afterAll(() => box.cleanup())

describe('ctx search', () => {
  it('finds objects of every type as {items, next}, newest first', async () => {
    const result = await expectRun(box, ['search', 'smith OR ada@example.com', '--json'])
    expect(result.json.items.map((item: {id: string}) => item.id)).toEqual([ID.c2, ID.m1, ID.c1])
    expect(result.json.next).toBeNull()
    expect(result.json.items[0]).toEqual(fixtures.find((object) => object.id === ID.c2))
  })

  it('pages with --limit and --cursor: every object once, in order', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const args: string[] = ['search', 'lastUpdated:<2026-03-01', '--limit', '5', '--json', ...(cursor ? ['--cursor', cursor] : [])]
      const {json} = await expectRun(box, args)
      expect(json.items.length).toBeLessThanOrEqual(5)
      seen.push(...json.items.map((item: {id: string}) => item.id))
      cursor = json.next
    } while (cursor)
    expect(seen).toEqual(newestFirst)
  })

  it('prints a table for people, ending with the --cursor of the next page', async () => {
    const first = await expectRun(box, ['search', 'type:request', '--limit', '2'])
    const next = (await expectRun(box, ['search', 'type:request', '--limit', '2', '--json'])).json.next
    expect(first.stdout).toContain(ID.r3)
    expect(first.stdout).toContain('Late delivery again')
    expect(first.stdout).toContain(`--cursor ${next}`)
    const last = await expectRun(box, ['search', 'type:request', '--limit', '2', '--cursor', next])
    expect(last.stdout).toContain(ID.r1)
    expect(last.stdout).not.toContain('--cursor')
    expect((await expectRun(box, ['search', 'nobody'])).stdout).toContain('Nothing matches')
    expect((await expectRun(box, ['search', 'lovelace or smithson'])).stdout).toContain('write OR in capitals')
  })

  it('answers a malformed query with exit 2, the column at fault, and a caret under it', async () => {
    const result = await expectRun(box, ['search', 'smith OR (ada', '--json'], 2)
    expect(result.json.error).toMatchObject({code: 'USAGE', exitCode: 2, where: 'column 10'})
    const human = await expectRun(box, ['search', 'smith OR (ada'], 2)
    expect(human.stderr).toContain('column 10')
    expect(human.stderr).toContain('    smith OR (ada\n             ^')
  })

  it('answers hostile queries with exit 2, never 1, and leaves the store as it was', async () => {
    for (const query of ["Robert'); DROP TABLE students;--", '"unclosed', 'x'.repeat(5000), 'type:custmer', 'Context_POD_Activity_Link:smith']) {
      await expectRun(box, ['search', query], 2)
    }
    await expectRun(box, ['search', '--', '-smith'], 2)
    expect(await readStore(box.storePath)).toHaveLength(fixtures.length)
  })

  it('takes every word left on the command line as the query, joined by spaces, with flags anywhere among them', async () => {
    const quoted = (await expectRun(box, ['search', 'type:customer smith OR lovelace', '--json'])).json
    expect(quoted.items.map((item: {id: string}) => item.id)).toEqual([ID.c2, ID.c1])
    for (const words of [
      ['search', 'type:customer', 'smith', 'OR', 'lovelace', '--json'],
      ['search', 'type:customer', '--json', 'smith', 'OR', 'lovelace'],
      ['search', 'type:customer smith', 'OR', 'lovelace', '--json'],
    ]) {
      expect((await expectRun(box, words)).json).toEqual(quoted)
    }
    const limited = (await expectRun(box, ['search', 'type:customer', 'smith', 'OR', 'lovelace', '--limit', '1', '--json'])).json
    expect(limited.items).toEqual(quoted.items.slice(0, 1))
    expect(limited.next).not.toBeNull()
    // A word the shell grouped is taken as it is: the quotes inside it still make a phrase.
    const phrase = (await expectRun(box, ['search', 'Context_Title:"late delivery" OR Context_City:"new haven"', '--json'])).json
    expect(phrase.items.map((item: {id: string}) => item.id).sort()).toEqual([ID.c5, ID.r1, ID.r3].sort())
    expect((await expectRun(box, ['search', 'Context_Title:"late delivery"', 'OR', 'Context_City:"new haven"', '--json'])).json).toEqual(phrase)
  })

  it('refuses a cursor it did not give out, a bad --limit and a missing query with exit 2', async () => {
    await expectRun(box, ['search', 'smith', '--cursor', 'bogus'], 2)
    await expectRun(box, ['search', 'smith', '--limit', '0'], 2)
    await expectRun(box, ['search'], 2)
  })
})

describe('ctx customers search', () => {
  it('is ctx search with type:customer', async () => {
    const {json} = await expectRun(box, ['customers', 'search', 'smith', '--json'])
    expect(json).toEqual({items: [fixtures.find((object) => object.id === ID.c2)], next: null})
  })

  it('takes the words left on the command line as the query, like ctx search', async () => {
    const quoted = (await expectRun(box, ['customers', 'search', '+44 20 7946 0000', '--json'])).json
    expect(quoted.items.map((item: {id: string}) => item.id)).toEqual([ID.c1])
    expect((await expectRun(box, ['customers', 'search', '+44', '20', '7946', '0000', '--json'])).json).toEqual(quoted)
    expect((await expectRun(box, ['customers', 'search', 'Context_City:"New York"', 'john', '--limit', '5', '--json'])).json.items.map((item: {id: string}) => item.id)).toEqual([ID.c2])
  })
})
