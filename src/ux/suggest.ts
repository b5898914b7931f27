// "Did you mean …?" for a mistyped command: the closest command by its words alone (`serch
// lovelace` is `search` plus an argument, not `fields create`), and only when it is close.
import {distance} from 'fastest-levenshtein'

/** The id (`customers:search`) closest to the words typed, or undefined when none is close enough. */
export function suggestCommand(words: readonly string[], commandIds: readonly string[]): string | undefined {
  let best: {id: string; score: number} | undefined
  for (const id of commandIds) {
    const parts = id.split(':')
    if (words.length < parts.length) continue
    const typed = words.slice(0, parts.length)
    // Each word against its counterpart: a typo costs its edits, a right word nothing.
    const edits = parts.reduce((sum, part, index) => sum + distance(part, typed[index].toLowerCase()), 0)
    const length = parts.join(' ').length
    if (edits > Math.max(1, Math.floor(length / 3))) continue
    // Fewer edits first; then the command that uses more of the words typed.
    const score = edits * 100 - parts.length
    if (!best || score < best.score) best = {id, score}
  }
  return best?.id
}
