// Reads and writes of context objects on one connection (the pool outside a transaction, a client
// inside one). The writer turns each StoreWriter call into set-based SQL with $n parameters only.
import type {Definitions} from '../../definitions/model.js'
import {ConflictError, NotFoundError} from '../../errors.js'
import type {ContextObject, ObjectType} from '../../model.js'
import {decodeCursor, encodeCursor, newestFirst} from '../../search/cursor.js'
import {checkFilter} from '../../search/evaluate.js'
import type {Filter} from '../../search/query.js'
import {type CloseStaleOptions, type CloseStaleResult, DEFAULT_PAGE, type FindOptions, MAX_PAGE, type KeyReader, type ObjectOutline, type Page, type StoredKeyring, type StoreReader, type StoreWriter} from '../store.js'
import {checkLastUpdated, externalIdTaken} from '../refusals.js'
import {readDefinitions, writeDefinitions} from './definitions.js'
import {externalIdClaim, idClaim} from './citus.js'
import {compileFilter, customerKeysOf, foundByTerms, linkEquality, linkListQuery, namesLinkList, needsDefinitions, Params} from './filter.js'
import {COLUMNS, copyLine, customerKeys, objectRow, type ObjectRow} from './rows.js'
import type {Queryable} from './schema.js'
import {closeStaleRequests} from './sweep.js'

/**
 * The columns of ctx_objects as json_to_recordset reads them from rows sent by `wire`. The body
 * travels as JSON text and is cast to json by the server: json_to_recordset would decode a nested
 * object's strings, and text cannot hold the \u0000 that a field value may.
 */
const ROW_TYPES = `customer_key text, id text, type text, customer_id text, parent_id text, state text, media_type text,
  external_id text, created text, last_updated text, created_at timestamptz, updated_at timestamptz, terms text[], phrases text[],
  numbers jsonb, dates jsonb, body text`
const SELECTED = COLUMNS.replace('body', 'body::json')
/** The columns an update sets: all but customer_key, which a row never changes in place (Citus refuses it). */
const UPDATED = COLUMNS.replace('customer_key, ', '')
const UPDATED_SELECTED = SELECTED.replace('customer_key, ', '')

function wire(rows: readonly ObjectRow[]): string {
  return JSON.stringify(rows.map((row) => ({...row, body: JSON.stringify(row.body)})))
}

/** Objects per INSERT statement: one JSON parameter each, so a batch is one round trip. */
const INSERT_CHUNK = 1000

/**
 * From this many rows, an insert is a COPY: for an import's batch of 1000 customers the server
 * spends about half the time it spends on json_to_recordset (bench P2). Below it, the one
 * INSERT round trip is quicker than COPY's.
 */
const COPY_FROM = 50

/** PostgreSQL's unique_violation: a COPY met a row whose id or externalId is taken. */
export const UNIQUE_VIOLATION = '23505'

/**
 * Characters of COPY text per chunk (about 7 sealed customers): the server starts on the first
 * while the rest are made. Each chunk becomes a buffer of its own on its way to the socket; at 50
 * sealed customers (~115 KB) a chunk's fresh memory cost the process ~1 s more CPU per 100k
 * customers (bench P2a) than chunks this size, which the allocator reuses.
 */
const COPY_CHUNK_CHARS = 16 * 1024

function* copyChunks(count: number, rowAt: (index: number) => ObjectRow): Generator<string> {
  let text = ''
  for (let index = 0; index < count; index++) {
    text += copyLine(rowAt(index))
    if (text.length >= COPY_CHUNK_CHARS) {
      yield text
      text = ''
    }
  }
  if (text.length > 0) yield text
}

/**
 * The customer_key of a data key's row: the customer's id for `customer:ID` (crypto/keyring.ts),
 * else the key's id; folded as ctx_objects folds its customer keys (rows.ts), so on Citus a
 * customer's data key lands in the customer's shard.
 */
