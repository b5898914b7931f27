// The P3 baseline: a bare csv-parse loop over a file, nothing else.
import {createReadStream} from 'node:fs'
import {parse} from 'csv-parse'

let rows = 0
for await (const record of createReadStream(process.argv[2]).pipe(parse())) if (record) rows++
console.log(rows)
