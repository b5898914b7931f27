// Passwords kept out of oclif's own debug logging: with DEBUG set, oclif prints process.argv and
// the argv it hands each command, so a `--store postgres://user:password@…` (or migrate's --from
// and --to) would be printed whole. bin/run.js hands oclif the arguments with passwords masked;
// a ctx command takes the real values back when it parses its flags.
import {redactUrl} from '../core/storage/open.js'

/** Masked argument → the argument as typed. */
const hidden = new Map<string, string>()

/** `argv` with every password masked; the real arguments are kept for revealSecrets. */
export function hideSecrets(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const masked = redactUrl(arg)
    if (masked === arg) return arg
    // Two arguments that mask alike (one host, two passwords) keep apart.
    let placeholder = masked
    for (let copy = 2; hidden.has(placeholder) && hidden.get(placeholder) !== arg; copy++) placeholder = `${masked} (${copy})`
    hidden.set(placeholder, arg)
    return placeholder
  })
}

/** The arguments as typed, for a command to parse. */
export function revealSecrets(argv: readonly string[]): string[] {
  return argv.map((arg) => hidden.get(arg) ?? arg)
}
