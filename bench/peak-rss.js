// Runs a node script (the rest of argv) in this process and reports its peak RSS on stderr at exit.
import {writeSync} from 'node:fs'
import {pathToFileURL} from 'node:url'

const [script, ...args] = process.argv.slice(2)
process.argv = [process.argv[0], script, ...args]
process.on('exit', () => writeSync(2, `\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`))
await import(pathToFileURL(script).href)
