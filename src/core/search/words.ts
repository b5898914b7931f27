// How text is cut into searchable words: lower-cased, by letters and digits, keeping an email
// address, a dotted name or a dashed phone number together as one word. Every adapter uses this one
// definition (Postgres stores its output), so every adapter gives the same answers.

const WORD = /[\p{L}\p{N}]+(?:[@._+'’-][\p{L}\p{N}]+)*/gu

export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? []
}

/** True when `needle` occurs in `haystack` as consecutive whole words. */
export function containsPhrase(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return true
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer
    }
    return true
  }
  return false
}
