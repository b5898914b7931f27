// The timeline's text wrapping: a note that fits is taken whole, and reads exactly as the same note
// cut into words and joined again, which is what a note that does not fit gets.
import {expect, it} from 'vitest'
import {wrap} from '../../src/ux/journey.js'

/** The wrapping by words alone, as every paragraph went before the whole-line shortcut. */
function byWords(text: string, width: number, indent: string): string[] {
  const room = Math.max(20, width - indent.length)
  const out: string[] = []
  for (const paragraph of text.split(/\r?\n/)) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + word.length > room) {
        out.push(line)
        line = ''
      }
      line = line === '' ? word : `${line} ${word}`
    }
    out.push(line)
  }
  return out.map((line) => `${indent}${line}`.trimEnd())
}

it('wraps at word boundaries to the width, after the indent', () => {
  expect(wrap('one two three four five six seven eight nine ten eleven', 30, '  ')).toEqual(['  one two three four five six', '  seven eight nine ten eleven'])
  expect(wrap('short note', 100, '  │ ')).toEqual(['  │ short note'])
})

it('reads the same whether a line fits or is cut into words: spaces, tabs, lone CRs, no-break spaces, blank lines', () => {
  const texts = [
    'Contact 9999 about journey request 100.',
    'two  spaces',
    ' leading and trailing ',
    'tab\tinside',
    'lone\rcarriage return',
    'no\u00a0break and\u2003em space',
    'para one\n\npara three\r\nlast',
    '',
    'a'.repeat(150),
    `${'word '.repeat(40)}end`,
  ]
  for (const text of texts) {
    for (const width of [40, 100]) expect(wrap(text, width, '  │ '), JSON.stringify(text)).toEqual(byWords(text, width, '  │ '))
  }
})

it('pushes onto the lines it is given', () => {
  const lines = ['head']
  expect(wrap('a b', 80, '> ', lines)).toBe(lines)
  expect(lines).toEqual(['head', '> a b'])
})
