// Benchmarks beyond the targets, run only when asked (--extras, or --only X1,X2): the file store at
// the size it is meant for (~100k requests), where every command reads the whole file.
import {copyFileSync} from 'node:fs'
import {join} from 'node:path'
import {runChecked} from './harness.js'

export const extraBenchmarks = {
  extras: true,
  benchmarks(context) {
    const node = process.execPath
    const ctx = (...args) => [node, context.bin, ...args]
    const customers = context.quick ? 1000 : 10_000
    const seeded = join(context.scratch, 'extras-seed.json')
    const store = join(context.scratch, 'extras.json')
    let prepared = false
    const prepare = () => {
      if (prepared) return
      // 10 requests of 2 activities per customer: 100k requests and ~370k objects at full size.
      runChecked(ctx('seed', '--customers', String(customers), '--requests-per-customer', '10', '--activities-per-request', '2', '--seed', 'bench', '--now', context.now, '--store', seeded, '--json'), {env: context.env})
      prepared = true
    }
    const fresh = () => copyFileSync(seeded, store)
    return [
      {
        id: 'X1',
        what: `sweep ${(customers * 10).toLocaleString('en-US')} requests in a file store`,
        target: null,
        rounds: 3,
        async prepare() {
          prepare()
        },
        ours: {command: ctx('sweep', '--store', store, '--json'), before: fresh},
        // The least any read-modify-write of the file costs: read, parse, serialise, replace atomically.
        baseline: {
          command: [
            node,
            '--input-type=module',
            '-e',
            `import {readFileSync} from 'node:fs'; import w from 'write-file-atomic'; const p = ${JSON.stringify(store)}; await w(p, JSON.stringify(JSON.parse(readFileSync(p, 'utf8'))) + '\\n', {fsync: true})`,
          ],
          before: fresh,
        },
      },
      {
        id: 'X2',
        what: `search one customer by email in a file store of ${customers.toLocaleString('en-US')} customers`,
        target: null,
        rounds: 7,
        async prepare() {
          prepare()
          fresh()
          const email = JSON.parse(runChecked(ctx('search', 'type:customer', '--limit', '1', '--json', '--store', store), {env: context.env})).items[0].data.Context_Work_Email
          this.ours.command = ctx('customers', 'search', `Context_Work_Email:${email}`, '--store', store)
        },
        ours: {},
        baseline: {command: ctx('--version')},
      },
    ]
  },
}
