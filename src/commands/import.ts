import {Args, Flags} from '@oclif/core'
import {IMPORT_FORMATS, type ImportFormat} from '../core/io/formats.js'
import type {ImportSummary} from '../core/io/import.js'
import {OBJECT_TYPES, type ObjectType} from '../core/model.js'
import {counted} from '../ux/render.js'
import {CtxCommand} from '../ux/base-command.js'
import {interruptible} from '../ux/interrupt.js'
import {progressBar} from '../ux/progress.js'

export type ImportResult = ImportSummary

export default class Import extends CtxCommand<typeof Import> {
  static override summary = 'Import objects from CSV, JSON Lines or a Context Service export.'
  static override description = `The format comes from the extension (.csv, .jsonl/.ndjson, .json) or --format. A CSV holds one type (--type); its columns are field ids and object keys, or what --mapping says. JSON Lines and Context Service files carry their types, links and timestamps.

A Context Service export is the directory Cisco's export writes (customer.json, request.json, pod.json, and detail files), read in that order, or one of its files; ids, links and timestamps are kept. Fields and fieldsets the store does not define are refused: run \`ctx fields infer DIR\` first. JSON Lines that carry definitions (a whole-store export) have them applied before the objects, unless --no-definitions.

Every row is checked like any other write; refused rows go to a rejects file (default: FILE.rejects.csv beside the input) with their line and reason, and the import exits 6. A malformed file or an unknown column exits 5. With --upsert, objects with a known id or externalId are updated instead of refused, so an interrupted import can simply be run again.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> customers.csv --type customer --upsert',
    '<%= config.bin %> <%= command.id %> crm-export.csv --mapping crm-mapping.json --dry-run',
    '<%= config.bin %> <%= command.id %> backup.jsonl --json',
    '<%= config.bin %> <%= command.id %> cs-export/ --upsert',
    '<%= config.bin %> <%= command.id %> cs-export/pod.json',
  ]

  static override args = {file: Args.string({description: 'The file to import, or a Context Service export directory.', required: true})}

  static override flags = {
    type: Flags.string({summary: 'CSV: the type of every row. JSON: import only objects of this type.', options: [...OBJECT_TYPES]}),
    format: Flags.string({summary: 'The format, when the extension does not say it.', options: [...IMPORT_FORMATS]}),
    mapping: Flags.string({summary: 'CSV: a mapping file: column → field or key, transforms, defaults.'}),
    upsert: Flags.boolean({summary: 'Update objects already stored (same id, or same type and externalId) instead of refusing them.'}),
    'dry-run': Flags.boolean({summary: 'Check every row and report, writing nothing to the store.'}),
    rejects: Flags.string({summary: 'Where refused rows go (default: beside the input, FILE.rejects.csv, .jsonl or .json).'}),
    definitions: Flags.boolean({summary: 'JSON Lines: apply the definitions the file carries before its objects (on by default).', default: true, allowNo: true}),
  }

  async run(): Promise<ImportResult> {
    await this.refuseTheStoreAs('--rejects', this.flags.rejects)
    const session = await this.session()
    const {importFile} = await import('../core/io/import.js')
    const progress = progressBar('Importing', !this.jsonEnabled())
    let read = 0
    // Ctrl-C: say how far the import got and how to finish it. Batches in flight are not waited for:
    // whatever committed stays, and --upsert makes the re-run safe either way.
    const summary = await interruptible(
      progress,
      () =>
        importFile(session, {
          file: this.args.file,
          format: this.flags.format as ImportFormat | undefined,
          type: this.flags.type as ObjectType | undefined,
          mapping: this.flags.mapping,
          upsert: this.flags.upsert,
          dryRun: this.flags['dry-run'],
          rejects: this.flags.rejects,
          definitions: this.flags.definitions,
          onProgress: (p) => {
            read = p.read
            progress.update(p.read, p.totalBytes > 0 ? p.bytes / p.totalBytes : null, p.rejected > 0 ? `${p.rejected.toLocaleString('en-US')} rejected` : undefined)
          },
        }),
      () =>
        `Interrupted after ${counted(read, 'row')} read. What was committed stays in the store; run the same import again with --upsert to finish it without duplicates.`,
      this.jsonEnabled(),
    )
    if (!this.jsonEnabled()) this.report(summary)
    if (summary.rejected > 0) this.partialSuccess()
    return summary
  }

  private report(summary: ImportSummary): void {
    const n = (count: number) => count.toLocaleString('en-US')
    const counts = `${n(summary.created)} created, ${n(summary.updated)} updated, ${n(summary.unchanged)} unchanged`
    const skipped = summary.skipped > 0 ? `, ${n(summary.skipped)} skipped (not ${summary.type})` : ''
    const prefix = summary.dryRun ? 'Dry run, nothing written: would have' : 'Read'
    this.log(`${prefix} ${counted(summary.read, 'row')}: ${counts}${skipped}, ${n(summary.rejected)} rejected, in ${summary.seconds} s.`)
    if (summary.definitions) this.log(`Definitions carried by the file: ${summary.definitions.created.length} created, ${summary.definitions.updated.length} updated.`)
    for (const file of summary.files ?? []) {
      this.log(`  ${file.file}: ${n(file.read)} read, ${n(file.created)} created, ${n(file.updated)} updated, ${n(file.unchanged)} unchanged, ${n(file.rejected)} rejected`)
    }
    for (const {line, file, reason} of summary.firstRejects) this.logToStderr(file === undefined ? `  line ${line}: ${reason}` : `  ${file} element ${line}: ${reason}`)
    if (summary.rejected > summary.firstRejects.length) this.logToStderr(`  … and ${n(summary.rejected - summary.firstRejects.length)} more`)
    if (summary.rejectsFile) this.logToStderr(`Rejected rows, with line and reason: ${summary.rejectsFile}`)
  }
}
