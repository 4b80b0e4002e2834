import { describe, expect, it } from 'vitest'
import { argumentsMatch, checkAnswer, ratio, refKindOf, selectionMatches, valueMatches } from './scoring.ts'

describe('selectionMatches', () => {
  it('compares tool names as a multiset, in any order', () => {
    expect(selectionMatches(['graph_dependents', 'catalog_who_owns'], ['catalog_who_owns', 'graph_dependents'])).toBe(true)
    expect(selectionMatches(['catalog_who_owns', 'catalog_who_owns'], ['catalog_who_owns', 'catalog_who_owns'])).toBe(true)
    expect(selectionMatches([], [])).toBe(true)
  })

  it('fails on a missing, extra, repeated or different tool', () => {
    expect(selectionMatches(['catalog_who_owns'], [])).toBe(false)
    expect(selectionMatches([], ['catalog_who_owns'])).toBe(false)
    expect(selectionMatches(['catalog_who_owns'], ['catalog_who_owns', 'catalog_who_owns'])).toBe(false)
    expect(selectionMatches(['catalog_who_owns', 'catalog_who_owns'], ['catalog_who_owns', 'graph_dependents'])).toBe(false)
    expect(selectionMatches(['graph_dependencies'], ['graph_dependents'])).toBe(false)
  })
})

describe('refKindOf', () => {
  it('reads the kind of a reference written with one', () => {
    expect(refKindOf('component:default/cart-service')).toBe('component')
    expect(refKindOf('Group:team-payments')).toBe('group')
  })

  it('is undefined for plain names, unknown kinds and text with colons', () => {
    expect(refKindOf('cart-service')).toBeUndefined()
    expect(refKindOf('widget:default/x')).toBeUndefined()
    expect(refKindOf('apiVersion: backstage.io/v1alpha1')).toBeUndefined()
    expect(refKindOf('component:default/cart service')).toBeUndefined()
  })
})

describe('valueMatches', () => {
  it('compares strings case-insensitively', () => {
    expect(valueMatches('API', 'api')).toBe(true)
    expect(valueMatches('deprecated', ' Deprecated ')).toBe(true)
    expect(valueMatches('deprecated', 'experimental')).toBe(false)
  })

  it('canonicalises entity references with the expected kind as the default', () => {
    const ref = 'component:default/cart-service'
    for (const actual of [ref, 'cart-service', 'default/cart-service', 'Component:Cart-Service', 'component:cart-service']) expect(valueMatches(ref, actual)).toBe(true)
    expect(valueMatches('group:default/team-payments', 'team-payments')).toBe(true)
    expect(valueMatches('group:default/team-payments', 'group:team-payments')).toBe(true)
  })

  it('rejects another entity, another kind, another namespace and unparsable references', () => {
    const ref = 'component:default/cart-service'
    expect(valueMatches(ref, 'cart')).toBe(false)
    expect(valueMatches(ref, 'Cart Service')).toBe(false)
    expect(valueMatches(ref, 'resource:cart-service')).toBe(false)
    expect(valueMatches(ref, 'other/cart-service')).toBe(false)
    expect(valueMatches(ref, 'a/b/c')).toBe(false)
    expect(valueMatches(ref, '')).toBe(false)
    expect(valueMatches('group:default/team-payments', 'payments')).toBe(false)
    expect(valueMatches(ref, 42)).toBe(false)
  })

  it('compares numbers, booleans and null exactly', () => {
    expect(valueMatches(2, 2)).toBe(true)
    expect(valueMatches(2, 3)).toBe(false)
    expect(valueMatches(2, '2')).toBe(false)
    expect(valueMatches(false, false)).toBe(true)
    expect(valueMatches(false, undefined)).toBe(false)
    expect(valueMatches(null, null)).toBe(true)
  })

  it('matches objects partially and deeply', () => {
    expect(valueMatches({ ref: 'component:default/cart-service' }, { ref: 'cart-service', depth: 3 })).toBe(true)
    expect(valueMatches({ a: { b: 'X' } }, { a: { b: 'x', c: 1 }, d: 2 })).toBe(true)
    expect(valueMatches({ ref: 'component:default/cart-service', depth: 1 }, { ref: 'cart-service' })).toBe(false)
    expect(valueMatches({ a: { b: 'x' } }, { a: 'x' })).toBe(false)
    expect(valueMatches({ a: 1 }, [1])).toBe(false)
    expect(valueMatches({}, {})).toBe(true)
  })

  it('matches each expected array element to a different actual element, in any order', () => {
    expect(valueMatches(['a', 'b'], ['b', 'c', 'A'])).toBe(true)
    expect(valueMatches(['a', 'a'], ['a'])).toBe(false)
    expect(valueMatches(['a'], 'a')).toBe(false)
  })
})

