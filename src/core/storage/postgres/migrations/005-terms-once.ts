// Version 5: each word of a clear value held once in `terms`, as `*:word`; its field is read from
// `phrases` (rows.ts, filter.ts). Versions 1–4 held it twice, as `FIELD:word` and `*:word`, which
// doubled the GIN index that every write updates (bench P2b). The field-qualified terms of clear
// words are dropped; sealed values' `FIELD:#token` terms and the special keys' `=key:value` stay.
// The GIN index is dropped first and built once after the rewrite, which costs far less than
// updating it row by row; the whole version is one transaction, so a killed upgrade leaves version 4
// as it was and runs again from the start.
import type {Migration} from '../schema.js'

/** Whether a term stays: a special key's, an any-field word's, or a sealed value's token (`FIELD:#token`). */
const KEPT = `(starts_with(t, '=') OR starts_with(t, '*:') OR substr(t, strpos(t, ':') + 1, 1) = '#')`

export const termsOnce: Migration = {
  version: 5,
  name: 'each word once in the search terms',
  sql: 'DROP INDEX ctx_objects_terms',
  // One statement a query: on Citus, a DDL statement among others in one query string reaches the
  // shards as that whole string, which they refuse.
  async after(client) {
    await client.query(`UPDATE ctx_objects SET terms = ARRAY(SELECT t FROM unnest(terms) AS t WHERE ${KEPT})
      WHERE EXISTS (SELECT 1 FROM unnest(terms) AS t WHERE NOT ${KEPT})`)
    await client.query('CREATE INDEX ctx_objects_terms ON ctx_objects USING gin (terms)')
  },
}
