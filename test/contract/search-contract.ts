// The search contract: one fixed set of objects, a table of queries with the ids each must find
// (newest lastUpdated first), and the paging and hostile-input rules, registered for every adapter
// so that memory:, file: and Postgres answer every query the same. The README's search examples are
// all in the table (test/readme-search.test.ts checks that).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {UsageError} from '../../src/core/errors.js'
import type {ContextObject, ObjectType} from '../../src/core/model.js'
import {parseQuery} from '../../src/core/search/query.js'
import {searchObjects} from '../../src/core/search/search.js'
import {equals} from '../../src/core/search/query.js'
import type {Store} from '../../src/core/storage/store.js'
import type {StoreFactory} from './store-contract.js'

/** Deterministic ids: customers 1xx, requests 2xx, activities 3xx, comments 4xx. */
export const ID = {
  c1: '00000000-0000-4000-8000-000000000101',
  c2: '00000000-0000-4000-8000-000000000102',
  c3: '00000000-0000-4000-8000-000000000103',
  c4: '00000000-0000-4000-8000-000000000104',
  c5: '00000000-0000-4000-8000-000000000105',
  r1: '00000000-0000-4000-8000-000000000201',
  r2: '00000000-0000-4000-8000-000000000202',
  r3: '00000000-0000-4000-8000-000000000203',
  a1: '00000000-0000-4000-8000-000000000301',
  a2: '00000000-0000-4000-8000-000000000302',
  a3: '00000000-0000-4000-8000-000000000303',
  m1: '00000000-0000-4000-8000-000000000401',
  m2: '00000000-0000-4000-8000-000000000402',
} as const
export type FixtureName = keyof typeof ID

function object(name: FixtureName, type: ObjectType, lastUpdated: string, rest: Partial<ContextObject>): ContextObject {
  const base = {customer: 'cisco.base.customer', request: 'cisco.base.request', activity: 'cisco.base.pod', comment: 'cisco.base.comment', feedback: 'cisco.base.rating'}
  return {id: ID[name], type, fieldsets: [base[type]], data: {}, created: lastUpdated, lastUpdated, ...rest}
}

/** Fields beyond the base ones, to search by number and date ranges and to hide a field from search. */
export const SEARCH_FIELDS = {
  fields: [
    {id: 'Acme_Score', dataType: 'integer', classification: 'UNENCRYPTED'},
    {id: 'Acme_Renewal', dataType: 'date', classification: 'UNENCRYPTED'},
    {id: 'Acme_Secret', dataType: 'string', classification: 'ENCRYPTED', searchable: false},
    {id: 'Acme_Birthday', dataType: 'date', classification: 'PII'},
  ],
  fieldset: {id: 'acme.extra', fields: ['Acme_Score', 'Acme_Renewal', 'Acme_Secret', 'Acme_Birthday']},
} as const

