// The column count tables are laid out by (src/ux/text-width.ts, in string-width's place in the
// bundle): the same as string-width's for every text, whichever of the two answers it.
import stringWidth from 'string-width'
import {expect, it} from 'vitest'
import {textWidth} from '../../src/ux/text-width.js'

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => String.fromCodePoint(from + index))
/** The characters text-width answers for itself. */
const ONE_COLUMN = [...range(0x20, 0x7e), ...range(0xc0, 0x17f), '\u2026']

it('counts every character it answers for, alone and beside any other, as string-width does', () => {
  const differing: string[] = []
  for (const first of ONE_COLUMN) {
    if (textWidth(first) !== stringWidth(first)) differing.push(first)
    for (const second of ONE_COLUMN) if (textWidth(first + second) !== stringWidth(first + second)) differing.push(first + second)
  }
  expect(differing).toEqual([])
  expect(textWidth('Zoë Ångström-Łukasz …')).toBe(stringWidth('Zoë Ångström-Łukasz …'))
})

it('leaves everything else to string-width: colour codes, wide characters, emoji, combining marks, controls', () => {
  const others = ['\u001B[1mbold\u001B[22m', '顧客', 'ｶﾀｶﾅ', '👩‍💻 dev', '1️⃣', '🇬🇧', 'e\u0301', 'tab\there', 'nul\u0000', '\u00a9 2026', '\u00ad', '', 'line\nbreak']
  for (const text of others) expect(textWidth(text), JSON.stringify(text)).toBe(stringWidth(text))
  expect(textWidth(undefined as unknown as string)).toBe(0)
})
