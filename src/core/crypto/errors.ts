// Why the data of a store cannot be read or written: no key, the wrong key, a data key destroyed
// with its customer, a value that fails authentication. Exit 7 (storage unavailable), like a
// store that cannot be opened: nothing is printed from it and nothing in it changes.
import {StorageError} from '../errors.js'

export class KeyError extends StorageError {}
