// Search parity: the same objects in memory: and in PostgreSQL, a table of queries, and every page
// of every answer compared — ids, order and cursors' coverage — plus the same refusals.
import {afterAll, beforeAll, expect, it} from 'vitest'
import {systemClock} from '../../src/core/clock.js'
import {UsageError} from '../../src/core/errors.js'
import type {ContextObject} from '../../src/core/model.js'
import {findEvery} from '../../src/core/objects.js'
import {parseQuery} from '../../src/core/search/query.js'
import {openStore} from '../../src/core/storage/open.js'
import type {Store} from '../../src/core/storage/store.js'
import {fixture} from '../contract/store-contract.js'
import {admin, asSchemaVersion4, describePostgres, PG_URL, testSchema} from '../helpers/postgres.js'

const ada = fixture('customer', {
  externalId: 'CRM-1',
  tags: ['VIP'],
  data: {Context_First_Name: 'Ada', Context_Last_Name: 'Smith', Context_Work_Email: 'Ada@Example.com', Custom_Score: 12, Custom_Due: '2026-02-01'},
})
const jo = fixture('customer', {data: {Context_First_Name: 'Jo', Context_Last_Name: 'Jones-Smith', Context_City: 'Café Ville', Custom_Score: 10}})
const john = fixture('customer', {data: {Context_First_Name: 'John Smith', Context_Last_Name: 'Ｏｎｅ', Legacy_Note: 'legacyword', Custom_Due: '2025-12-31'}})
const quiet = fixture('customer', {data: {Context_Last_Name: 'Quiet', Custom_Secret: 'secretword smith'}, lastUpdated: ada.lastUpdated})
const request = fixture('request', {customerId: ada.id, data: {Context_Title: 'Refund the red fox', Context_Description: 'a b a c'}})
const activity = fixture('activity', {
  customerId: ada.id,
  parentId: request.id,
  mediaType: 'chat',
  tags: ['urgent', 'vip'],
  data: {Context_Notes: 'fox red, then red fox; a b x b c', Context_POD_Activity_Link: 'https://example.com/hidden'},
})
const comment = fixture('comment', {parentId: activity.id, state: 'closed', data: {Context_Comment: 'ﬁne by me'}})
const OBJECTS: ContextObject[] = [ada, jo, john, quiet, request, activity, comment]

const QUERIES = [
  'smith',
  'SMITH',
  'Context_Last_Name:smith',
  '"john smith"',
  '"jo smith"',
  'Context_Notes:"red fox"',
  '"fox red"',
  'Context_Description:"a b c"',
  'Context_Description:"b a c"',
  'Context_Notes:"x b"',
  'type:customer smith',
  'smith OR jones',
  '(smith OR fox) type:activity',
  'ada@example.com',
  'Context_Work_Email:ADA@EXAMPLE.COM',
  'secretword',
  'legacyword',
  'hidden',
  'one',
  'fine',
  'café',
  'cafe',
  'tags:vip',
  'tags:URGENT',
  'fieldsets:cisco.base.customer',
  'externalId:crm-1',
  `id:${ada.id.toUpperCase()}`,
  `customerId:${ada.id}`,
  `parentId:${activity.id}`,
  'state:active',
  'state:closed',
  'mediaType:CHAT',
  `lastUpdated:>=${jo.lastUpdated}`,
  `lastUpdated:<${jo.lastUpdated}`,
  `created:${ada.created.slice(0, 10)}`,
  'Custom_Score:>10',
  'Custom_Score:<=10',
  'Custom_Due:>=2026-01-01',
  'Custom_Due:<2026-01-01 OR Custom_Score:>=12',
  '',
]

// Phrases of three words on encrypted fields (Context_Notes is PII) cannot be answered exactly.
const REFUSED = ['Custom_Secret:secretword', 'No_Such_Field:x', 'Context_Last_Name:>3', 'Custom_Score:>ten', 'Context_Notes:"a b c"', '"a b c"']

/** The terms of every row, each row's sorted, by id. */
async function termsOf(schema: string): Promise<Record<string, string[]>> {
  const {rows} = await admin((client) => client.query<{id: string; terms: string[]}>(`SELECT id, terms FROM "${schema}".ctx_objects`), PG_URL)
  return Object.fromEntries(rows.map((row) => [row.id, [...row.terms].sort()]))
}

