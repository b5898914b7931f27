import {Flags} from '@oclif/core'
import {parseInstant} from '../core/clock.js'
import {UsageError} from '../core/errors.js'
import type {ExportSummary} from '../core/io/export.js'
import {EXPORT_FORMATS, type ExportFormat, exportFormatOf} from '../core/io/formats.js'
import {OBJECT_TYPES, type ObjectType} from '../core/model.js'
import {CtxCommand} from '../ux/base-command.js'
import {progressBar} from '../ux/progress.js'

export type ExportResult = ExportSummary

export default class Export extends CtxCommand<typeof Export> {
  static override summary = 'Export objects as JSON Lines (every type) or CSV (one type).'
  static override description = `JSON Lines is the lossless format: one object per line, in link order (customers, requests, activities, comments, feedback), byte-stable. CSV holds one type: its object keys, then one column per field of the fieldsets its objects use. Cells a spreadsheet would run as a formula (starting with = + - @) are prefixed with ' unless --no-escape-formulas; import takes the prefix off again.

Output goes to stdout, or to -o FILE (written whole or not at all), in the format of its extension unless --format says otherwise.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -o backup.jsonl',
    '<%= config.bin %> <%= command.id %> --type customer -o customers.csv --bom',
    '<%= config.bin %> <%= command.id %> --since 2026-01-01 --format jsonl > delta.jsonl',
  ]

  static override flags = {
    type: Flags.string({summary: 'Export only this type (required for CSV).', options: [...OBJECT_TYPES]}),
    output: Flags.string({char: 'o', summary: 'Write to this file instead of stdout.'}),
    format: Flags.string({summary: 'csv or jsonl (default: from the extension of -o, else jsonl).', options: [...EXPORT_FORMATS]}),
    since: Flags.string({summary: 'Only objects updated at or after this ISO instant (deltas).'}),
    bom: Flags.boolean({summary: 'CSV: start with a byte order mark, so Excel reads UTF-8.'}),
    'escape-formulas': Flags.boolean({summary: 'CSV: prefix formula-like cells with \' (on by default).', default: true, allowNo: true}),
  }

  async run(): Promise<ExportResult> {
    const {output} = this.flags
    if (output === undefined && this.jsonEnabled()) {
      throw new UsageError('--json prints the summary on stdout, so the export itself needs a file', {hint: 'Add -o FILE.'})
    }
    const store = await this.openStore()
    const {exportObjects, exportToFile} = await import('../core/io/export.js')
    const progress = progressBar('Exporting', !this.jsonEnabled())
    const options = {
      format: exportFormatOf(output, this.flags.format as ExportFormat | undefined),
      type: this.flags.type as ObjectType | undefined,
      since: this.flags.since === undefined ? undefined : parseInstant(this.flags.since, '--since').toISOString(),
      bom: this.flags.bom,
      escapeFormulas: this.flags['escape-formulas'],
      onProgress: (p: {exported: number; total: number}) => progress.update(p.exported, p.total > 0 ? p.exported / p.total : null),
    }
    let summary: ExportSummary
    try {
      summary = output === undefined ? await exportObjects(store, process.stdout, options) : await exportToFile(store, output, options)
    } finally {
      progress.stop()
    }
    if (output !== undefined && !this.jsonEnabled()) this.log(`Exported ${summary.exported} objects to ${output} in ${summary.seconds} s.`)
    return summary
  }
}