const KEY_CUSTOMER = `lower(CASE WHEN starts_with(k.id, 'customer:') THEN substr(k.id, 10) ELSE k.id END)`

/**
 * The data keys named by $1, found through ctx_keys' primary key (customer_key, id): by id alone, a
 * read of one customer's key went through every key of the store (15 ms among 20k customers, bench P6).
 */
const KEYS_NAMED = `customer_key = ANY(ARRAY(SELECT ${KEY_CUSTOMER} FROM unnest($1::text[]) AS k(id))) AND id = ANY($1::text[])`

export class PgReader implements StoreReader, KeyReader {
  /**
   * `knownDefinitions`: the store's definitions as already read, outside a transaction.
   * `distributed`: the store is distributed by customer on Citus (see citus.ts).
   */
  constructor(
    protected readonly db: Queryable,
    private readonly knownDefinitions?: () => Promise<Definitions>,
    protected readonly distributed = false,
  ) {}

  async get(id: string): Promise<ContextObject | null> {
    const {rows} = await this.db.query<{body: ContextObject}>('SELECT body FROM ctx_objects WHERE id = $1', [id])
    return rows[0]?.body ?? null
  }

  async idsWithPrefix(prefix: string, limit: number): Promise<string[]> {
    // LIKE on the "C"-collated id uses its btree index; the wildcards are escaped out of the prefix.
    const pattern = `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    const {rows} = await this.db.query<{id: string}>('SELECT id FROM ctx_objects WHERE id LIKE $1 ORDER BY id LIMIT $2', [pattern, limit])
    return rows.map((row) => row.id)
  }

  async getByExternalId(type: ObjectType, externalId: string): Promise<ContextObject | null> {
    const {rows} = await this.db.query<{body: ContextObject}>('SELECT body FROM ctx_objects WHERE type = $1 AND external_id = $2', [type, externalId])
    return rows[0]?.body ?? null
  }

  async getMany(ids: readonly string[]): Promise<ContextObject[]> {
    if (ids.length === 0) return []
    const {rows} = await this.db.query<{body: ContextObject}>('SELECT body FROM ctx_objects WHERE id = ANY($1::text[])', [[...new Set(ids)]])
    return rows.map((row) => row.body)
  }

  async getManyByExternalId(type: ObjectType, externalIds: readonly string[]): Promise<ContextObject[]> {
    if (externalIds.length === 0) return []
    if (this.distributed) {
      // On Citus a lateral probe per externalId is a join Citus refuses: one query to every shard.
      const {rows} = await this.db.query<{body: ContextObject}>('SELECT body FROM ctx_objects WHERE type = $1 AND external_id = ANY($2::text[])', [
        type,
        [...new Set(externalIds)],
      ])
      return rows.map((row) => row.body)
    }
    // One probe of the (type, external_id) index per externalId. Written as `external_id = ANY($2)`,
    // the planner, before the table's first ANALYZE (an import into a new store), would rather read
    // every object of the type through the link-order index and filter: 39 ms a batch on average
    // over a 100k-customer import, growing with the table. LIMIT 1 keeps the subquery a probe per
    // externalId; (type, external_id) is unique, so it drops nothing.
    const {rows} = await this.db.query<{body: ContextObject}>(
      `SELECT o.body FROM unnest($2::text[]) AS wanted(external_id)
       CROSS JOIN LATERAL (SELECT body FROM ctx_objects WHERE type = $1 AND external_id = wanted.external_id LIMIT 1) o`,
      [type, [...new Set(externalIds)]],
    )
    return rows.map((row) => row.body)
  }

  async find(options: FindOptions = {}): Promise<Page<ContextObject>> {
    const limit = options.all ? null : Math.min(Math.max(1, options.limit ?? DEFAULT_PAGE), MAX_PAGE)
    const statement = findStatement(options.where, await this.definitionsFor(options.where), {
      limit: limit === null ? null : limit + 1,
      cursor: options.cursor,
      comments: limit === null && options.comments === true,
      distributed: this.distributed,
    })
    const {rows} = await this.db.query<{body: ContextObject}>(statement.text, statement.values)
    if (limit === null) return {items: onceEach(rows.map((row) => row.body)).sort(newestFirst), next: null}
    const items = rows.slice(0, limit).map((row) => row.body)
    return {items, next: rows.length > limit ? encodeCursor(items.at(-1)!) : null}
  }

  async outline(where: Filter): Promise<ObjectOutline[]> {
    const definitions = await this.definitionsFor(where)
    const keyed = this.distributed ? null : keyedOutlineStatement(where, definitions)
    if (keyed) {
      const {rows} = await this.db.query<OutlineRow & {matched: boolean}>(keyed.text, keyed.values)
      const matches = new Set(rows.flatMap((row) => (row.matched ? [row.id.toLowerCase()] : [])))
      return rows.filter((row) => row.matched || (row.parent_id !== null && matches.has(row.parent_id.toLowerCase()))).map(outlineOf)
    }
    const statement = findStatement(where, definitions, {limit: null, comments: true, distributed: this.distributed, columns: OUTLINE_COLUMNS})
    const {rows} = await this.db.query<OutlineRow>(statement.text, statement.values)
    return onceEach(rows).map(outlineOf)
  }

  async count(where?: Filter): Promise<number> {
    const params = new Params()
    let condition = compileFilter(where, params, await this.definitionsFor(where))
    if (this.distributed) condition = onShards(condition, where, params)
    const {rows} = await this.db.query<{count: string}>(`SELECT count(*) AS count FROM ctx_objects o WHERE ${condition}`, params.values)
    return Number(rows[0].count)
  }

  definitions(): Promise<Definitions> {
    return this.knownDefinitions?.() ?? readDefinitions(this.db)
  }

  async keyring(): Promise<StoredKeyring | null> {
    const {rows} = await this.db.query<StoredKeyring>('SELECT kek, created, rotated FROM ctx_keyring')
    return rows[0]?.kek ? {kek: rows[0].kek, created: rows[0].created, rotated: rows[0].rotated ?? null} : null
  }

  async wrappedKeys(ids: readonly string[] | 'all'): Promise<Record<string, string>> {
    if (ids !== 'all' && ids.length === 0) return {}
    const {rows} =
      ids === 'all'
        ? await this.db.query<{id: string; wrapped: string}>('SELECT id, wrapped FROM ctx_keys')
        : await this.db.query<{id: string; wrapped: string}>(`SELECT id, wrapped FROM ctx_keys WHERE ${KEYS_NAMED}`, [[...new Set(ids)]])
    return Object.fromEntries(rows.map((row) => [row.id, row.wrapped]))
  }

  /** The definitions a query needs, after refusing it the way every adapter does when it names a bad field. */
  private async definitionsFor(where: Filter | undefined): Promise<Definitions | null> {
    if (!needsDefinitions(where)) return null
    const definitions = await this.definitions()
    checkFilter(where, definitions)
    return definitions
  }
}

/** What `outline` reads of each object: a customer's 10k activities weigh 1 MB this way, not 7. */
const OUTLINE_COLUMNS = ['id', 'type', 'parent_id', 'created']

interface OutlineRow {
  id: string
  type: ObjectType
  parent_id: string | null
  created: string
}

function outlineOf(row: OutlineRow): ObjectOutline {
  return row.parent_id === null ? {id: row.id, type: row.type, created: row.created} : {id: row.id, type: row.type, parentId: row.parent_id, created: row.created}
}

/**
 * The outline of one customer's (or a few customers') matches in one pass over their keys' range of
 * the primary key: the matches, marked, and every comment and feedback there, which the reader keeps
 * when it is on a match (a comment takes its parent's key, rows.ts). A probe of the parent index per
 * match, and a second read of the matches, cost a journey of 10k activities ~50 ms more, most of it
 * a fresh server process's first touch of the pages (bench P7). Null when the filter names no key.
 * The range is read apart (OFFSET 0): otherwise the planner ANDs it with the type index, which
 * reads every comment of the table.
 */
function keyedOutlineStatement(where: Filter, definitions: Definitions | null): {text: string; values: unknown[]} | null {
  const keys = customerKeysOf(where)
  if (!keys) return null
  const params = new Params()
  const range = `SELECT * FROM ctx_objects o WHERE o.customer_key = ANY(${params.add([...new Set(keys)])}::text[]) OFFSET 0`
  const condition = compileFilter(where, params, definitions)
  return {
    text: `SELECT o.id, o.type, o.parent_id, o.created, (${condition}) AS matched FROM (${range}) o WHERE (${condition}) OR o.type IN ('comment', 'feedback')`,
    values: params.values,
  }
}

/**
 * The SQL of `find`: one page, newest first, after the cursor; or, with limit null, every match in
 * no order, which the reader sorts. Sorting a journey's 10k activities with their bodies took the
 * server 25-80 ms (spilling to disk past work_mem) of a statement that reads them in 7 ms. With
 * `comments`, the comments and feedback on every match follow in the same statement, one probe of
 * the parent index per match. `columns` (with limit null): what is read of each row, the body
 * unless named.
 */
export function findStatement(
  where: Filter | undefined,
  definitions: Definitions | null,
  page: {limit: number | null; cursor?: string | null; comments?: boolean; distributed?: boolean; columns?: readonly string[]},
): {text: string; values: unknown[]} {
  const params = new Params()
  const after = page.cursor ? decodeCursor(page.cursor) : null
  const keyset = (condition: string) =>
    after ? `${condition} AND (o.last_updated, o.id) < (${params.add(after.lastUpdated)}, ${params.add(after.id)})` : condition
  // A list of parents or customers (the comments of a thousand activities): the rows each names,
  // then the rest of the query. On Citus, a probe per id is a join it refuses: the list is an ANY.
  const listed = page.distributed ? null : linkListQuery(where, params, definitions)
  const from = listed ? listed.from : 'ctx_objects o'
  let condition = keyset(listed ? listed.rest : compileFilter(where, params, definitions))
  if (page.distributed) condition = onShards(condition, where, params)
  if (page.limit === null) {
    const columns = page.columns ?? ['body']
    const of = (table: string) => columns.map((column) => `${table}.${column}`).join(', ')
    const matches = `SELECT ${of('o')} FROM ${from} WHERE ${condition}`
    if (!page.comments) return {text: matches, values: params.values}
    if (page.distributed) {
      // A comment lives under its parent's key: a join on customer_key, co-located on Citus.
      return {
        text: `${matches} UNION ALL SELECT ${of('c')} FROM ctx_objects o JOIN ctx_objects c ON c.customer_key = o.customer_key AND lower(c.parent_id) = lower(o.id)
          WHERE ${condition} AND c.type IN ('comment', 'feedback')`,
        values: params.values,
      }
    }
    // The type tested outside the probe (OFFSET 0 keeps it there): inside, the planner ANDs the
    // parent index with the type index, which reads every comment of the table per match.
    const probed = columns.includes('type') ? columns : [...columns, 'type']
    const onMatch = `SELECT ${probed.map((column) => `c.${column}`).join(', ')} FROM ctx_objects c WHERE lower(c.parent_id) = lower(o.id) OFFSET 0`
    return {
      text: `${matches} UNION ALL SELECT ${of('c')} FROM ${from} CROSS JOIN LATERAL (${onMatch}) c WHERE ${condition} AND c.type IN ('comment', 'feedback')`,
      values: params.values,
    }
  }
  const limit = `LIMIT ${params.add(page.limit)}`
  const newestFirst = 'o.last_updated DESC, o.id DESC'
  // Then the order, MATERIALIZED: or the planner would walk the newest-first index testing every
  // row of the table.
  if (listed || namesLinkList(where)) {
    return {
      text: `WITH hits AS MATERIALIZED (SELECT o.body, o.last_updated, o.id FROM ${from} WHERE ${condition}) SELECT o.body FROM hits o ORDER BY ${newestFirst} ${limit}`,
      values: params.values,
    }
  }
  // One customer's (or parent's) objects are also ordered by that link, a constant here, so that
  // the order is the link index's: the planner cannot walk the newest-first index of the whole
  // table instead, which costs as many rows as the table holds newer than the customer's.
  const link = linkEquality(where)
  if (!link && foundByTerms(where)) {
    // Rows the terms index finds (words, ids, tags), then their order: walking the newest-first
    // index instead, testing each row, the planner expects the matches spread over the table, but
    // a customer's name is as old as the customer: \`search Thompson\` among 20k customers walked
    // 196,000 newer objects (4.8 s) for 823 matches the index gave in 8 ms. This costs what the
    // matches cost, however old they are.
    return {
      text: `WITH hits AS MATERIALIZED (SELECT o.body, o.last_updated, o.id FROM ctx_objects o WHERE ${condition}) SELECT o.body FROM hits o ORDER BY ${newestFirst} ${limit}`,
      values: params.values,
    }
  }
  const order = link ? `${link} DESC, ${newestFirst}` : newestFirst
  return {text: `SELECT o.body FROM ctx_objects o WHERE ${condition} ORDER BY ${order} ${limit}`, values: params.values}
}

/** On Citus, a search for some customers' objects names their keys, and so only their shards. */
function onShards(condition: string, where: Filter | undefined, params: Params): string {
  const keys = customerKeysOf(where)
  if (!keys) return condition
  return keys.length === 1 ? `o.customer_key = ${params.add(keys[0])} AND ${condition}` : `o.customer_key = ANY(${params.add([...new Set(keys)])}::text[]) AND ${condition}`
}

export class PgWriter extends PgReader implements StoreWriter {
  /** True once this transaction has created the store row (the first write to an uninitialised store). */
  created = false

  constructor(
    db: Queryable,
    private readonly createStore: {mode: 'production'; at: string} | null,
    distributed = false,
  ) {
    super(db, undefined, distributed)
  }

  async insert(objects: readonly ContextObject[], prepare?: (object: ContextObject) => ContextObject): Promise<void> {
    if (objects.length === 0) return
    await this.ensureStore()
    // Links decide the keys, and prepare leaves them as they are: each row is made (and its object
    // prepared) only as the server takes the rows, so the work on it overlaps the server's.
    const keys = await customerKeys(objects, (ids) => this.storedKeys(ids))
    const rowAt = (index: number) => objectRow(prepare ? prepare(objects[index]) : objects[index], keys[index])
    if (this.distributed) {
      // Citus: claims are made from the rows before they are copied, so each object is prepared once, first.
      const prepared = prepare ? objects.map(prepare) : objects
      return this.insertClaimed(objects.length, (index) => objectRow(prepared[index], keys[index]))
    }
    if (objects.length >= COPY_FROM && (await this.copied(objects.length, rowAt))) return
    const rows = objects.map((_, index) => rowAt(index))
    const inserted = await this.insertRows(rows)
    if (inserted.length < rows.length) await this.refuseInsert(rows, inserted)
  }

  /**
   * Inserts the rows by COPY, under a savepoint; false when there is no COPY here, or when it met a
   * taken id or externalId and was undone (COPY cannot skip a conflict: INSERT then tells which
   * rows were refused). The rows are made as the server takes them, so making the next chunk's
   * overlaps the server inserting this one's.
   */
  private async copied(count: number, rowAt: (index: number) => ObjectRow): Promise<boolean> {
    if (!this.db.copyFrom) return false
    await this.db.query('SAVEPOINT ctx_copy')
    try {
      await this.db.copyFrom(`COPY ctx_objects (${COLUMNS}) FROM STDIN`, copyChunks(count, rowAt))
    } catch (error) {
      if ((error as {code?: string}).code !== UNIQUE_VIOLATION) throw error
      await this.db.query('ROLLBACK TO SAVEPOINT ctx_copy')
      return false
    }
    await this.db.query('RELEASE SAVEPOINT ctx_copy')
    return true
  }

  async update(object: ContextObject, expectedLastUpdated?: string): Promise<void> {
    const {rows} = await this.db.query<{last_updated: string; customer_key: string; external_id: string | null}>(
      'SELECT last_updated, customer_key, external_id FROM ctx_objects WHERE id = $1',
      [object.id],
    )
    const stored = rows[0]
    if (!stored) throw new NotFoundError(`${object.type} ${object.id} does not exist`, {where: object.id})
    checkLastUpdated(object, stored.last_updated, expectedLastUpdated)
    if (object.externalId !== undefined) {
      const holder = await this.externalIdHolder(object.type, object.externalId, object.id)
      if (holder) throw externalIdTaken(object, holder)
    }
    await this.ensureStore()
    if (this.distributed && (object.externalId ?? null) !== stored.external_id) await this.reclaimExternalId(object, stored.external_id)
    const [key] = await customerKeys([object], (ids) => this.storedKeys(ids))
    const row = objectRow(object, key)
    if (key === stored.customer_key) {
      await this.db.query(
        `UPDATE ctx_objects o SET (${UPDATED}) = (SELECT ${UPDATED_SELECTED} FROM json_to_recordset($1::json) AS r(${ROW_TYPES}))
         WHERE o.customer_key = $3 AND o.id = $2`,
        [wire([row]), object.id, key],
      )
      return
    }
    // An activity moved to another customer: it and the comments under it are re-inserted under the
    // new key (a key is never updated in place, which a distributed table would refuse).
    const children = await this.db.query<{body: ContextObject}>(
      'SELECT body FROM ctx_objects WHERE lower(parent_id) = lower($1) AND parent_id = $1 AND customer_id IS NULL AND customer_key = $2',
      [object.id, stored.customer_key],
    )
    const moved = [row, ...children.rows.map((child) => objectRow(child.body, key))]
    await this.db.query('DELETE FROM ctx_objects WHERE id = ANY($1::text[])', [moved.map((each) => each.id)])
    await this.insertRows(moved)
  }

  async remove(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0
    await this.ensureStore()
    if (this.distributed) {
      const removed = await this.db.query<{id: string; type: string; external_id: string | null}>(
        'DELETE FROM ctx_objects WHERE id = ANY($1::text[]) RETURNING id, type, external_id',
        [[...new Set(ids)]],
      )
      const claims = removed.rows.flatMap((row) => [idClaim(row.id), ...(row.external_id === null ? [] : [externalIdClaim(row.type, row.external_id)])])
      if (claims.length > 0) await this.db.query('DELETE FROM ctx_claims WHERE claim = ANY($1::text[])', [claims])
      return removed.rowCount ?? 0
    }
    const result = await this.db.query('DELETE FROM ctx_objects WHERE id = ANY($1::text[])', [[...new Set(ids)]])
    return result.rowCount ?? 0
  }

  async putDefinitions(definitions: Definitions): Promise<void> {
    await this.ensureStore()
    await writeDefinitions(this.db, definitions)
  }

  async putKeys(keyring: StoredKeyring, keys: Record<string, string>): Promise<void> {
    await this.ensureStore()
    // The keyring's row is written only when it changes (the first write, a rotation): every chunk
    // of a seed or an import carries it along with its new data keys, and two such transactions in
    // flight at once, each updating the one row, would fail each other's serialization again and again.
    await this.db.query(
      `INSERT INTO ctx_keyring (kek, created, rotated) SELECT $1, $2, $3
       WHERE NOT EXISTS (SELECT FROM ctx_keyring WHERE kek = $1 AND created = $2 AND rotated IS NOT DISTINCT FROM $3)
       ON CONFLICT (singleton) DO UPDATE SET kek = EXCLUDED.kek, created = EXCLUDED.created, rotated = EXCLUDED.rotated`,
      [keyring.kek, keyring.created, keyring.rotated],
    )
    const ids = Object.keys(keys)
    if (ids.length === 0) return
    await this.db.query(
      `INSERT INTO ctx_keys (customer_key, id, wrapped) SELECT ${KEY_CUSTOMER}, k.id, k.wrapped FROM unnest($1::text[], $2::text[]) AS k(id, wrapped)
       ON CONFLICT (customer_key, id) DO UPDATE SET wrapped = EXCLUDED.wrapped`,
      [ids, ids.map((id) => keys[id])],
    )
  }

  async removeKeys(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.db.query(`DELETE FROM ctx_keys WHERE ${KEYS_NAMED}`, [[...new Set(ids)]])
  }

  closeStaleRequests(options: CloseStaleOptions): Promise<CloseStaleResult> {
    return closeStaleRequests(this.db, options, this.distributed)
  }

  /**
   * On Citus: claims every id and externalId first (ctx_claims, distributed by the claim, keeps
   * them unique across the whole store), then inserts the rows, which can then meet no conflict.
   * When a claim is taken — by another object, or by one before it in this call — takes back the
   * claims this call made and refuses the first object that could not claim, as on one node.
   */
  private async insertClaimed(count: number, rowAt: (index: number) => ObjectRow): Promise<void> {
    const claims: string[] = []
    const ids: string[] = []
    const claimRows: number[] = []
    const claimed = (row: ObjectRow) => [idClaim(row.id), ...(row.external_id === null ? [] : [externalIdClaim(row.type, row.external_id)])]
    for (let index = 0; index < count; index++) {
      const row = rowAt(index)
      for (const claim of claimed(row)) {
        claims.push(claim)
        ids.push(row.id)
        claimRows.push(index)
      }
    }
    const made = new Set<string>()
    for (let start = 0; start < claims.length; start += INSERT_CHUNK * 2) {
      const {rows} = await this.db.query<{claim: string}>(
        'INSERT INTO ctx_claims (claim, id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING RETURNING claim',
        [claims.slice(start, start + INSERT_CHUNK * 2), ids.slice(start, start + INSERT_CHUNK * 2)],
      )
      for (const row of rows) made.add(row.claim)
    }
    if (made.size < claims.length) {
      // The first object one of whose claims this call did not make, or made for an earlier object.
      const owner = new Map<string, number>()
      for (let index = 0; index < claims.length; index++) if (made.has(claims[index]) && !owner.has(claims[index])) owner.set(claims[index], claimRows[index])
      let refused: ObjectRow | undefined
      let taken = ''
      for (let index = 0; index < count && !refused; index++) {
        const row = rowAt(index)
        taken = claimed(row).find((claim) => owner.get(claim) !== index) ?? ''
        if (taken) refused = row
      }
      const earlier = owner.get(taken)
      const holder =
        earlier === undefined ? (await this.db.query<{id: string}>('SELECT id FROM ctx_claims WHERE claim = $1', [taken])).rows[0]?.id : rowAt(earlier).id
      await this.db.query('DELETE FROM ctx_claims WHERE claim = ANY($1::text[])', [[...made]])
      const object = refused!.body
      if (taken === idClaim(object.id) || holder === undefined) throw new ConflictError(`${object.type} ${object.id} already exists`, {where: object.id})
      throw externalIdTaken(object, holder)
    }
    if (count >= COPY_FROM && this.db.copyFrom) {
      await this.db.copyFrom(`COPY ctx_objects (${COLUMNS}) FROM STDIN`, copyChunks(count, rowAt))
      return
    }
    await this.insertRows(Array.from({length: count}, (_, index) => rowAt(index)))
  }

  /** On Citus: moves an object's externalId claim to its new externalId, refusing one another object holds. */
  private async reclaimExternalId(object: ContextObject, storedExternalId: string | null): Promise<void> {
    if (storedExternalId !== null) {
      await this.db.query('DELETE FROM ctx_claims WHERE claim = $1 AND id = $2', [externalIdClaim(object.type, storedExternalId), object.id])
    }
    if (object.externalId === undefined) return
    const claim = externalIdClaim(object.type, object.externalId)
    const made = await this.db.query('INSERT INTO ctx_claims (claim, id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING claim', [claim, object.id])
    if (made.rows.length > 0) return
    const holder = await this.db.query<{id: string}>('SELECT id FROM ctx_claims WHERE claim = $1', [claim])
    throw externalIdTaken(object, holder.rows[0]?.id ?? '?')
  }

  /** Inserts rows a chunk per statement, skipping conflicts; returns the ids that went in. */
  private async insertRows(rows: readonly ObjectRow[]): Promise<string[]> {
    const inserted: string[] = []
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const result = await this.db.query<{id: string}>(
        `INSERT INTO ctx_objects (${COLUMNS}) SELECT ${SELECTED} FROM json_to_recordset($1::json) AS r(${ROW_TYPES})
         ON CONFLICT DO NOTHING RETURNING id`,
        [wire(rows.slice(start, start + INSERT_CHUNK))],
      )
      for (const row of result.rows) inserted.push(row.id)
    }
    return inserted
  }

  /** rule 9: the first write to a store nobody initialised makes it a production store. */
  private async ensureStore(): Promise<void> {
    if (!this.createStore || this.created) return
    await this.db.query('INSERT INTO ctx_store (mode, created) VALUES ($1, $2) ON CONFLICT DO NOTHING', [this.createStore.mode, this.createStore.at])
    this.created = true
  }

  private async storedKeys(ids: string[]): Promise<Map<string, string>> {
    const {rows} = await this.db.query<{id: string; customer_key: string}>('SELECT id, customer_key FROM ctx_objects WHERE id = ANY($1::text[])', [ids])
    return new Map(rows.map((row) => [row.id, row.customer_key]))
  }

  private async externalIdHolder(type: ObjectType, externalId: string, exceptId: string): Promise<string | null> {
    const {rows} = await this.db.query<{id: string}>('SELECT id FROM ctx_objects WHERE type = $1 AND external_id = $2 AND id <> $3', [type, externalId, exceptId])
    return rows[0]?.id ?? null
  }

  /**
   * Some rows were skipped as conflicts: finds the first (in the order given), takes back what this
   * call inserted — so a refused insert adds nothing — and says what it collided with.
   */
  private async refuseInsert(rows: readonly ObjectRow[], inserted: readonly string[]): Promise<never> {
    const unclaimed = new Map<string, number>()
    for (const id of inserted) unclaimed.set(id, (unclaimed.get(id) ?? 0) + 1)
    const refused = rows.find((row) => {
      const left = unclaimed.get(row.id) ?? 0
      if (left > 0) unclaimed.set(row.id, left - 1)
      return left === 0
    })!
    const object = refused.body
    const idTaken = (await this.db.query('SELECT 1 FROM ctx_objects WHERE id = $1', [object.id])).rows.length > 0
    const holder = idTaken || object.externalId === undefined ? null : await this.externalIdHolder(object.type, object.externalId, object.id)
    if (inserted.length > 0) await this.db.query('DELETE FROM ctx_objects WHERE id = ANY($1::text[])', [inserted])
    if (idTaken || holder === null) throw new ConflictError(`${object.type} ${object.id} already exists`, {where: object.id})
    throw externalIdTaken(object, holder)
  }
}

/** Objects as read, each once: a comment matching the query itself also comes along as one. */
function onceEach<T extends {id: string}>(objects: T[]): T[] {
  const seen = new Set<string>()
  return objects.filter((object) => !seen.has(object.id) && Boolean(seen.add(object.id)))
}