export function searchFixtures(): ContextObject[] {
  const extra = ['cisco.base.customer', 'acme.extra']
  return [
    object('c1', 'customer', '2026-01-10T09:00:00.000Z', {
      fieldsets: extra,
      created: '2026-01-01T09:00:00.000Z',
      data: {Context_First_Name: 'Ada', Context_Last_Name: 'Lovelace', Context_Work_Email: 'ada@example.com', Context_Work_Phone: '+44 20 7946 0000', Context_City: 'London', Acme_Secret: 'smith'},
    }),
    object('c2', 'customer', '2026-01-20T09:00:00.000Z', {
      fieldsets: extra,
      created: '2026-01-02T09:00:00.000Z',
      data: {Context_First_Name: 'John', Context_Last_Name: 'Smith', Context_Work_Email: 'john.smith@example.com', Context_City: 'New York', Acme_Score: 7, Acme_Renewal: '2026-03-01', Acme_Birthday: '1990-05-01'},
    }),
    object('c3', 'customer', '2026-02-05T09:00:00.000Z', {
      fieldsets: extra,
      created: '2026-01-03T09:00:00.000Z',
      data: {Context_First_Name: 'Jane', Context_Last_Name: 'Smithson', Context_Home_Email: 'jane@smithson.org', Context_Mobile_Phone: '(555) 123-4567', Context_City: 'Boston', Acme_Score: 12, Acme_Renewal: '2026-06-15'},
    }),
    object('c4', 'customer', '2026-01-31T23:59:59.999Z', {
      created: '2026-01-04T09:00:00.000Z',
      data: {Context_First_Name: 'José', Context_Last_Name: 'Núñez', Context_City: 'Zürich'},
    }),
    object('c5', 'customer', '2026-02-01T00:00:00.000Z', {
      created: '2026-01-05T09:00:00.000Z',
      externalId: 'CRM-42',
      data: {Context_First_Name: 'Grace', Context_Last_Name: 'O’Brien', Context_City: 'New Haven'},
    }),
    object('r1', 'request', '2026-01-15T09:00:00.000Z', {
      customerId: ID.c1,
      state: 'active',
      externalId: 'TICKET-1',
      created: '2026-01-06T09:00:00.000Z',
      data: {Context_Title: 'Refund for late delivery', Context_Description: 'Parcel arrived broken'},
    }),
    object('r2', 'request', '2026-01-25T09:00:00.000Z', {
      customerId: ID.c2,
      state: 'closed',
      closedAt: '2026-01-25T09:00:00.000Z',
      closeReason: 'manual',
      created: '2026-01-07T09:00:00.000Z',
      data: {Context_Title: 'Password reset'},
    }),
    object('r3', 'request', '2026-02-10T09:00:00.000Z', {
      customerId: ID.c3,
      state: 'active',
      created: '2026-01-31T12:00:00.000Z',
      data: {Context_Title: 'Late delivery again', Context_Description: 'Order 1234 5678'},
    }),
    object('a1', 'activity', '2026-01-16T09:00:00.000Z', {
      customerId: ID.c1,
      parentId: ID.r1,
      mediaType: 'voice',
      tags: ['vip'],
      data: {Context_Notes: 'Customer called about the refund', Context_POD_Activity_Link: 'https://crm.example.com/smith'},
    }),
    object('a2', 'activity', '2026-01-26T09:00:00.000Z', {
      customerId: ID.c2,
      parentId: ID.r2,
      mediaType: 'chat',
      tags: ['needs callback'],
      data: {Context_Notes: 'Reset the password over chat; smith-jones mentioned'},
    }),
    object('a3', 'activity', '2026-02-11T09:00:00.000Z', {
      customerId: ID.c3,
      mediaType: 'email',
      tags: ['VIP', 'billing'],
      data: {Context_Notes: 'Invoice question', Context_POD_Source_Email: 'jane@smithson.org'},
    }),
    object('m1', 'comment', '2026-01-17T09:00:00.000Z', {
      parentId: ID.a1,
      state: 'closed',
      data: {Context_Comment: 'Refund approved', Context_Visible: true, Context_DisplayName: 'Agent Smith'},
    }),
    object('m2', 'comment', '2026-02-12T09:00:00.000Z', {
      parentId: ID.r3,
      state: 'closed',
      data: {Context_Comment: 'Escalated to billing', Context_Visible: false},
    }),
  ]
}

/** Adds the extra fields and the fixtures to a store, in one transaction. */
export async function seedSearchFixtures(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    const definitions = structuredClone(await tx.definitions())
    for (const field of SEARCH_FIELDS.fields) definitions.fields[field.id] = {...field}
    definitions.fieldsets[SEARCH_FIELDS.fieldset.id] = {...SEARCH_FIELDS.fieldset, fields: [...SEARCH_FIELDS.fieldset.fields]}
    await tx.putDefinitions(definitions)
    await tx.insert(searchFixtures())
  })
}

