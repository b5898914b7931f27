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
  static override summary = 'Export objects as JSON Lines (every type), CSV (one type) or a Context Service export directory.'
  static override description = `JSON Lines is the lossless format: one object per line, in link order (customers, requests, activities, comments, feedback), byte-stable. Exporting every type, its first line carries the store's own field definitions (not the base ones), which import applies before the objects; --no-definitions leaves them out. --format cs-json writes a directory as Cisco's Context Service export does: customer.json, request.json, pod.json (and detail.comment.json, detail.feedback.json), each one JSON array. CSV holds one type: its object keys, then one column per field of the fieldsets its objects use. Cells a spreadsheet would run as a formula (starting with = + - @) are prefixed with ' unless --no-escape-formulas; import takes the prefix off again.

Output goes to stdout, or to -o FILE (written whole or not at all), in the format of its extension unless --format says otherwise.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -o backup.jsonl',
    '<%= config.bin %> <%= command.id %> --type customer -o customers.csv --bom',
    '<%= config.bin %> <%= command.id %> --since 2026-01-01 --format jsonl > delta.jsonl',
    '<%= config.bin %> <%= command.id %> --format cs-json -o cs-export',
  ]

  static override flags = {
    type: Flags.string({summary: 'Export only this type (required for CSV).', options: [...OBJECT_TYPES]}),
    output: Flags.string({char: 'o', summary: 'Write to this file instead of stdout (- is stdout).'}),
    format: Flags.string({summary: 'csv, jsonl or cs-json (default: from the extension of -o, else jsonl).', options: [...EXPORT_FORMATS]}),
    since: Flags.string({summary: 'Only objects updated at or after this ISO instant (deltas).'}),
    bom: Flags.boolean({summary: 'CSV: start with a byte order mark, so Excel reads UTF-8.'}),
    'escape-formulas': Flags.boolean({summary: 'CSV: prefix formula-like cells with \' (on by default).', default: true, allowNo: true}),
    definitions: Flags.boolean({summary: 'JSON Lines of every type: carry the store\'s own definitions on the first line (on by default).', default: true, allowNo: true}),
    pretty: Flags.boolean({summary: 'cs-json: indent the JSON, as Cisco\'s export --pretty does.'}),
  }

  async run(): Promise<ExportResult> {
    const output = this.outputFile(this.flags.output)
    if (output === undefined && this.jsonEnabled()) {
      throw new UsageError('--json prints the summary on stdout, so the export itself needs a file', {hint: 'Add -o FILE.'})
    }
    const format = exportFormatOf(output, this.flags.format as ExportFormat | undefined)
    if (format === 'cs-json' && (this.flags.type !== undefined || this.flags.since !== undefined)) {
      throw new UsageError('a Context Service export holds the whole store: --type and --since do not apply', {hint: 'Leave them out, or export JSON Lines.'})
    }
    await this.refuseTheStoreAs('-o', output)
    const store = await this.openStore()
    const {exportContextService, exportObjects, exportToFile} = await import('../core/io/export.js')
    const progress = progressBar('Exporting', !this.jsonEnabled())
    const options = {
      format,
      definitions: this.flags.definitions,
      type: this.flags.type as ObjectType | undefined,
      since: this.flags.since === undefined ? undefined : parseInstant(this.flags.since, '--since').toISOString(),
      bom: this.flags.bom,
      escapeFormulas: this.flags['escape-formulas'],
      onProgress: (p: {exported: number; total: number}) => progress.update(p.exported, p.total > 0 ? p.exported / p.total : null),
    }
    let summary: ExportSummary
    try {
      if (format === 'cs-json' && output !== undefined) summary = await exportContextService(store, output, {pretty: this.flags.pretty, onProgress: options.onProgress})
      else if (output === undefined) summary = await this.streamToStdout((out) => exportObjects(store, out, options))
      else summary = await exportToFile(store, output, options)
    } finally {
      progress.stop()
    }
    if (output !== undefined && !this.jsonEnabled()) this.log(`Exported ${summary.exported} objects to ${output} in ${summary.seconds} s.`)
    return summary
  }
}
