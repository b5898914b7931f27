import {describe, expect, it} from 'vitest'
import {emptyResultHint} from '../../../src/core/search/search.js'

describe('emptyResultHint', () => {
  it('points out a lower-case operator outside quotes, and nothing else', () => {
    expect(emptyResultHint('smith or jones')).toContain('OR in capitals')
    expect(emptyResultHint('(smith and jones)')).toContain('AND in capitals')
    expect(emptyResultHint('smith OR jones')).toBeUndefined()
    expect(emptyResultHint('"black or white" x')).toBeUndefined()
    expect(emptyResultHint('order andrew')).toBeUndefined()
  })
})
