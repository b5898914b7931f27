// Long text from standard input: `-` as the value of --notes, --description or --text reads it, so
// a transcript can be piped in rather than squeezed into one argument.
import {text} from 'node:stream/consumers'

/** The flag's value, or all of stdin (one trailing newline dropped) when the value is `-`. */
export async function valueOrStdin(value: string | undefined): Promise<string | undefined> {
  if (value !== '-') return value
  return (await text(process.stdin)).replace(/\r?\n$/, '')
}
