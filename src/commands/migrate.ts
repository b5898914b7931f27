import {Flags} from '@oclif/core'
import Table from 'cli-table3'
import {type MigrateResult, migrateStore} from '../core/migrate.js'
import {OBJECT_TYPES} from '../core/model.js'
import {CtxCommand} from '../ux/base-command.js'
import {keySettings} from '../ux/early-store.js'
import {progressBar} from '../ux/progress.js'
import {color, counted} from '../ux/render.js'

export type MigrateCommandResult = MigrateResult

export default class Migrate extends CtxCommand<typeof Migrate> {
  static override summary = 'Copy a whole store into another (file, postgres, memory), then verify counts and checksums per type.'
  static override description =
    'Streams every object in link order, a batch per transaction, with the field definitions. An empty target is initialised in the source’s mode; a target that holds objects is refused unless --upsert. Afterwards both stores are read again and compared: the count and a checksum of each type must match, or the command fails (exit 7).'

  static override examples = [
    "<%= config.bin %> <%= command.id %> --from ~/.local/share/ctx/store.json --to 'postgres://ctx@db.example.com/ctx'",
    "<%= config.bin %> <%= command.id %> --from 'postgres://ctx@db.example.com/ctx' --to backup.json --json",
  ]

  static override flags = {
    from: Flags.string({summary: 'The store to copy from (a .json path, file:PATH or postgres://…).', required: true}),
    to: Flags.string({summary: 'The store to copy into; must be empty unless --upsert.', required: true}),
    upsert: Flags.boolean({summary: 'Copy into a store that holds objects: replace those with the same ids, keep the others.'}),
    'from-key-file': Flags.string({summary: "The source's key-encryption key (default: --key-file, CTX_KEY_FILE, or the source's file in the config directory)."}),
    'to-key-file': Flags.string({summary: "The target's key-encryption key (default: --key-file, CTX_KEY_FILE, or the target's file in the config directory, made if new)."}),
    'batch-size': Flags.integer({summary: 'Objects per transaction (default: 1000; a file target takes all in one).', min: 1, max: 10_000}),
  }

  async run(): Promise<MigrateCommandResult> {
    const progress = progressBar('Migrating', !this.jsonEnabled())
    let result: MigrateResult
    try {
      result = await migrateStore({
        from: this.flags.from,
        to: this.flags.to,
        upsert: this.flags.upsert,
        batchSize: this.flags['batch-size'],
        clock: this.clock,
        keys: {
          from: keySettings(this.flags['from-key-file'] ?? this.flags['key-file'], this.config.configDir),
          to: keySettings(this.flags['to-key-file'] ?? this.flags['key-file'], this.config.configDir),
        },
        onProgress: (copied, total) => progress.update(copied, total > 0 ? copied / total : null),
      })
    } finally {
      progress.stop()
    }
    if (!this.jsonEnabled()) this.log(summary(result))
    return result
  }
}

/** Printed only after verification passed: a mismatch is an error (exit 7) with these figures in its details. */
function summary(result: MigrateResult): string {
  const table = new Table({head: ['Type', 'Source', 'Target', 'Checksum (both)'].map((title) => color.bold(title)), style: {head: [], border: []}})
  for (const type of OBJECT_TYPES) {
    const {source, target} = result.counts[type]
    table.push([type, source.toLocaleString('en-US'), target.toLocaleString('en-US'), `${result.checksums[type].source.slice(0, 16)}…`])
  }
  const line = `Copied ${counted(result.copied, 'object')} from ${result.from} to ${result.to} in ${result.seconds} s; verified: counts and checksums match.`
  return `${table.toString()}\n${color.green(line)}`
}
