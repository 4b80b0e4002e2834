import { describe, expect, it } from 'vitest'
import { listedRefs, resolveOrdinals } from './ordinal-references.ts'

const list = '2 entities\n- api:default/legacy-cart-rest-api (owner group:default/team-checkout)\n- api:default/sms-api (owner group:default/team-platform)'
const prose = '3 match: Cart API (api:default/cart-api), Email API (api:default/email-api), Search API (api:default/search-api).'

describe('ordinal references to a previous answer', () => {
  it('lists the entities an answer named, in order, without the owners beside them', () => {
    expect(listedRefs(list)).toEqual(['api:default/legacy-cart-rest-api', 'api:default/sms-api'])
    expect(listedRefs(prose)).toEqual(['api:default/cart-api', 'api:default/email-api', 'api:default/search-api'])
    expect(listedRefs('Payments (group:default/team-payments) owns 2 entities.')).toEqual(['group:default/team-payments'])
  })

  it('replaces "the second one", "the last one", "the 3rd result" with that entity', () => {
    expect(resolveOrdinals('and which team owns the second one?', list)).toBe('and which team owns api:default/sms-api?')
    expect(resolveOrdinals('who owns the last one', prose)).toBe('who owns api:default/search-api')
    expect(resolveOrdinals('what does the 3rd result depend on', prose)).toBe('what does api:default/search-api depend on')
  })

  it('leaves the question alone without a list, or past its end', () => {
    expect(resolveOrdinals('who owns the second one?', undefined)).toBe('who owns the second one?')
    expect(resolveOrdinals('who owns the fifth one?', list)).toBe('who owns the fifth one?')
    expect(resolveOrdinals('what is the first step to deploy?', list)).toBe('what is the first step to deploy?')
  })
})
