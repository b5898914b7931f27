// One object's details (DetailTable, src/ux/render.ts): as wide as the terminal, and an id whole
// at any width, where a fixed 24-column label cut it with … below 66 columns.
import {stripVTControlCharacters} from 'node:util'
import {afterEach, expect, it} from 'vitest'
import {DetailTable} from '../../src/ux/render.js'

const ID = 'ed9a230e-d866-4e93-8ce7-8f4e9c8baab7'
const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns')

afterEach(() => {
  if (columns) Object.defineProperty(process.stdout, 'columns', columns)
  else delete (process.stdout as {columns?: number}).columns
})

function shown(width: number): string[] {
  Object.defineProperty(process.stdout, 'columns', {value: width, configurable: true})
  const table = new DetailTable()
  table.push(['\u001B[2mName\u001B[22m', '\u001B[1mAda Lovelace of the Analytical Engine\u001B[22m'])
  table.push(['\u001B[2mId\u001B[22m', ID])
  table.push(['\u001B[2mLast updated\u001B[22m', '2026-12-07T19:31:06.259Z'])
  const text = table.toString()
  expect(text.replace(/\u001B\[\d+m/g, '')).not.toContain('\u001B')
  return stripVTControlCharacters(text).split('\n')
}

it('shows an id whole on one line from 60 columns, and never cut with … narrower, within the width', () => {
  for (const width of [40, 50, 60, 80, 100, 160]) {
    const lines = shown(width)
    for (const line of lines) expect(line.length, line).toBeLessThan(width)
    expect(lines.join('\n')).not.toContain('…')
    const values = lines.filter((line) => line.startsWith('│')).map((line) => line.split('│')[2].trim())
    if (width >= 60) expect(values).toContain(ID)
    else expect(values.join('')).toContain(ID)
  }
})

it('keeps the labels 24 columns wide where the terminal has room, as before', () => {
  expect(shown(100)[1]).toMatch(/^│ Name {19}│ Ada Lovelace/)
})
