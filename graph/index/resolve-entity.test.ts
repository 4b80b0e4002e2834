import { beforeAll, describe, expect, it } from 'vitest'
import { memoryCatalog, SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import type { Catalog } from '../catalog/catalog.ts'
import { resolveEntityRef } from './resolve-entity.ts'

describe('resolveEntityRef', () => {
  let catalog: Catalog
  beforeAll(async () => {
    catalog = await memoryCatalog(SMALL_ORG)
  })

  it('resolves full, kind-qualified and bare names, case-insensitively', () => {
    expect(resolveEntityRef(catalog.index, 'component:default/web')).toBe('component:default/web')
    expect(resolveEntityRef(catalog.index, 'Resource:Payments-DB')).toBe('resource:default/payments-db')
    expect(resolveEntityRef(catalog.index, 'fraud-check')).toBe('component:default/fraud-check')
    expect(resolveEntityRef(catalog.index, 'payments', { defaultKind: 'group' })).toBe('group:default/payments')
  })

  it('refuses an ambiguous bare name, listing the candidates', () => {
    expect(() => resolveEntityRef(catalog.index, 'payments')).toThrow(/ambiguous: component:default\/payments, group:default\/payments/)
  })

  it('refuses an unknown name, suggesting similar ones, never guessing', () => {
    expect(() => resolveEntityRef(catalog.index, 'fraud-chek')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('did you mean component:default/fraud-check') }))
    expect(() => resolveEntityRef(catalog.index, 'component:default/nothing-like-it')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })
})
