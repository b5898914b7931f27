// The benchmark harness's own logic on tiny inputs: no timing is asserted, only arithmetic and pairing.
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
// @ts-expect-error plain ESM JavaScript without types
import {CUSTOMER_COLUMNS, customersCsv} from '../bench/data.js'
// @ts-expect-error plain ESM JavaScript without types
import {formatLine, formatSkipped, judge, median, paired, ratio, selected, verdict} from '../bench/harness.js'

describe('bench harness', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow()
  })

  it('computes ratios against the baseline and refuses a zero baseline', () => {
    expect(ratio(3, 1.5)).toBe(2)
    expect(() => ratio(1, 0)).toThrow()
  })

  it('alternates which of the pair runs first, and keeps the runs apart', async () => {
    const order: string[] = []
    const ours = {name: 'ours'}
    const baseline = {name: 'baseline'}
    const times: Record<string, number[]> = {ours: [5, 7, 6, 100], baseline: [1, 2, 3, 2]}
    const result = await paired(ours, baseline, {
      rounds: 4,
      run: async (job: {name: string}) => {
        order.push(job.name)
        return {seconds: times[job.name].shift()!, rssKiB: job.name === 'ours' ? 2048 : 1024}
      },
    })
    expect(order).toEqual(['baseline', 'ours', 'ours', 'baseline', 'baseline', 'ours', 'ours', 'baseline'])
    expect(result).toMatchObject({ours: 6.5, baseline: 2, oursRssMiB: 2, baselineRssMiB: 1, rounds: 4})
  })

  it('judges time and memory targets', () => {
    expect(verdict({ratio: 2.4, oursRssMiB: 100}, {ratio: 2.5})).toBe(true)
    expect(verdict({ratio: 2.6, oursRssMiB: 100}, {ratio: 2.5})).toBe(false)
    expect(verdict({ratio: 1.5, oursRssMiB: 300}, {ratio: 2, maxRssMiB: 256})).toBe(false)
    expect(verdict({ratio: 1.5, oursRssMiB: null}, {ratio: 2, maxRssMiB: 256})).toBe(false)
  })

  it('prints one line with id, both times, the ratio, the target and the verdict', () => {
    const line = formatLine({id: 'P1', what: 'ctx --version', ours: 0.1, baseline: 0.05, ratio: 2, target: {ratio: 2.5}, met: true, oursRssMiB: 60})
    expect(line).toMatch(/^P1 +ctx --version +ours +100 ms +baseline +50 ms +ratio 2\.00× +target ≤ 2\.5× +MET +peak 60 MiB$/)
  })

  it('judges one benchmark: the ratio of the medians against its target, with the raw runs kept', async () => {
    const times: Record<string, number[]> = {ours: [0.3, 0.2, 0.25], baseline: [0.1, 0.1, 0.1]}
    const measured = await paired('ours', 'baseline', {rounds: 3, run: async (job: string) => ({seconds: times[job].shift()!, rssKiB: 300 * 1024})})
    const result = judge({id: 'P2', what: 'import', target: {ratio: 2, maxRssMiB: 256}}, measured)
    expect(result).toMatchObject({id: 'P2', ours: 0.25, baseline: 0.1, met: false, oursRssMiB: 300, runs: {ours: [0.3, 0.2, 0.25], baseline: [0.1, 0.1, 0.1]}})
    expect(result.ratio).toBeCloseTo(2.5)
  })

  it('selects benchmarks by --only: a whole id, or a target number that covers its parts (P1 is P1a and P1b)', () => {
    expect(selected('P1a', [])).toBe(true)
    expect(selected('P1a', ['P1'])).toBe(true)
    expect(selected('P1b', ['p1'])).toBe(true)
    expect(selected('P1a', ['P1b'])).toBe(false)
    expect(selected('P3', ['P1', 'P3'])).toBe(true)
    expect(selected('P13', ['P1'])).toBe(false)
    expect(selected('P2', ['P1'])).toBe(false)
  })

  it('prints a benchmark that could not run with its reason instead of figures', () => {
    expect(formatSkipped({id: 'P5', what: 'sweep'}, 'no PostgreSQL')).toMatch(/^P5 +sweep +NOT RUN: no PostgreSQL$/)
  })

  it('writes a second customers CSV from a given row (P2b): other externalIds, emails and phones, kept apart from the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-bench-data-'))
    try {
      const first = await customersCsv(dir, 3)
      const second = await customersCsv(dir, 3, {from: 3})
      expect(second).not.toBe(first)
      const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n')
      expect(lines(second)[0]).toBe(CUSTOMER_COLUMNS.join(','))
      expect(lines(first).slice(1).map((line) => line.split(',')[0])).toEqual(['bench-0', 'bench-1', 'bench-2'])
      expect(lines(second).slice(1).map((line) => line.split(',')[0])).toEqual(['bench-3', 'bench-4', 'bench-5'])
      expect(lines(second)[1]).toContain('+1 555 0000003')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
