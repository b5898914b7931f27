// Lists on a terminal (src/ux/list.ts): a bordered table as wide as the terminal at most, its
// colour codes whole however its cells wrap, and plain rows where no table would fit.
import {stripVTControlCharacters} from 'node:util'
import {describe, expect, it} from 'vitest'
import {formatList} from '../../src/ux/list.js'

const HEAD = ['Id', 'Title', 'State', 'Customer', 'Opened', 'Last updated']
const CLOSED = '\u001B[2mclosed (manual)\u001B[22m'
const ROWS = [
  ['ed9a230e-d866-4e93-8ce7-8f4e9c8baab7', 'Router drops every night', CLOSED, '42dc4930-6ad6-4ba7-a2bb-f2ed0952a231', '11 minutes ago', '11 minutes ago'],
  ['8441e464-9138-43e1-a03b-1c5d004acf65', 'Other', '\u001B[32mactive\u001B[39m', '47449826-d540-4875-a488-47a2af7b3b9d', 'just now', 'just now'],
]

describe('a list on a terminal', () => {
  it('wraps coloured cells by what shows, never cutting a colour code in two, within the width', () => {
    for (const width of [50, 60, 80]) {
      const text = formatList(HEAD, ROWS, {}, {tty: true, width})
      const lines = text.split('\n')
      expect(lines[0]).toMatch(/^┌/)
      for (const line of lines) expect(stripVTControlCharacters(line).length).toBeLessThanOrEqual(width)
      // Every escape is a whole SGR code; a cut one leaves ESC[2 on one line and 2m on the next.
      expect(text.replace(/\u001B\[\d+m/g, '')).not.toContain('\u001B')
      expect(stripVTControlCharacters(text)).not.toMatch(/\d+m\b/)
    }
  })

  it('prints plain rows, ids whole, where a table of one column in six characters would not fit', () => {
    const text = formatList(HEAD, ROWS, {}, {tty: true, width: 40})
    expect(text).not.toMatch(/[│┌└├]/)
    expect(text.split('\n')[0]).toMatch(/^Id\s+Title\s+State/)
    for (const row of ROWS) expect(text).toContain(row[0])
  })
})
