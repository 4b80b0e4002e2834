import { beforeAll, describe, expect, it } from 'vitest'
import { memoryCatalog, SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import type { Catalog } from '../catalog/catalog.ts'
import { dependenciesOf, dependencyCycles, dependentsOf, groupWithSubgroups, ownedBy, partsOf, shortestPath } from './graph-traversals.ts'

describe('graph traversals', () => {
  let catalog: Catalog
  beforeAll(async () => {
    catalog = await memoryCatalog(SMALL_ORG)
  })

  it('walks dependencies through dependsOn, consumed APIs and their providers, by depth', () => {
    const reached = dependenciesOf(catalog.index, 'component:default/web', 10)
    expect(reached.map((item) => [item.ref, item.depth, item.relation])).toEqual([
      ['api:default/checkout-api', 1, 'consumesApi'],
      ['component:default/checkout', 2, 'apiProvidedBy'],
      ['api:default/payments-api', 3, 'consumesApi'],
      ['component:default/payments', 4, 'apiProvidedBy'],
      ['resource:default/payments-db', 5, 'dependsOn'],
    ])
    expect(dependenciesOf(catalog.index, 'component:default/web', 2).map((item) => item.ref)).toEqual(['api:default/checkout-api', 'component:default/checkout'])
  })

  it('finds the blast radius upstream, with the owners of each affected entity', () => {
    const reached = dependentsOf(catalog.index, 'resource:default/payments-db', 10)
    expect(reached.map((item) => [item.ref, item.depth, item.owners])).toEqual([
      ['component:default/fraud-check', 1, ['group:default/fraud']],
      ['component:default/payments', 1, ['group:default/payments']],
      ['api:default/payments-api', 2, ['group:default/payments']],
      ['component:default/checkout', 3, ['group:default/payments']],
      ['api:default/checkout-api', 4, ['group:default/payments']],
      ['component:default/web', 5, ['group:default/storefront']],
    ])
    expect(dependentsOf(catalog.index, 'resource:default/payments-db', 1)).toHaveLength(2)
  })

  it('throws NOT_FOUND for an unknown start', () => {
    expect(() => dependentsOf(catalog.index, 'component:default/nope', 3)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('finds the shortest path over any relation', () => {
    const path = shortestPath(catalog.index, 'user:default/grace', 'resource:default/payments-db')!
    expect(path).toHaveLength(3)
    expect(path[0]).toEqual({ from: 'user:default/grace', relation: 'memberOf', to: 'group:default/fraud' })
    expect(path.at(-1)!.to).toBe('resource:default/payments-db')
    // Each step is a relation the catalog really has, and the steps chain.
    path.forEach((step, position) => {
      expect(catalog.index.targets(step.from, step.relation)).toContain(step.to)
      if (position > 0) expect(step.from).toBe(path[position - 1]!.to)
    })
    expect(shortestPath(catalog.index, 'component:default/web', 'api:default/checkout-api')).toEqual([{ from: 'component:default/web', relation: 'consumesApi', to: 'api:default/checkout-api' }])
    expect(shortestPath(catalog.index, 'component:default/web', 'component:default/web')).toEqual([])
  })

  it('returns undefined when no path exists', async () => {
    const islands = await memoryCatalog(`${SMALL_ORG}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: island }
spec: { type: service, lifecycle: production, owner: 'group:default/nobody' }
`)
    expect(shortestPath(islands.index, 'component:default/island', 'component:default/web')).toBeUndefined()
  })

  it('lists what a group owns, including its subgroups', () => {
    expect(groupWithSubgroups(catalog.index, 'group:default/payments')).toEqual(['group:default/payments', 'group:default/fraud'])
    const owned = ownedBy(catalog.index, 'group:default/payments')
    expect(owned).toContainEqual({ ref: 'component:default/fraud-check', owner: 'group:default/fraud' })
    expect(owned).toContainEqual({ ref: 'resource:default/payments-db', owner: 'group:default/payments' })
    expect(owned.map((item) => item.ref)).not.toContain('component:default/web')
    expect(ownedBy(catalog.index, 'group:default/payments', { includeSubgroups: false }).map((item) => item.ref)).not.toContain('component:default/fraud-check')
  })

  it('lists the parts of a domain and its systems', () => {
    expect(partsOf(catalog.index, 'domain:default/commerce')).toEqual([
      { ref: 'system:default/checkout', partOf: 'domain:default/commerce', depth: 1 },
      { ref: 'api:default/checkout-api', partOf: 'system:default/checkout', depth: 2 },
      { ref: 'component:default/checkout', partOf: 'system:default/checkout', depth: 2 },
      { ref: 'component:default/payments', partOf: 'system:default/checkout', depth: 2 },
      { ref: 'resource:default/payments-db', partOf: 'system:default/checkout', depth: 2 },
    ])
  })

  it('detects dependency cycles, and none where there are none', async () => {
    expect(dependencyCycles(catalog.index)).toEqual([])
    const cyclic = await memoryCatalog(`
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: a }
spec: { type: service, lifecycle: production, owner: x, dependsOn: ['component:b'] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: b }
spec: { type: service, lifecycle: production, owner: x, dependsOn: ['component:c'] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: c }
spec: { type: service, lifecycle: production, owner: x, dependsOn: ['component:a'] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: d }
spec: { type: service, lifecycle: production, owner: x, dependsOn: ['component:a', 'component:d'] }
`)
    expect(dependencyCycles(cyclic.index)).toEqual(expect.arrayContaining([['component:default/a', 'component:default/b', 'component:default/c'], ['component:default/d']]))
    expect(dependencyCycles(cyclic.index)).toHaveLength(2)
  })
})
