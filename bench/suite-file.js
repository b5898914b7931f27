// The benchmarks that need no server: P1 (startup) and P3 (import into the file store).
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {runChecked} from './harness.js'
import {customersCsv} from './data.js'

export const fileBenchmarks = {
  benchmarks(context) {
    const node = process.execPath
    const ctx = (...args) => [node, context.bin, ...args]
    const bare = {command: [node, '-e', '0']}
    const p1Store = join(context.scratch, 'p1.json')
    const p3Store = join(context.scratch, 'p3.json')
    const p3Rows = context.quick ? 10_000 : 100_000
    let customerId
    let csv
    return [
      {
        id: 'P1a',
        what: 'ctx --version',
        target: {ratio: 2},
        rounds: context.quick ? 11 : 21,
        ours: {command: ctx('--version')},
        baseline: bare,
      },
      {
        id: 'P1b',
        what: 'ctx customers show ID, file store of 1k customers',
        target: {ratio: 2},
        rounds: context.quick ? 11 : 21,
        async prepare() {
          // Seeded with the defaults: 1k customers, 2k requests, 6k activities, ~1.7k comments.
          runChecked(ctx('seed', '--customers', '1000', '--seed', 'bench', '--now', context.now, '--store', p1Store, '--json'), {env: context.env})
          customerId = JSON.parse(runChecked(ctx('search', 'type:customer', '--limit', '1', '--json', '--store', p1Store), {env: context.env})).items[0].id
          this.ours.command.push(customerId)
        },
        ours: {command: ctx('customers', 'show', '--store', p1Store)},
        baseline: bare,
      },
      {
        id: 'P3',
        what: `import ${p3Rows.toLocaleString('en-US')} customers into the file store`,
        target: {ratio: 2.5},
        rounds: 5,
        async prepare() {
          csv = await customersCsv(context.dataDir, p3Rows)
          this.ours.command.splice(3, 0, csv)
          this.baseline.command.push(csv)
        },
        ours: {
          command: ctx('import', '--type', 'customer', '--store', p3Store, '--json'),
          before: () => rmSync(p3Store, {force: true}),
        },
        baseline: {command: [node, join(context.root, 'bench', 'csv-parse-loop.js')]},
      },
    ]
  },
}
