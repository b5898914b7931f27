// How many terminal columns a text takes, as string-width (v4, which cli-table3 and oclif measure
// with) counts them, answered without it for the texts ctx's tables are mostly made of: the first
// call of string-width compiles emoji-regex's pattern of ~10 KB, ~5-10 ms of a `customers show`
// that prints one table (bench P1, docs/performance.md). scripts/bundle.js puts this module in
// string-width's place.
import stringWidth from 'string-width'

/**
 * Texts string-width counts one column a character: printable ASCII, the letters of Latin-1 and
 * Latin Extended-A, and the ellipsis cli-table3 cuts long values with. None of them is a control or
 * combining character, wide, or part of an emoji, alone or beside another
 * (test/ux/text-width.test.ts checks every one and every pair against string-width).
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00c0-\u017f\u2026]*$/

export function textWidth(text: string): number {
  return typeof text === 'string' && ONE_COLUMN_EACH.test(text) ? text.length : stringWidth(text)
}
