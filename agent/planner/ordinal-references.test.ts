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

  it('reads a bare ordinal, the middle one, both of them, and ordinals over a list of incidents', () => {
    expect(resolveOrdinals('timeline for the third pls', prose)).toBe('timeline for api:default/search-api pls')
    expect(resolveOrdinals('what else uses the one in the middle', prose)).toBe('what else uses api:default/email-api')
    expect(resolveOrdinals('ok pls restart those two', list)).toBe('ok pls restart api:default/legacy-cart-rest-api and api:default/sms-api')
    const incidents = 'Two are open: inc-12-1 on shipping-service (component:default/shipping-service), and inc-12-2 on tracking-cache (resource:default/tracking-cache).'
    expect(resolveOrdinals('details on the first one', incidents)).toBe('details on inc-12-1')
    expect(resolveOrdinals('why did the second one happen', incidents)).toBe('why did inc-12-2 happen')
    // A kind said picks from the entities, not the incidents.
    expect(resolveOrdinals('who owns the second service', incidents)).toBe('who owns resource:default/tracking-cache')
    // "both" in a sentence that says something of both is left alone.
    expect(resolveOrdinals('both are slow', list)).toBe('both are slow')
  })

  it('leaves the question alone without a list, or past its end', () => {
    expect(resolveOrdinals('who owns the second one?', undefined)).toBe('who owns the second one?')
    expect(resolveOrdinals('who owns the fifth one?', list)).toBe('who owns the fifth one?')
    expect(resolveOrdinals('what is the first step to deploy?', list)).toBe('what is the first step to deploy?')
  })
})
