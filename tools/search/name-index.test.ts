import { describe, expect, it } from 'vitest'
import { NameIndex } from './name-index.ts'

describe('NameIndex', () => {
  const index = new NameIndex()
  index.setNames('component:default/payments-api', ['payments-api', 'Payments API'])
  index.setNames('component:default/pay-later', ['pay-later'])
  index.setNames('component:default/checkout-api', ['checkout-api', 'Checkout API'])
  index.addVocabulary('Orchestrates checkout and reconciliation')

  it('matches exact words, prefixes and typos, best first, and the whole name above all', () => {
    expect(index.match('payments', ['payments'], 5)[0]!.ref).toBe('component:default/payments-api')
    expect(index.match('paym', ['paym'], 5).map((match) => match.ref)).toEqual(['component:default/payments-api'])
    expect(index.match('chekout', ['chekout'], 5)[0]).toMatchObject({ ref: 'component:default/checkout-api', matched: [{ word: 'chekout', as: 'checkout', how: 'typo' }] })
    expect(index.match('checkout api', ['checkout', 'api'], 5)[0]!.ref).toBe('component:default/checkout-api')
  })

  it('corrects misspelt words towards names and document words, and leaves known ones alone', () => {
    expect(index.correct('reconcilation')).toBe('reconciliation')
    expect(index.correct('checkout')).toBeUndefined()
    expect(index.correct('zzzzzz')).toBeUndefined()
  })

  it('counts the texts a word reaches, whole when known, else as the prefix full text searches it as', () => {
    const words = new NameIndex()
    words.addVocabulary('rest endpoints of the resource')
    words.addVocabulary('a rest client')
    expect(words.reach('rest')).toBe(2)
    expect(words.reach('res')).toBe(3)
    expect(words.reach('re')).toBe(0)
    expect(words.reach('zebra')).toBe(0)
  })

  it('forgets removed entities', () => {
    index.remove('component:default/pay-later')
    expect(index.match('pay', ['pay'], 5).map((match) => match.ref)).toEqual(['component:default/payments-api'])
    expect(index.match('pay later', ['pay', 'later'], 5).map((match) => match.ref)).toEqual(['component:default/payments-api'])
    expect(index.size).toBe(2)
    index.setNames('component:default/pay-later', ['pay-later', 'Deferred Payments'])
    index.setNames('component:default/pay-later', ['pay-later', 'Buy Now Pay Later'])
    expect(index.size).toBe(3)
    expect(index.match('buy now pay later', ['buy', 'now', 'pay', 'later'], 5)[0]).toMatchObject({ ref: 'component:default/pay-later', score: expect.any(Number) })
    expect(index.match('deferred payments', ['deferred', 'payments'], 5).map((match) => match.ref)).not.toContain('component:default/pay-later')
  })

  it('ranks names with the rare words first when a common word is on thousands of names', () => {
    const large = new NameIndex()
    for (let n = 0; n < 1_500; n++) large.setNames(`component:default/ledger-worker-${n}`, [`ledger-worker-${n}`])
    for (let n = 0; n < 60; n++) large.setNames(`component:default/payout-events-${n}`, [`payout-events-${n}`])
    large.setNames('component:default/payout-worker-7', ['payout-worker-7'])
    const found = large.match('payout worker', ['payout', 'worker'], 50)
    expect(found[0]).toMatchObject({ ref: 'component:default/payout-worker-7', matched: [{ as: 'payout' }, { as: 'worker' }] })
    expect(found).toHaveLength(50)
    expect(found.slice(1).every((match) => match.ref.startsWith('component:default/payout-events-'))).toBe(true)
    expect(large.match('ledger worker 42', ['ledger', 'worker', '42'], 5)[0]!.ref).toBe('component:default/ledger-worker-42')
  })
})
