// The one way ctx makes an ajv instance (with ajv-formats), shared by object-data validation and
// the meta-schema checks of definitions.
import {Ajv, type Options} from 'ajv'
import formatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped or not, depending on the loader.
const addFormats = ((formatsModule as unknown as {default?: typeof formatsModule}).default ?? formatsModule) as unknown as (
  ajv: Ajv,
  formats?: string[],
) => Ajv

export type FormatName = 'date' | 'date-time' | 'regex'

/**
 * Schemas are not checked against the JSON Schema meta-schema at run time (`validateSchema: false`):
 * ctx compiles only its own schemas (schemas/, checked by a test) and fieldset schemas built from
 * definitions that were checked when stored, and compiling the meta-schema costs every writing
 * command ~20 ms per ajv instance (bench P1, P3).
 */
export function createAjv(formats: FormatName[], options: Options = {}): Ajv {
  const ajv = new Ajv({allErrors: true, strict: true, validateSchema: false, ...options})
  addFormats(ajv, formats)
  return ajv
}
