// Version 2: the base definitions as Context Service ships them (src/core/storage/upgrades/context-zip.ts,
// which the file store runs too). Each object holding a Context_Zip value gets it under Context_ZIP:
// its body rewritten by the same function as the file store's, its search columns renamed in SQL.
import {readDefinitions, writeDefinitions} from '../definitions.js'
import type {Migration, Queryable} from '../schema.js'
import {NEW_ZIP, OLD_ZIP, upgradeDefinitions, upgradeObject} from '../../upgrades/context-zip.js'
import type {ContextObject} from '../../../model.js'

const BATCH = 1000

export const contextZip: Migration = {
  version: 2,
  name: 'Context_ZIP and the base classifications as Context Service ships them',
  sql: 'SELECT 1',
  async after(client: Queryable) {
    await writeDefinitions(client, upgradeDefinitions(await readDefinitions(client)))
    // Keyset pages by id, so a big store is rewritten a batch at a time within the upgrade's transaction.
    let after = ''
    for (;;) {
      const {rows} = await client.query<{id: string; body: ContextObject}>(
        `SELECT id, body FROM ctx_objects WHERE id > $1 AND body->'data'->$2::text IS NOT NULL ORDER BY id LIMIT ${BATCH}`,
        [after, OLD_ZIP],
      )
      if (rows.length === 0) break
      const bodies = rows.map(({id, body}) => ({id, body: upgradeObject(body) ?? body}))
      await client.query(
        `UPDATE ctx_objects AS o SET
           body = r.body,
           terms = ARRAY(SELECT CASE WHEN starts_with(t, $2::text || ':') THEN $3::text || substr(t, length($2::text) + 1) ELSE t END FROM unnest(o.terms) AS t),
           phrases = ARRAY(SELECT CASE WHEN starts_with(p, $2::text || ':') THEN $3::text || substr(p, length($2::text) + 1) ELSE p END FROM unnest(o.phrases) AS p),
           numbers = CASE WHEN o.numbers ? $2::text THEN (o.numbers - $2::text) || jsonb_build_object($3::text, o.numbers->$2::text) ELSE o.numbers END,
           dates = CASE WHEN o.dates ? $2::text THEN (o.dates - $2::text) || jsonb_build_object($3::text, o.dates->$2::text) ELSE o.dates END
         FROM json_to_recordset($1::json) AS r(id text, body json)
         WHERE o.id = r.id`,
        [JSON.stringify(bodies), OLD_ZIP, NEW_ZIP],
      )
      after = rows.at(-1)!.id
    }
  },
}
