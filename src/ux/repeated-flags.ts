// Repeatable flags (--tag, --field, --fieldset) read in one pass. oclif gathers a repeatable
// flag's values by copying the list gathered so far at every value: quadratic, 20k --tag took 7.6 s
// in its parser alone. Their values are taken out of the command line here, reading it as oclif
// does (a repeatable flag also takes the plain words after its value, up to the next flag), and
// oclif parses the rest; anything this pass does not read exactly as oclif would is left to oclif.

interface FlagShape {
  name?: string
  type: string
  multiple?: boolean
  multipleNonGreedy?: boolean
  delimiter?: string
  allowStdin?: boolean | 'only'
  options?: readonly string[]
  char?: string
  aliases?: readonly string[]
  charAliases?: readonly string[]
  required?: boolean
  default?: unknown
  exclusive?: readonly string[]
  dependsOn?: readonly string[]
  exactlyOne?: readonly string[]
  combinable?: readonly string[]
  relationships?: unknown
}

export interface TakenFlags {
  /** The command line without the values taken. */
  rest: string[]
  /** The values of each repeatable flag, in the order given. */
  taken: Map<string, string[]>
}

/**
 * Plain repeatable option flags: no delimiter, stdin, fixed options, default, or rule that oclif
 * checks by the flag's presence (required, exclusive...) — those stay oclif's.
 */
function plainRepeatable(flag: FlagShape): boolean {
  const checked = flag.required || flag.default !== undefined || flag.exclusive || flag.dependsOn || flag.exactlyOne || flag.combinable || flag.relationships
  return flag.type === 'option' && flag.multiple === true && !flag.delimiter && !flag.allowStdin && !flag.options && !checked
}

export function takeRepeatedFlags(argv: readonly string[], flags: Record<string, FlagShape>): TakenFlags {
  const untouched: TakenFlags = {rest: [...argv], taken: new Map()}
  if (!Object.values(flags).some(plainRepeatable)) return untouched
  const byName = new Map<string, FlagShape>()
  for (const [name, definition] of Object.entries(flags)) {
    // oclif names a flag by its key.
    const flag = {...definition, name}
    byName.set(`--${name}`, flag)
    for (const alias of flag.aliases ?? []) byName.set(`--${alias}`, flag)
    if (flag.char) byName.set(`-${flag.char}`, flag)
    for (const alias of flag.charAliases ?? []) byName.set(`-${alias}`, flag)
  }
  const rest: string[] = []
  const taken = new Map<string, string[]>()
  const take = (flag: FlagShape, value: string) => {
    const values = taken.get(flag.name!)
    if (values) values.push(value)
    else taken.set(flag.name!, [value])
  }
  // oclif's currentFlag: the last option flag read, whose plain words follow it when it repeats.
  let current: FlagShape | undefined
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]
    if (arg === '--') {
      rest.push(...argv.slice(index))
      break
    }
    if (arg.startsWith('-') && arg !== '-') {
      const equals = arg.startsWith('--') ? arg.indexOf('=') : -1
      const flag = byName.get(equals >= 0 ? arg.slice(0, equals) : arg)
      // Unknown flags, negations, short clusters and -xVALUE: oclif's to read.
      if (!flag) return untouched
      if (flag.type !== 'option') {
        rest.push(arg)
        continue
      }
      const inline = equals >= 0
      const value = inline ? arg.slice(equals + 1) : argv[index + 1]
      // A missing value, or one that may be a flag: oclif's to report.
      if (value === undefined || (!inline && value.startsWith('-'))) return untouched
      if (!inline) index++
      current = flag
      if (plainRepeatable(flag)) take(flag, value)
      else rest.push(...(inline ? [arg] : [arg, value]))
      continue
    }
    if (current?.multiple && !current.multipleNonGreedy && plainRepeatable(current)) take(current, arg)
    else rest.push(arg)
  }
  return {rest, taken}
}
