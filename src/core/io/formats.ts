// Which format a file is in: the --format flag when given, else its extension.
import {extname} from 'node:path'
import {UsageError} from '../errors.js'

export const IMPORT_FORMATS = ['csv', 'jsonl', 'cs-json'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]
export const EXPORT_FORMATS = ['csv', 'jsonl', 'cs-json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

const BY_EXTENSION: Record<string, ImportFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'cs-json',
}

export function importFormatOf(path: string, given?: ImportFormat): ImportFormat {
  if (given) return given
  const format = BY_EXTENSION[extname(path).toLowerCase()]
  if (!format) {
    throw new UsageError(`cannot tell the format of ${path} from its extension`, {
      hint: 'Name it .csv, .jsonl/.ndjson or .json (Context Service export), or give --format csv|jsonl|cs-json.',
    })
  }
  return format
}

/** Export: --format, else the extension of -o, else (stdout) JSON Lines. A Context Service export (cs-json) is a directory: only by --format. */
export function exportFormatOf(path: string | undefined, given?: ExportFormat): ExportFormat {
  if (given) return given
  if (path === undefined) return 'jsonl'
  const format = BY_EXTENSION[extname(path).toLowerCase()]
  if (format === 'csv' || format === 'jsonl') return format
  throw new UsageError(`cannot tell which format to write ${path} in from its extension`, {
    hint: 'Name it .csv or .jsonl/.ndjson, or give --format csv|jsonl (or --format cs-json for a Context Service export directory).',
  })
}
