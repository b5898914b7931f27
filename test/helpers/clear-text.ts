// Whether a store's text holds a value in clear. Ciphertext and blind-index tokens are base64 text,
// in which any short word turns up now and then by chance ("ada" in a few kilobytes of it); a value
// in clear stands between characters that base64 never has next to a run of its own (quotes, spaces,
// punctuation). So a value counts only where no base64 or token character touches it, in any case.
import {expect} from 'vitest'

const ENCODED = 'A-Za-z0-9+/=_#-'

export function clearValuePattern(value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![${ENCODED}])${escaped}(?![${ENCODED}])`, 'i')
}

/** Fails when any of `values` stands in `text` in clear (see above). */
export function expectNoClearValue(text: string, values: readonly string[]): void {
  for (const value of values) expect(text, value).not.toMatch(clearValuePattern(value))
}