/** Every fixture, newest lastUpdated first. */
const ALL: FixtureName[] = ['m2', 'a3', 'r3', 'c3', 'c5', 'c4', 'a2', 'r2', 'c2', 'm1', 'a1', 'r1', 'c1']
const EARLY: FixtureName[] = ['c4', 'a2', 'r2', 'c2', 'm1', 'a1', 'r1', 'c1']
const LATE: FixtureName[] = ['m2', 'a3', 'r3', 'c3', 'c5']

/** Query → the fixtures it finds, in order. */
export const SEARCH_TABLE: ReadonlyArray<readonly [string, FixtureName[]]> = [
  // Bare words: whole words, any case, any searchable field.
  ['lovelace', ['c1']],
  ['LOVELACE', ['c1']],
  ['LoveLace', ['c1']],
  ['smith', ['c2', 'm1']],
  ['Smith', ['c2', 'm1']],
  ['smithson', ['c3']],
  ['smiths', []],
  ['love', []],
  ['new', ['c5', 'c2']],
  ['new york', ['c2']],
  ['"new york"', ['c2']],
  ['"york new"', []],
  ['josé', ['c4']],
  ['JOSÉ', ['c4']],
  ['zürich núñez', ['c4']],
  ['jose', []],
  ["o'brien", ['c5']],
  ['O’Brien', ['c5']],
  ['"refund"', ['m1', 'a1', 'r1']],
  ['nobody', []],
  // One field.
  ['Context_Last_Name:smith', ['c2']],
  ['Context_Last_Name:SMITH', ['c2']],
  ['Context_City:"new haven"', ['c5']],
  ['Context_City:new', ['c5', 'c2']],
  ['Context_Title:"late delivery"', ['r3', 'r1']],
  ['Context_Notes:refund', ['a1']],
  ['Context_DisplayName:smith', ['m1']],
  // An email address is one word.
  ['ada@example.com', ['c1']],
  ['ADA@Example.COM', ['c1']],
  ['Context_Work_Email:ada@example.com', ['c1']],
  ['ada@example.org', []],
  ['example.com', []],
  ['ada', ['c1']],
  ['john', ['c2']],
  ['jane@smithson.org', ['a3', 'c3']],
  // A phone number is one word, however it is written.
  ['+44 20 7946 0000', ['c1']],
  ['"+44 20 7946 0000"', ['c1']],
  ['+44-20-7946-0000', ['c1']],
  ['+442079460000', ['c1']],
  ['Context_Work_Phone:+44-20-7946-0000', ['c1']],
  ['Context_Work_Phone:+44 20 7946 0000', ['c1']],
  ['(555) 123-4567', ['c3']],
  ['555-123-4567', ['c3']],
  ['555.123.4567', ['c3']],
  ['7946', []],
  ['+44 20 7946 0001', []],
  ['1234 5678', ['r3']],
  ['"1234 5678"', ['r3']],
  // Phrases.
  ['"late delivery"', ['r3', 'r1']],
  ['"delivery late"', []],
  ['late delivery', ['r3', 'r1']],
  ['"password reset"', ['r2']],
  ['password reset', ['a2', 'r2']],
  // AND binds tighter than OR; parentheses group.
  ['refund OR password reset', ['a2', 'r2', 'm1', 'a1', 'r1']],
  ['(refund OR password) reset', ['a2', 'r2']],
  ['refund AND approved OR invoice', ['a3', 'm1']],
  ['refund AND (approved OR invoice)', ['m1']],
  ['refund approved OR invoice', ['a3', 'm1']],
  ['invoice OR refund approved', ['a3', 'm1']],
  ['((type:activity) AND (tags:vip OR tags:billing))', ['a3', 'a1']],
  ['lovelace OR smith OR smithson', ['c3', 'c2', 'm1', 'c1']],
  ['or', []],
  // Special keys.
  ['type:request', ['r3', 'r2', 'r1']],
  ['TYPE:Request', ['r3', 'r2', 'r1']],
  ['type:customer smith', ['c2']],
  ['type:comment', ['m2', 'm1']],
  [`id:${ID.c4}`, ['c4']],
  [`id:${ID.c4.toUpperCase()}`, ['c4']],
  [`customerId:${ID.c1}`, ['a1', 'r1']],
  [`parentId:${ID.a1}`, ['m1']],
  [`parentId:${ID.r3} OR parentId:${ID.r2}`, ['m2', 'a2']],
  ['state:active', ['r3', 'r1']],
  ['state:closed', ['m2', 'r2', 'm1']],
  ['type:request state:active', ['r3', 'r1']],
  ['mediaType:voice', ['a1']],
  ['mediaType:CHAT', ['a2']],
  ['mediaType:voice OR mediaType:chat', ['a2', 'a1']],
  ['type:activity (mediaType:voice OR mediaType:chat) tags:vip', ['a1']],
  ['tags:vip', ['a3', 'a1']],
  ['tags:billing', ['a3']],
  ['tags:"needs callback"', ['a2']],
  ['tags:needs', []],
  ['externalId:crm-42', ['c5']],
  ['externalId:CRM-42', ['c5']],
  ['externalId:ticket-1', ['r1']],
  ['externalId:crm', []],
  ['fieldsets:acme.extra', ['c3', 'c2', 'c1']],
  // Dates: a day, an instant, bounds; a day stands for all of it.
  ['lastUpdated:2026-01-31', ['c4']],
  ['lastUpdated:2026-02-01', ['c5']],
  ['lastUpdated:>=2026-02-01', LATE],
  ['lastUpdated:>2026-01-31', LATE],
  ['lastUpdated:<2026-02-01', EARLY],
  ['lastUpdated:<=2026-01-31', EARLY],
  ['lastUpdated:>=2026-01-20 lastUpdated:<2026-01-26', ['r2', 'c2']],
  ['lastUpdated:>2026-01-20 lastUpdated:<=2026-01-26', ['a2', 'r2']],
  ['lastUpdated:>=2026-01-31T23:59:59.999Z', ['m2', 'a3', 'r3', 'c3', 'c5', 'c4']],
  ['lastUpdated:>2026-01-31T23:59:59.999Z', LATE],
  ['lastUpdated:2026-02-01T00:00:00Z', ['c5']],
  ['lastUpdated:<2026-02-01T01:00:00+01:00', EARLY],
  ['created:2026-01-31', ['r3']],
  ['created:2026-01-31 type:request', ['r3']],
  ['created:>=2026-01-31 type:request', ['r3']],
  ['created:<2026-01-03 type:customer', ['c2', 'c1']],
  ['lastupdated:>=2026-02-11', ['m2', 'a3']],
  ['lastUpdated:>=2030-01-01', []],
  // Number and date fields take ranges; a plain value matches as a word.
  ['Acme_Score:>=7', ['c3', 'c2']],
  ['Acme_Score:>7', ['c3']],
  ['Acme_Score:<10', ['c2']],
  ['Acme_Score:<=12 Acme_Score:>=12', ['c3']],
  ['Acme_Score:>=7.5', ['c3']],
  ['Acme_Score:7', ['c2']],
  ['Acme_Renewal:<2026-04-01', ['c2']],
  ['Acme_Renewal:>2026-03-01', ['c3']],
  ['Acme_Renewal:<=2026-03-01', ['c2']],
  ['Acme_Renewal:>=2026-03-01T00:00:00Z', ['c3', 'c2']],
  // Fields that are not searchable never match a bare word.
  ['crm.example.com', []],
  ['true', []],
  ['Context_Visible OR secret', []],
  // Text that looks like SQL or syntax is searched as words, never run.
  ['"NOT" OR "a:b"', []],
  ['"smith*"', ['c2', 'm1']],
  ['smith; DROP TABLE objects', []],
  ['Context_Preferred_Language:"\'; DROP TABLE objects; --"', []],
  // Encrypted (PII, ENCRYPTED) fields answer whole words and pairs of words through their tokens.
  ['Context_City:"new york"', ['c2']],
  ['Context_City:"york new"', []],
  ['Context_Notes:"the refund"', ['a1']],
  ['Acme_Birthday:1990-05-01', ['c2']],
  ['Context_Comment:"refund approved" OR Context_City:boston', ['c3', 'm1']],
]

