import {systemClock} from '../../src/core/clock.js'
import {openStore} from '../../src/core/storage/open.js'
import {searchContract} from './search-contract.js'
import {storeContract} from './store-contract.js'

let count = 0
storeContract('memory:', {
  open: () => openStore(`memory:contract-${process.pid}-${count++}`, {clock: systemClock}),
})

searchContract('memory:', {
  open: () => openStore(`memory:search-${process.pid}-${count++}`, {clock: systemClock}),
})
