// Store URLs fit to print: the password masked whatever the URL's shape, parseable or not.
import {describe, expect, it} from 'vitest'
import {redactUrl} from '../../src/core/storage/open.js'

describe('redactUrl', () => {
  const cases: [string, string][] = [
    ['postgres://root:Zq9@127.0.0.1:5432/x', 'postgres://root:***@127.0.0.1:5432/x'],
    ['postgres://root:pa/Zq9@127.0.0.1:1/x', 'postgres://root:***@127.0.0.1:1/x'],
    ['postgres://root:p#Zq9@127.0.0.1:1/x', 'postgres://root:***@127.0.0.1:1/x'],
    ['postgres://root:p?Zq9@127.0.0.1:1/x', 'postgres://root:***@127.0.0.1:1/x'],
    ['postgres://root:p@Zq9@127.0.0.1:1/x', 'postgres://root:***@127.0.0.1:1/x'],
    ['postgres:root:Zq9@127.0.0.1/x', 'postgres:root:***@127.0.0.1/x'],
    ['postgres://127.0.0.1/x?user=root&password=Zq9&schema=s', 'postgres://127.0.0.1/x?user=root&password=***&schema=s'],
    ['host=db password=Zq9 user=root', 'host=db password=*** user=root'],
  ]
  for (const [url, shown] of cases) {
    it(`masks ${JSON.stringify(url)}`, () => {
      expect(redactUrl(url)).toBe(shown)
    })
  }

  it('leaves a URL without a password as it is', () => {
    for (const url of ['postgres://root@127.0.0.1:5432/test?schema=a', 'memory:', '/home/me/store.json', 'file:/tmp/a.json']) expect(redactUrl(url)).toBe(url)
  })
})