/**
 * Queries an encrypted field cannot answer exactly (src/core/crypto/search.ts): each a usage error
 * naming what it cannot answer, on every adapter; the text each message must hold.
 */
export const ENCRYPTED_REFUSALS: ReadonlyArray<readonly [string, string]> = [
  ['Acme_Birthday:>=1990-01-01', 'Acme_Birthday'],
  ['Context_Last_Name:"x\' OR \'1\'=\'1"', 'Context_Last_Name'],
  ['Context_Notes:"called about the refund"', 'Context_Notes'],
  ['"\'; DROP TABLE objects; --"', 'phrase'],
  ['"Robert\'); DROP TABLE students;--"', 'phrase'],
]

/** Queries that are malformed or hostile: each must be a usage error (exit 2), never anything else. */
export const BAD_QUERIES: readonly string[] = [
  '(lovelace OR smith',
  'lovelace OR smith)',
  '((lovelace)',
  '"unclosed phrase',
  'Context_City:"New York',
  'lovelace OR',
  'OR lovelace',
  'AND',
  'lovelace AND AND smith',
  '()',
  'Context_Last_Name:',
  'type:custmer',
  'state:open',
  'mediaType:fax',
  'id:>5',
  'created:yesterday',
  'created:2026-02-30',
  'created:>=2026-01-31T10:00',
  'lastUpdated:<',
  'Context_First_Name:>=5',
  'Acme_Score:>=many',
  'Acme_Renewal:>=soon',
  'No_Such_Field:x',
  'context_last_name:smith',
  'Context_POD_Activity_Link:smith',
  'Context_Visible:true',
  'Acme_Secret:smith',
  'NOT smith',
  '-smith',
  'smith*',
  'Context_Last_Name:smi*',
  '--',
  "' OR 1=1 --",
  "'; DROP TABLE objects; --",
  "Robert'); DROP TABLE students;--",
  'x'.repeat(5000),
  `${'('.repeat(40)}smith${')'.repeat(40)}`,
  '\u0000',
  '"\u202Esmith',
]