describe('argumentsMatch', () => {
  const owns = (ref: string) => ({ name: 'catalog_who_owns', input: { ref } })

  it('pairs expected and actual calls of the same tool in any order', () => {
    const expected = [owns('resource:default/payments-db'), owns('resource:default/ledger-db')]
    expect(argumentsMatch(expected, [owns('ledger-db'), owns('payments-db')])).toBe(true)
  })

  it('uses each actual call once', () => {
    expect(argumentsMatch([owns('resource:default/payments-db'), owns('resource:default/ledger-db')], [owns('payments-db'), owns('payments-db')])).toBe(false)
  })

  it('fails when an expected key is missing or differs', () => {
    expect(argumentsMatch([{ name: 'graph_dependencies', input: { ref: 'component:default/order-service', depth: 1 } }], [{ name: 'graph_dependencies', input: { ref: 'order-service' } }])).toBe(false)
    expect(argumentsMatch([{ name: 'catalog_query', input: { owner: 'group:default/team-payments' } }], [{ name: 'catalog_query', input: { owner: 'payments' } }])).toBe(false)
    expect(argumentsMatch([owns('component:default/cart-service')], [{ name: 'graph_dependents', input: { ref: 'cart-service' } }])).toBe(false)
  })

  it('compares inputs after normalisation, so an omitted default equals it', () => {
    const expected = [{ name: 'graph_dependencies', input: { ref: 'component:default/refund-service', depth: 3 } }]
    const actual = [{ name: 'graph_dependencies', input: { ref: 'refund-service' } }]
    expect(argumentsMatch(expected, actual)).toBe(false)
    expect(argumentsMatch(expected, actual, (_, input) => ({ depth: 3, ...(input as object) }))).toBe(true)
  })

  it('needs only a call of the right name when no input is expected', () => {
    expect(argumentsMatch([{ name: 'graph_cycles' }], [{ name: 'graph_cycles', input: {} }])).toBe(true)
    expect(argumentsMatch([{ name: 'catalog_validate' }], [{ name: 'catalog_validate', input: { yaml: 'kind: Component' } }])).toBe(true)
  })
})

describe('checkAnswer', () => {
  it('passes when every fact is present (any case) and no wrong one is', () => {
    expect(checkAnswer('payments-db is owned by Team-Payments (#team-payments)', { contains: ['team-payments', '#TEAM-PAYMENTS'], excludes: ['team-billing'] })).toEqual({ passed: true, missing: [], forbidden: [] })
    expect(checkAnswer('anything', {})).toEqual({ passed: true, missing: [], forbidden: [] })
  })

  it('names what is missing and what is forbidden', () => {
    expect(checkAnswer('owned by team-billing', { contains: ['team-payments'], excludes: ['TEAM-BILLING'] })).toEqual({ passed: false, missing: ['team-payments'], forbidden: ['TEAM-BILLING'] })
  })
})

describe('ratio', () => {
  it('is null when nothing was measured', () => {
    expect(ratio(0, 0)).toBeNull()
    expect(ratio(3, 4)).toBe(0.75)
  })
})
