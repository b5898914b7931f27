// The base of every ctx command: the global flags (--json, --store), the clock, opening and closing
// the store, and turning errors into the exit codes and messages of the README's "Scripting".
import {Command, Errors, Flags, type Interfaces} from '@oclif/core'
import {fstatSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {clockFromEnv, type Clock} from '../core/clock.js'
import {ExitCode, isCtxError, UsageError} from '../core/errors.js'
import type {Definitions} from '../core/definitions/model.js'
import {inFieldOrder} from '../core/definitions/order.js'
import {BASE_FIELDSET, type ContextObject, isObjectType, type ObjectType} from '../core/model.js'
import type {DataChanges, Session} from '../core/objects.js'
import type {Store} from '../core/storage/store.js'
import {userInfo} from 'node:os'
import {takeRepeatedFlags} from './repeated-flags.js'
import {revealSecrets} from './secret-argv.js'
import {describeError, exitCodeOf, formatError} from './outcome.js'
import {readerGone, stdoutFailure} from './stdout.js'

export type CtxFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof CtxCommand)['baseFlags'] & T['flags']>
export type CtxArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class CtxCommand<T extends typeof Command = typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    store: Flags.string({
      summary: 'Store to use: a .json path, file:PATH, memory: or postgres://… (default: store.json in the data directory).',
      // Shown by every command's --help (FLAG DESCRIPTIONS): where a user looks for what the environment can set.
      description:
        'Environment variables: CTX_STORE (this flag), CTX_OPERATOR (who you are, as comments and moves record it), CTX_NOW (an ISO instant to use as the clock, for tests and replays), CTX_LOCK_TIMEOUT_MS (how long to wait for a busy store), CTX_LOCALE (the language of field labels), DEBUG (stack traces). A flag beats the environment, which beats `ctx config`.',
      env: 'CTX_STORE',
      helpGroup: 'GLOBAL',
    }),
    'key-file': Flags.string({
      summary: "The store's key-encryption key (default: a file named after the store in the config directory, made on its first write).",
      env: 'CTX_KEY_FILE',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: CtxFlags<T>
  protected args!: CtxArgs<T>
  private openedStore: Store | undefined
  private sizeChecked = false
  /** Said once on stderr as they arise, and listed under --json as the result's `warnings`. */
  private readonly warnings: string[] = []
  /** The definitions --json output orders fields by (session()). */
  private viewDefinitions: Definitions | undefined

  override async init(): Promise<void> {
    // After oclif has logged this.argv (DEBUG): it logs passwords masked, the flags get the real ones.
    await super.init()
    // Settings of `ctx config` fill the environment variables left unset, before flags are read.
    const {applyConfig, readConfig} = await import('../core/config.js')
    applyConfig(await readConfig(this.configFile), process.env)
    this.argv = revealSecrets(this.argv)
    const allFlags = {
      ...(this.ctor.enableJsonFlag ? {json: {type: 'boolean'}} : {}),
      ...(this.ctor as typeof CtxCommand).baseFlags,
      ...this.ctor.flags,
    }
    // Repeatable flags are read here, in one pass: oclif's own reading is quadratic in their count.
    const {rest, taken} = takeRepeatedFlags(this.argv, allFlags as Parameters<typeof takeRepeatedFlags>[1])
    const {args, flags} = await this.parse(
      {
        flags: this.ctor.flags,
        baseFlags: (this.ctor as typeof CtxCommand).baseFlags,
        enableJsonFlag: this.ctor.enableJsonFlag,
        args: this.ctor.args,
        strict: this.ctor.strict,
      },
      rest,
    )
    for (const [name, values] of taken) (flags as Record<string, unknown>)[name] = [...values, ...(((flags as Record<string, unknown>)[name] as string[]) ?? [])]
    this.flags = flags as CtxFlags<T>
    this.args = args as CtxArgs<T>
  }

  /** The store of --store / CTX_STORE, or store.json in oclif's data directory (honours XDG_DATA_HOME). */
  protected get storeUrl(): string {
    return this.flags.store ?? join(this.config.dataDir, 'store.json')
  }

  protected get clock(): Clock {
    return clockFromEnv()
  }

  /** The store of `url`: the one bin/run.js started opening from the command line, or a new one. */
  protected async openStore(url = this.storeUrl): Promise<Store> {
    const [{openStore}, {openOptions, takeEarlyStore}] = await Promise.all([import('../core/storage/open.js'), import('./early-store.js')])
    const keyFile = this.flags['key-file']
    const store = await (takeEarlyStore(url, keyFile) ?? openStore(url, openOptions(process.env, {keyFile, configDir: this.config.configDir})))
    this.openedStore = store
    if (!this.sizeChecked) await this.checkFileStoreSize(url)
    return store
  }

  /**
   * The file -o names, or undefined where it names standard output (`-`, /dev/stdout, or the file
   * stdout already goes to): the command then writes to stdout as it does without -o, so that no
   * summary line mixes into what it writes, nor a temporary file replaces the one stdout holds open.
   */
  protected outputFile(path: string | undefined): string | undefined {
    refuseNoName('-o', path)
    if (path === undefined || path === '-') return undefined
    try {
      const [named, stdout] = [statSync(path), fstatSync(1)]
      return named.dev === stdout.dev && named.ino === stdout.ino ? undefined : path
    } catch {
      return path
    }
  }

  /**
   * Refuses (exit 2) a file to write that is this command's file store or the store's key file: an
   * export, a definitions file or a rejects file written there replaced the whole store with itself,
   * or the only key that opens its encrypted values.
   */
  protected async refuseTheStoreAs(flag: string, path: string | undefined): Promise<void> {
    refuseNoName(flag, path)
    if (path === undefined) return
    const [{parseStoreUrl}, {keyFileLocation}, {stat}] = await Promise.all([import('../core/storage/open.js'), import('../core/crypto/key-file.js'), import('node:fs/promises')])
    const address = parseStoreUrl(this.storeUrl)
    const key = keyFileLocation(this.storeUrl, {flag: this.flags['key-file'], env: process.env.CTX_KEY_FILE, configDir: this.config.configDir}).path
    const kept = [...(address.kind === 'file' ? [['the store itself', address.target]] : []), ["the store's key file", key]]
    const written = await stat(path).catch(() => null)
    for (const [what, file] of kept) {
      const existing = await stat(file).catch(() => null)
      const same = written && existing ? written.dev === existing.dev && written.ino === existing.ino : resolve(path) === resolve(file)
      if (same) throw new UsageError(`${flag} ${path} is ${what}: writing there would replace it`, {where: path, hint: `Give ${flag} another file.`})
    }
  }

  /** The size of a file store against what it serves well: past it, a warning naming `ctx migrate`. */
  private async checkFileStoreSize(url: string): Promise<void> {
    const [{parseStoreUrl}, {fileStoreLimit, fileStorePastLimit, fileStoreWarning}] = await Promise.all([
      import('../core/storage/open.js'),
      import('../core/storage/file-limit.js'),
    ])
    this.sizeChecked = true
    const address = parseStoreUrl(url)
    if (address.kind !== 'file') return
    const past = fileStorePastLimit(address.target, fileStoreLimit(process.env.CTX_FILE_STORE_LIMIT_MB))
    if (past) this.warning(fileStoreWarning(address.target, past))
  }

  /** A warning: on stderr now (never stdout), and in the --json result's `warnings`. */
  protected warning(text: string): void {
    this.warnings.push(text)
    process.stderr.write(`Warning: ${text}\n`)
  }

  protected async session(): Promise<Session> {
    const store = this.openedStore ?? (await this.openStore())
    // Objects under --json list their fields in the order of every view, which needs the definitions;
    // printing cannot wait for them, so they are read now. A store that cannot give them fails the
    // command on its own, with its own error.
    if (this.jsonEnabled() && this.viewDefinitions === undefined) this.viewDefinitions = await store.definitions().catch(() => undefined)
    // Who is working, asked of the system (a passwd lookup) only by a command that records it.
    let actor: string | undefined
    return {
      store,
      clock: this.clock,
      get actor() {
        return (actor ??= operatorName())
      },
    }
  }

  /** A user-given id: whole, or a unique prefix of 8 characters or more (resolveId), from the command's store. */
  protected async idOf(value: string, what: string): Promise<string> {
    const {isIdPrefix, resolveId} = await import('../core/objects.js')
    // A whole id (or no id at all) is settled without the store: only a prefix needs to look.
    if (!isIdPrefix(value.trim().toLowerCase())) return (await import('../core/ids.js')).parseId(value, what)
    return resolveId(this.openedStore ?? (await this.openStore()), value, what)
  }

  /** The settings of `ctx config`, in oclif's config directory. */
  protected get configFile(): string {
    return join(this.config.configDir, 'config.json')
  }

  /** The per-operator recent-customers file in oclif's config directory. */
  protected get recentFile(): string {
    return join(this.config.configDir, 'recent.json')
  }

  /** Whether a person is at the terminal: prompts and confirmations only then. */
  protected get interactive(): boolean {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !this.jsonEnabled()
  }

  /**
   * A required value: given, asked for on a terminal, or a usage error. `check` (which throws a
   * ctx error for a value it cannot take) runs at the prompt, so a bad answer is refused there,
   * before it is accepted, and can be typed again.
   */
  protected async required(value: string | undefined, what: string, flag: string, check?: (text: string) => unknown): Promise<string> {
    if (value !== undefined && value !== '') return value
    if (!this.interactive) throw new UsageError(`${what} is required`, {hint: `Give ${flag}.`})
    const {input} = await import('@inquirer/prompts')
    const validate = async (text: string): Promise<string | true> => {
      if (text.trim() === '') return `${what} is required.`
      try {
        await check?.(text)
        return true
      } catch (error) {
        if (isCtxError(error)) return error.message
        throw error
      }
    }
    return input({message: `${what}:`, validate})
  }

  /**
   * A customer the command needs, as the user gave it (an id, its start, an email or phone), or
   * picked on a terminal from a search as you type (its id): only an existing customer can be
   * picked. Off a terminal a missing one is a usage error naming `flag`.
   */
  protected async customerRef(value: string | undefined, what: string, flag: string): Promise<string> {
    if (value !== undefined && value !== '') return value
    if (!this.interactive) throw new UsageError(`${what} is required`, {hint: `Give ${flag}.`})
    const {customerPrompt} = await import('./pick.js')
    return (await customerPrompt(await this.session(), `${what} (type to search):`)()).id
  }

  /** A request the command needs: given, picked from a search as you type on a terminal (of `customerId`'s requests when given), or a usage error. */
  protected async requestRef(value: string | undefined, what: string, flag: string, customerId?: string): Promise<string> {
    if (value !== undefined && value !== '') return value
    if (!this.interactive) throw new UsageError(`${what} is required`, {hint: `Give ${flag}.`})
    const {requestPrompt} = await import('./pick.js')
    return (await requestPrompt(await this.session(), `${what} (type to search):`, {customerId})()).id
  }

  /**
   * The fields a new object's fieldsets require and `changes` lacks: asked for on a terminal (an
   * enum picked from a list); elsewhere `changes` as given, and validation names what is missing.
   */
  protected async askRequired(type: ObjectType, fieldsets: readonly string[] | undefined, changes: DataChanges, definitions: Definitions): Promise<DataChanges> {
    if (!this.interactive) return changes
    const {askRequiredFields} = await import('./ask-fields.js')
    return askRequiredFields(definitions, fieldsets ?? [BASE_FIELDSET[type]], changes)
  }

  /** A required value of a fixed set (a media type, an enum): given, picked from a list on a terminal, or a usage error. */
  protected async chosen(value: string | undefined, what: string, flag: string, choices: readonly string[]): Promise<string> {
    if (value !== undefined && value !== '') return value
    if (!this.interactive) throw new UsageError(`${what} is required`, {hint: `Give ${flag} (one of ${choices.join(', ')}).`})
    const {select} = await import('@inquirer/prompts')
    return select({message: `${what}:`, choices: choices.map((choice) => ({value: choice, name: choice}))})
  }

  /** Destructive work: confirmed on a terminal, --force elsewhere. */
  protected async confirm(force: boolean | undefined, question: string): Promise<void> {
    if (force) return
    if (!this.interactive) throw new UsageError(`${question} — refusing without --force when no one is at a terminal to confirm`, {hint: 'Add --force.'})
    const {confirm} = await import('@inquirer/prompts')
    if (!(await confirm({message: question, default: false}))) throw new UsageError('cancelled; nothing was changed')
  }

  /** Ends with exit 6 (partial success) after the result is printed: an import with rejected rows. */
  protected partialSuccess(): void {
    process.exitCode = ExitCode.partial
  }

  /**
   * Long output a block at a time, each followed by a newline, written as it is made. A reader
   * that goes away (`| head`) or any other failure of stdout is heard a few ticks later, as
   * src/ux/stdout.ts tells; once stdout is destroyed, nothing more is written to it.
   */
  protected logBlocks(blocks: Iterable<string>): void {
    for (const block of blocks) {
      if (process.stdout.destroyed) return
      process.stdout.write(`${block}\n`)
    }
  }

  /**
   * Streams output to stdout through `write`, which stops at the first failed write (a destroyed
   * stream's `errored`). A reader that goes away (`ctx export | head`) ends the command quietly
   * with exit 0, as it ends logBlocks; any other failure of stdout is exit 7.
   */
  protected async streamToStdout<T>(write: (out: NodeJS.WriteStream) => Promise<T>): Promise<T> {
    try {
      return await write(process.stdout)
    } catch (error) {
      if (readerGone(error)) this.exit(0)
      throw stdoutFailure(true) ?? error
    }
  }

  protected override logJson(json: unknown): void {
    const definitions = this.viewDefinitions
    const ordered = definitions === undefined ? undefined : (_key: string, value: unknown) => (isContextObject(value) ? inFieldOrder(value, definitions) : value)
    process.stdout.write(`${JSON.stringify(json, ordered, 2)}\n`)
  }

  protected override toSuccessJson(result: unknown): unknown {
    if (this.warnings.length === 0 || typeof result !== 'object' || result === null || Array.isArray(result)) return result
    return {...result, warnings: [...this.warnings]}
  }

  protected override toErrorJson(error: unknown): unknown {
    return this.warnings.length === 0 ? {error: describeError(error)} : {error: describeError(error), warnings: [...this.warnings]}
  }

  override async catch(error: Error & {oclif?: {exit?: number}}): Promise<void> {
    if (error instanceof Errors.ExitError) throw error
    const exitCode = exitCodeOf(error)
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(error))
    process.stderr.write(`${formatError(error, exitCode)}\n`)
    this.exit(exitCode)
  }

  override async finally(error: Error | undefined): Promise<void> {
    await this.openedStore?.close().catch(() => undefined)
    await super.finally(error)
  }
}

/** A flag naming a file to write, given an empty name: a usage error, not a failure to write "". */
function refuseNoName(flag: string, path: string | undefined): void {
  if (path === '') throw new UsageError(`${flag} names no file`, {hint: `Give ${flag} FILE${flag === '-o' ? ', or -o - for stdout' : ''}.`})
}

export function operatorName(): string {
  if (process.env.CTX_OPERATOR) return process.env.CTX_OPERATOR
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

/** An object of the store, as results carry them (alone, in lists, in a journey's groups). */
function isContextObject(value: unknown): value is ContextObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const {id, type, data} = value as Partial<ContextObject>
  return typeof id === 'string' && typeof type === 'string' && isObjectType(type) && typeof data === 'object' && data !== null && !Array.isArray(data)
}
