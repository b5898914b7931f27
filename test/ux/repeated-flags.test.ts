// Repeatable flags read in one pass, outside oclif's quadratic gathering: the same flags and args as
// oclif's own parse for every shape of command line, and none of their values left for oclif.
import {Args, Flags, Parser} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {takeRepeatedFlags} from '../../src/ux/repeated-flags.js'

const flags = {
  tag: Flags.string({multiple: true}),
  field: Flags.string({multiple: true, char: 'f'}),
  media: Flags.string({multiple: true, delimiter: ','}),
  notes: Flags.string(),
  json: Flags.boolean(),
  force: Flags.boolean({allowNo: true}),
}
const args = {id: Args.string(), other: Args.string()}

async function oclif(argv: string[]) {
  const {flags: parsed, args: parsedArgs} = await Parser.parse(argv, {flags, args, strict: true})
  return {flags: parsed, args: parsedArgs}
}

async function ours(argv: string[]) {
  const {rest, taken} = takeRepeatedFlags(argv, flags)
  const parsed = await oclif(rest)
  for (const [name, values] of taken) (parsed.flags as Record<string, unknown>)[name] = [...values, ...(((parsed.flags as Record<string, unknown>)[name] as string[]) ?? [])]
  return parsed
}

const LINES = [
  ['ID', '--tag', 'a', '--tag', 'b'],
  ['--tag', 'a', 'b', 'c', '--json'],
  ['--tag=a', '--tag=', '--tag', 'x=y', 'ID'],
  ['--tag', 'a', '--json', 'b', '--notes', 'n', 'ID'],
  ['--media', 'voice,chat', 'x', '--tag', 'a', 'b'],
  ['--tag', 'a', '--media', 'voice', 'ID'],
  ['-f', 'X=1', '--field', 'Y=2', '--tag', '-', 'ID'],
  ['ID', '--tag', 'a', '--', '--tag', 'b'],
  ['--no-force', '--tag', 'a', 'ID'],
  ['--notes', '--tag', 'a'],
  ['--tag'],
  ['--tag', '--json'],
  ['--bogus', 'x', '--tag', 'a'],
  ['-fX=1', '--tag', 'a'],
]

describe('repeatable flags read in one pass', () => {
  for (const line of LINES) {
    it(`reads ${JSON.stringify(line)} as oclif does`, async () => {
      const expected = await oclif(line).catch((error: Error) => ({error: error.message}))
      const actual = await ours(line).catch((error: Error) => ({error: error.message}))
      expect(actual).toEqual(expected)
    })
  }

  it('leaves oclif none of 20k --tag values, so its quadratic gathering never sees them', () => {
    const argv = ['ID', '--json']
    for (let index = 0; index < 20_000; index++) argv.push('--tag', `t${index}`)
    const {rest, taken} = takeRepeatedFlags(argv, flags)
    expect(rest).toEqual(['ID', '--json'])
    expect(taken.get('tag')).toHaveLength(20_000)
    expect(taken.get('tag')!.at(-1)).toBe('t19999')
  })
})
