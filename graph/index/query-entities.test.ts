import { beforeAll, describe, expect, it } from 'vitest'
import { memoryCatalog, SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import type { Catalog } from '../catalog/catalog.ts'
import { parseBackstageFilter, queryEntities } from './query-entities.ts'

describe('queryEntities with Backstage filters', () => {
  let catalog: Catalog
  beforeAll(async () => {
    catalog = await memoryCatalog(SMALL_ORG)
  })
  const run = (filters: string[], options: Parameters<typeof queryEntities>[1] = {}) => queryEntities(catalog.index, { filter: parseBackstageFilter(filters), ...options })

  it('ANDs conditions within a filter, case-insensitively', () => {
    expect(run(['kind=Component,spec.type=SERVICE'])).toEqual(['component:default/checkout', 'component:default/fraud-check', 'component:default/payments'])
  })

  it('ORs separate filters', () => {
    expect(run(['kind=api', 'kind=resource'])).toEqual(['api:default/checkout-api', 'api:default/payments-api', 'resource:default/payments-db'])
  })

  it('matches any of several values for one key, array elements and relations', () => {
    expect(run(['metadata.name=web,metadata.name=payments'])).toEqual(['component:default/payments', 'component:default/web', 'group:default/payments'])
    expect(run(['metadata.tags=java'])).toEqual(['component:default/payments'])
    expect(run(['relations.ownedby=group:default/fraud'])).toEqual(['component:default/fraud-check'])
    expect(run(['kind=group,relations.childof=group:default/engineering'])).toEqual(['group:default/payments', 'group:default/storefront'])
  })

  it('supports existence conditions and annotations', () => {
    expect(run(['metadata.annotations.slack.com/user-id'])).toEqual(['user:default/ada'])
    expect(run(['kind=user,metadata.annotations.slack.com/user-id=u001'])).toEqual(['user:default/ada'])
  })

  it('filters by full text and orders by a field', () => {
    expect(run([], { fullText: 'money' })).toEqual(['component:default/checkout'])
    expect(run(['kind=component'], { orderBy: { field: 'metadata.title', order: 'desc' } })[0]).toBe('component:default/web')
  })

  it('rejects a condition without a key', () => {
    expect(() => parseBackstageFilter(['=component'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})
