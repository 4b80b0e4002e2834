import { beforeAll, describe, expect, it } from 'vitest'
import { localOperator } from '../core/identity.ts'
import { memoryCatalog, SMALL_ORG } from '../core/testing/memory-catalog.ts'
import { catalogTools } from './catalog/catalog-tools.ts'
import { graphTools } from './graph/graph-tools.ts'
import { ToolRegistry } from './tool-registry.ts'

describe('catalog and graph tools', () => {
  let registry: ToolRegistry
  const call = async (name: string, input: unknown) => (await registry.call(name, input, { identity: localOperator() })).output as Record<string, any>

  beforeAll(async () => {
    const catalog = await memoryCatalog(SMALL_ORG)
    registry = new ToolRegistry().register(...catalogTools({ catalog }), ...graphTools({ catalog }))
  })

  it('registers the foundation tools with honest annotations and scopes', () => {
    expect(registry.list().map((tool) => tool.name).sort()).toEqual(
      ['catalog_get_entity', 'catalog_query', 'catalog_validate', 'catalog_who_owns', 'graph_cycles', 'graph_dependencies', 'graph_dependents', 'graph_owned_by', 'graph_parts', 'graph_path'].sort(),
    )
    for (const tool of registry.list()) {
      expect(tool.annotations.readOnlyHint).toBe(true)
      expect(tool.approval).toBe(false)
      expect(tool.scope).toMatch(/^(catalog|graph):read$/)
      expect(tool.examples?.length).toBeGreaterThan(0)
    }
  })

  it('catalog_get_entity returns the entity with relations', async () => {
    const output = await call('catalog_get_entity', { ref: 'component:checkout' })
    expect(output.ref).toBe('component:default/checkout')
    expect(output.entity.relations).toContainEqual({ type: 'providesApi', targetRef: 'api:default/checkout-api' })
  })

  it('catalog_query filters and pages with a cursor', async () => {
    const first = await call('catalog_query', { kind: 'component', limit: 2 })
    expect(first.totalItems).toBe(4)
    expect(first.items.map((item: { ref: string }) => item.ref)).toEqual(['component:default/checkout', 'component:default/fraud-check'])
    const second = await call('catalog_query', { kind: 'component', limit: 2, cursor: first.nextCursor })
    expect(second.items.map((item: { ref: string }) => item.ref)).toEqual(['component:default/payments', 'component:default/web'])
    expect(second.nextCursor).toBeUndefined()
    expect((await call('catalog_query', { owner: 'payments', kind: 'api' })).items.map((item: { ref: string }) => item.ref)).toEqual(['api:default/checkout-api', 'api:default/payments-api'])
    expect((await call('catalog_query', { lifecycle: 'experimental' })).items.map((item: { ref: string }) => item.ref)).toEqual(['component:default/fraud-check'])
    expect((await call('catalog_query', { system: 'checkout', type: 'database' })).items).toMatchObject([{ ref: 'resource:default/payments-db', owner: 'group:default/payments', system: 'system:default/checkout' }])
    expect((await call('catalog_query', { tag: 'frontend' })).items).toMatchObject([{ ref: 'component:default/web', title: 'Web Storefront' }])
  })

  it('catalog_query refuses a cursor from another query', async () => {
    const first = await call('catalog_query', { kind: 'component', limit: 1 })
    await expect(call('catalog_query', { kind: 'api', limit: 1, cursor: first.nextCursor })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('catalog_who_owns names the team, its contacts and members (with subgroups)', async () => {
    const output = await call('catalog_who_owns', { ref: 'payments-db' })
    expect(output.owners).toEqual([
      {
        ref: 'group:default/payments',
        title: 'Payments Team',
        type: 'team',
        parent: 'group:default/engineering',
        inCatalog: true,
        contacts: [{ type: 'email', value: 'payments@example.com' }, { type: 'slack.com/channel-name', value: '#team-payments' }],
        members: [
          { ref: 'user:default/ada', name: 'Ada Lovelace', email: 'ada@example.com', slackUserId: 'U001', teamsEmail: 'ada@example.com' },
          { ref: 'user:default/grace', name: 'Grace Hopper' },
        ],
      },
    ])
  })

  it('catalog_validate reports problems with entity and field', async () => {
    const output = await call('catalog_validate', { yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n  lifecycle: production\n' })
    expect(output.valid).toBe(false)
    expect(output.errors).toEqual([{ file: '<input>', entity: 'component:default/x', field: 'spec.owner', message: 'is required' }])
  })

  it('graph_dependents gives the blast radius and the owners to tell', async () => {
    const output = await call('graph_dependents', { ref: 'payments-db' })
    expect(output.ref).toBe('resource:default/payments-db')
    expect(output.dependents.map((item: { ref: string }) => item.ref)).toContain('component:default/web')
    expect(output.owners).toEqual(['group:default/fraud', 'group:default/payments', 'group:default/storefront'])
  })

  it('graph_dependencies, graph_path, graph_owned_by, graph_parts and graph_cycles answer', async () => {
    expect((await call('graph_dependencies', { ref: 'web', depth: 2 })).dependencies.map((item: { ref: string }) => item.ref)).toEqual(['api:default/checkout-api', 'component:default/checkout'])
    expect((await call('graph_path', { from: 'web', to: 'checkout-api' })).steps).toEqual([{ from: 'component:default/web', relation: 'consumesApi', to: 'api:default/checkout-api' }])
    const owned = await call('graph_owned_by', { group: 'payments', kind: 'component' })
    expect(owned.items.map((item: { ref: string }) => item.ref)).toEqual(['component:default/checkout', 'component:default/fraud-check', 'component:default/payments'])
    expect(owned.groups).toEqual(['group:default/payments', 'group:default/fraud'])
    expect((await call('graph_parts', { ref: 'domain:commerce' })).parts).toHaveLength(5)
    expect((await call('graph_cycles', {})).cycles).toEqual([])
  })

  it('answers an ambiguous or unknown name with an error that helps', async () => {
    await expect(call('graph_dependents', { ref: 'payments' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('ambiguous') })
    await expect(call('catalog_who_owns', { ref: 'paymnts-db' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('resource:default/payments-db') })
    await expect(call('graph_dependents', { ref: 'payments-db', depth: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'depth' }] })
  })
})
