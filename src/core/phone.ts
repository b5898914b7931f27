// When two phone numbers are the same number: the one rule behind every lookup of a customer by
// phone (rule 6 in `activities add`, `journey`'s argument, the desk). Numbers match by their digits,
// however they are written; the decisions on the edge cases are pinned by test/core/phone.test.ts
// and summed up in the README ("Phone numbers"):
// - spaces, dots, dashes, slashes and parentheses are ignored: "+44 20 7946 0000" = "+442079460000";
// - "+" and a leading "00" both mean the international prefix: "0044 20 7946 0000" = "+44 20 7946 0000";
// - "(0)" after the country code is the national trunk prefix written for locals, and is dropped:
//   "+44 (0)20 7946 0000" = "+44 20 7946 0000";
// - a national number is not an international one: "020 7946 0000" ≠ "+44 20 7946 0000" (which
//   country a national number is in is not written in it, and guessing would join strangers);
//   leading zeros of a national number count: "020…" ≠ "20…";
// - an extension ("x12", "ext. 12", "extension 12", "#12", ";ext=12") is part of the number: a
//   number with an extension matches only the same number with the same extension;
// - text with letters, or fewer than 7 digits, is not a phone number: it matches only the same
//   text (trimmed), as it did before.
import type {Filter} from './search/query.js'
import {words} from './search/words.js'

/** Fewer digits than this is not a phone number (the search tokenizer draws the same line). */
export const PHONE_MIN_DIGITS = 7

export interface PhoneNumber {
  /** The digits, without the international prefix ("+" or "00") or an extension. */
  digits: string
  /** Written with "+" or "00": the digits start with the country code. */
  international: boolean
  /** The extension's digits, or "". */
  extension: string
}

const EXTENSION = /\s*(?:;\s*ext=|,?\s*(?:ext(?:ension)?\.?|x|#)\s*)(\d+)\s*$/i
/** What may stand in a phone number beside its digits. */
const PUNCTUATION = /^[\d\s().\-/+]*$/

/** The number `text` writes, or null when it is not a phone number. */
export function parsePhone(text: string): PhoneNumber | null {
  let rest = text.normalize('NFKC').trim()
  let extension = ''
  const ext = EXTENSION.exec(rest)
  if (ext) {
    extension = ext[1]
    rest = rest.slice(0, ext.index)
  }
  if (!PUNCTUATION.test(rest) || rest.lastIndexOf('+') > 0) return null
  let international = rest.startsWith('+')
  let digits = rest.replace(/\D/g, '')
  if (!international && digits.startsWith('00')) {
    international = true
    digits = digits.slice(2)
  }
  // "+44 (0)20 …": the trunk prefix in parentheses, right after the country code.
  if (international) {
    const trunk = /^\+?\s*(?:00)?\s*(\d{1,3})\s*\(0\)/.exec(rest)
    if (trunk) digits = trunk[1] + digits.slice(trunk[1].length + 1)
  }
  if (digits.length < PHONE_MIN_DIGITS) return null
  return {digits, international, extension}
}

/** One spelling per number: "+442079460000", "02079460000", "+15551234567x12"; null when not a phone number. */
export function phoneKey(text: string): string | null {
  const phone = parsePhone(text)
  if (!phone) return null
  return `${phone.international ? '+' : ''}${phone.digits}${phone.extension === '' ? '' : `x${phone.extension}`}`
}

/** Whether two written phone numbers are the same number (text that is not one: the same text). */
export function samePhone(a: string, b: string): boolean {
  const keyA = phoneKey(a)
  const keyB = phoneKey(b)
  if (keyA === null || keyB === null) return keyA === keyB && a.trim() === b.trim()
  return keyA === keyB
}

/**
 * A filter that finds, through the search index of every adapter, each object whose `fields` may
 * hold the number `text` in any spelling — a superset, to be narrowed with samePhone. The search
 * tokenizer (search/words.ts) keeps a number as one word of its digits when it is written with "+",
 * a parenthesised area code, dots, dashes or no gaps, and as separate words when written in bare
 * groups ("020 7946 0000"); the last of those words is a tail of the digits. So the probes are the
 * digits (with "00" before them and with a "(0)" after a 1-3 digit country code, for international
 * numbers) and every tail of the digits of 2 or more: each an exact term the index answers.
 */
export function phoneCandidates(fields: readonly string[], text: string): Filter | null {
  const phone = parsePhone(text)
  const probes = new Set<string>()
  if (phone) {
    const {digits} = phone
    for (let start = 0; start <= digits.length - 2; start++) probes.add(digits.slice(start))
    if (phone.international) {
      probes.add(`00${digits}`)
      for (let cut = 1; cut <= 3 && cut < digits.length; cut++) probes.add(`${digits.slice(0, cut)}0${digits.slice(cut)}`)
    }
  }
  const written = words(text)
  const children: Filter[] = []
  for (const key of fields) {
    for (const probe of probes) children.push({kind: 'words', key, words: [probe]})
    if (written.length > 0) children.push(writtenAs(key, written))
  }
  if (children.length === 0) return null
  return {kind: 'or', children}
}

/**
 * The words as written, in `key`: a phrase of up to two words, else every pair of consecutive words
 * at once — a superset of the phrase (narrowed with samePhone like the probes), and one that search
 * answers exactly on an encrypted phone field too, whose index keeps words and pairs of words only.
 */
function writtenAs(key: string, written: readonly string[]): Filter {
  if (written.length <= 2) return {kind: 'words', key, words: [...written]}
  const pairs: Filter[] = []
  for (let index = 1; index < written.length; index++) pairs.push({kind: 'words', key, words: [written[index - 1], written[index]]})
  return {kind: 'and', children: pairs}
}