export function searchContract(name: string, factory: StoreFactory): void {
  describe(`search contract: ${name}`, () => {
    let store: Store
    const ids = (items: readonly ContextObject[]) => items.map((item) => item.id)

    beforeAll(async () => {
      store = await factory.open()
      await seedSearchFixtures(store)
    })

    afterAll(async () => {
      await store.close()
      await factory.cleanup?.()
    })

    it.each(SEARCH_TABLE.map(([query, expected]) => [query, expected] as const))('%s', async (query, expected) => {
      const page = await searchObjects(store, query, {limit: 100})
      expect(ids(page.items)).toEqual(expected.map((fixture) => ID[fixture]))
      expect(page.next).toBeNull()
      expect(await store.count(parseQuery(query) ?? undefined)).toBe(expected.length)
    })

    it('answers every malformed or hostile query with a usage error, and keeps every object', async () => {
      for (const query of BAD_QUERIES) {
        const outcome = await searchObjects(store, query).then(
          () => 'answered',
          (error: unknown) => error,
        )
        expect(outcome, `query ${JSON.stringify(query.slice(0, 60))}`).toBeInstanceOf(UsageError)
      }
      expect(await store.count()).toBe(ALL.length)
    })

    it.each(ENCRYPTED_REFUSALS.map(([query, named]) => [query, named] as const))('refuses %s on an encrypted field (exit 2)', async (query, named) => {
      const error = await searchObjects(store, query).then(
        () => null,
        (caught: unknown) => caught as UsageError,
      )
      expect(error).toBeInstanceOf(UsageError)
      expect(error!.message).toContain(named)
      expect(error!.message).toContain('encrypted')
    })

    it('lists everything newest first for an empty query, and scopes a search with a filter', async () => {
      expect(ids((await searchObjects(store, '', {limit: 100})).items)).toEqual(ALL.map((fixture) => ID[fixture]))
      expect(ids((await searchObjects(store, 'smith', {scope: equals('type', 'customer')})).items)).toEqual([ID.c2])
    })

    it('pages through a result in small pages, each object once, in order', async () => {
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: Awaited<ReturnType<typeof searchObjects>> = await searchObjects(store, 'lastUpdated:<2026-03-01', {limit: 3, cursor})
        expect(page.items.length).toBeLessThanOrEqual(3)
        seen.push(...ids(page.items))
        cursor = page.next
        pages++
      } while (cursor)
      expect(seen).toEqual(ALL.map((fixture) => ID[fixture]))
      expect(pages).toBe(Math.ceil(ALL.length / 3))
    })

    it('refuses a cursor it did not give out as a usage error', async () => {
      await expect(searchObjects(store, 'smith', {cursor: 'not-a-cursor'})).rejects.toBeInstanceOf(UsageError)
      await expect(searchObjects(store, 'smith', {cursor: Buffer.from('["v1",1,2]').toString('base64url')})).rejects.toBeInstanceOf(UsageError)
    })
  })

  describe(`search contract: ${name}: paging while the store changes`, () => {
    let store: Store

    beforeAll(async () => {
      store = await factory.open()
    })

    afterAll(async () => {
      await store.close()
      await factory.cleanup?.()
    })

    it('pages through a few dozen matches once each, none skipped, while objects are added and removed', async () => {
      // 45 matches in 15 distinct instants: ties on lastUpdated are broken by id, across page ends.
      const bulk = Array.from({length: 45}, (_, index) => {
        const at = new Date(Date.UTC(2026, 2, 1, 0, 0, Math.floor(index / 3))).toISOString()
        return bulkActivity(index, at, index % 2 === 0 ? 'bulk' : 'BULK')
      })
      const others = Array.from({length: 10}, (_, index) => bulkActivity(100 + index, `2026-03-01T00:00:0${index % 10}.000Z`, 'other'))
      await store.transaction((tx) => tx.insert([...others, ...bulk]))
      const expected = [...bulk].sort((a, b) => (a.lastUpdated === b.lastUpdated ? (a.id < b.id ? 1 : -1) : a.lastUpdated < b.lastUpdated ? 1 : -1))

      const seen: string[] = []
      let cursor: string | null = null
      let page = 0
      do {
        const result: Awaited<ReturnType<typeof searchObjects>> = await searchObjects(store, 'tags:bulk type:activity', {limit: 4, cursor})
        seen.push(...result.items.map((item) => item.id))
        cursor = result.next
        page++
        // Newer matches and non-matches arrive, and one not-yet-seen non-match leaves, mid-way.
        if (page === 3) {
          await store.transaction(async (tx) => {
            await tx.insert([bulkActivity(900, '2026-04-01T00:00:00.000Z', 'bulk'), bulkActivity(901, '2026-02-01T00:00:00.000Z', 'other')])
            await tx.remove([others[0].id])
          })
        }
      } while (cursor)
      expect(seen).toEqual(expected.map((object) => object.id))
    })
  })
}

function bulkActivity(index: number, at: string, tag: string): ContextObject {
  return {
    // Ids are not in lastUpdated order, so the tie-break by id is exercised.
    id: `00000000-0000-4000-9000-${String((index * 7919) % 100_000).padStart(12, '0')}`,
    type: 'activity',
    mediaType: 'web',
    tags: [tag],
    fieldsets: ['cisco.base.pod'],
    data: {Context_Notes: `bulk item ${index}`},
    created: at,
    lastUpdated: at,
  }
}
