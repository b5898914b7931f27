// The import pipeline (dist/core/io/import.js) into a store that commits every 5000 rows and keeps
// nothing: its peak RSS is the pipeline's own, which must not grow with the file. Run by bench/import.js.
import {importFile} from '../dist/core/io/import.js'
import {newState, StateTransaction} from '../dist/core/storage/state.js'

const now = new Date().toISOString()
let committed = 0
const sink = {
  location: 'sink:',
  capabilities: {indexedSearch: false, shared: false, importBatchSize: 5000},
  definitions: async () => newState('lab', now).definitions,
  transaction: async (work) => {
    const tx = new StateTransaction(newState('lab', now))
    const result = await work(tx)
    committed += tx.changed ? 1 : 0
    return result
  },
}
const summary = await importFile({store: sink, clock: () => new Date(), actor: 'bench'}, {file: process.argv[2], type: 'customer'})
console.log(JSON.stringify({...summary, commits: committed}))
