// How text is cut into searchable words: lower-cased, by letters and digits, keeping an email
// address, a dotted name or a dashed number together as one word, and a phone number as one word of
// its digits however it is written. Every adapter uses this one definition (Postgres stores its
// output), so every adapter gives the same answers.

const WORD = /[\p{L}\p{N}]+(?:[@._+'’-][\p{L}\p{N}]+)*/gu
/** Digits, possibly grouped by dots or dashes: a dashed phone number, a date, an IP address. */
const DIGIT_GROUPS = /^\d+(?:[.-]\d+)*$/
/** What may stand between the digit groups of one phone number: "+1 (555) 123-4567". */
const PHONE_GAP = /^(?:[ .-]|\)[ .-]?|[ .-]?\()$/
/** Fewer digits than this is a number, not a phone number. */
const PHONE_DIGITS = 7

export function words(text: string): string[] {
  const normal = text.normalize('NFKC').toLowerCase()
  const out: string[] = []
  let phone: {digits: string; groups: string[]; end: number} | null = null
  const endPhone = () => {
    if (!phone) return
    if (phone.digits.length >= PHONE_DIGITS) out.push(phone.digits)
    else out.push(...phone.groups)
    phone = null
  }
  for (const match of normal.matchAll(WORD)) {
    const word = match[0]
    const at = match.index
    if (DIGIT_GROUPS.test(word)) {
      if (phone && PHONE_GAP.test(normal.slice(phone.end, at))) {
        phone.digits += word.replace(/\D/g, '')
        phone.groups.push(word)
        phone.end = at + word.length
        continue
      }
      endPhone()
      // Groups separated by spaces join only after a "+" or a parenthesised area code, so that
      // "order 1234 5678" stays two words while "+44 20 7946 0000" is one.
      const before = normal[at - 1]
      if (before === '+' || before === '(') {
        phone = {digits: word.replace(/\D/g, ''), groups: [word], end: at + word.length}
        continue
      }
      const digits = word.replace(/\D/g, '')
      out.push(digits.length >= PHONE_DIGITS ? digits : word)
      continue
    }
    endPhone()
    out.push(word.includes('’') ? word.replaceAll('’', "'") : word)
  }
  endPhone()
  return out
}

/** True when `needle` occurs in `haystack` as consecutive whole words. */
export function containsPhrase(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return true
  if (needle.length === 1) return haystack.includes(needle[0])
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer
    }
    return true
  }
  return false
}