// Both on a store made at the current schema version and on one made at version 4 (each word of a
// clear value held twice in terms) and then upgraded: migration 5 leaves the terms a new store has.
for (const made of ['new', 'upgraded from schema version 4'] as const) {
  await describePostgres(`search on PostgreSQL (a store ${made}) gives the answers of the in-memory matcher`, () => {
    let memory: Store
    let postgres: Store
    let drop: () => Promise<void>

    beforeAll(async () => {
      const schema = await testSchema('search')
      drop = schema.drop
      memory = await openStore('memory:', {clock: systemClock})
      postgres = await openStore(schema.url, {clock: systemClock})
      await postgres.init('lab')
      for (const store of [memory, postgres]) {
        const definitions = await store.definitions()
        definitions.fields.Custom_Score = {id: 'Custom_Score', dataType: 'integer', classification: 'UNENCRYPTED'}
        definitions.fields.Custom_Due = {id: 'Custom_Due', dataType: 'date', classification: 'UNENCRYPTED'}
        definitions.fields.Custom_Secret = {id: 'Custom_Secret', dataType: 'string', classification: 'PII', searchable: false}
        // A field in clear text, where phrases of any length are answered by word position.
        definitions.fields.Context_Description = {...definitions.fields.Context_Description, classification: 'UNENCRYPTED'}
        await store.transaction(async (tx) => {
          await tx.putDefinitions(definitions)
          await tx.insert(OBJECTS)
        })
      }
      if (made === 'new') return
      const terms = await termsOf(schema.schema)
      await asSchemaVersion4(schema.schema)
      const doubled = await termsOf(schema.schema)
      expect(doubled[john.id]).toEqual(expect.arrayContaining(['Legacy_Note:legacyword', '*:legacyword', 'Custom_Due:20251231', '*:20251231']))
      expect(await postgres.upgrade()).toEqual({from: 4, to: 5})
      expect(await termsOf(schema.schema)).toEqual(terms)
    })

    afterAll(async () => {
      await postgres?.close()
      await drop?.()
    })

    const everyPage = async (store: Store, query: string) => {
      const where = parseQuery(query) ?? undefined
      const pages: string[][] = []
      let cursor: string | null = null
      do {
        const page = await store.find({where, limit: 2, cursor})
        pages.push(page.items.map((object) => object.id))
        cursor = page.next
      } while (cursor)
      return {pages, count: await store.count(where)}
    }

    it.each(QUERIES)('answers %j the same, page by page', async (query) => {
      const expected = await everyPage(memory, query)
      expect(await everyPage(postgres, query)).toEqual(expected)
    })

    it('matches the expected objects for a few queries (the table is not vacuous)', async () => {
      const ids = async (query: string) => (await findEvery(postgres, parseQuery(query)!)).map((object) => object.id).sort()
      // "Jones-Smith" is one word, as a dashed name is everywhere in ctx.
      expect(await ids('smith')).toEqual([ada.id, john.id].sort())
      expect(await ids('jones-smith')).toEqual([jo.id])
      expect(await ids('Context_Description:"a b c"')).toEqual([])
      expect(await ids('Context_Description:"b a c"')).toEqual([request.id])
      expect(await ids('Context_Notes:"x b"')).toEqual([activity.id])
      expect(await ids('Context_Notes:"a x"')).toEqual([])
      expect(await ids('secretword')).toEqual([])
      expect(await ids('legacyword')).toEqual([john.id])
      expect(await ids('fine')).toEqual([comment.id])
    })

    it.each(REFUSED)('refuses %j as a usage error, as every adapter does', async (query) => {
      const where = parseQuery(query)!
      await expect(memory.find({where})).rejects.toBeInstanceOf(UsageError)
      await expect(postgres.find({where})).rejects.toBeInstanceOf(UsageError)
    })

    it('follows a field becoming unsearchable without re-indexing', async () => {
      for (const store of [memory, postgres]) {
        const definitions = await store.definitions()
        definitions.fields.Context_Last_Name = {...definitions.fields.Context_Last_Name, searchable: false}
        await store.transaction((tx) => tx.putDefinitions(definitions))
      }
      for (const query of ['smith', 'jones', 'quiet', '"jones smith"']) expect(await everyPage(postgres, query)).toEqual(await everyPage(memory, query))
      expect((await everyPage(postgres, 'quiet')).count).toBe(0)
      await expect(postgres.find({where: parseQuery('Context_Last_Name:smith')!})).rejects.toBeInstanceOf(UsageError)
    })
  })
}
