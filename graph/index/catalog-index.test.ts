import { describe, expect, it } from 'vitest'
import type { StoredEntity } from '../catalog/catalog-repository.ts'
import type { Entity } from '../model/entity.ts'
import { CatalogIndex } from './catalog-index.ts'

function stored(entity: Entity): StoredEntity {
  const ref = `${entity.kind}:default/${entity.metadata.name}`.toLowerCase()
  return { ref, uid: `uid-${ref}`, etag: 'e', origin: 'test', source: 'test.yaml', entity }
}
const group = (name: string, spec: Record<string, unknown>) => stored({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [], ...spec } })
const service = (name: string, owner: string) => stored({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', lifecycle: 'production', owner } })

describe('CatalogIndex', () => {
  it('derives relations in both directions from each entity', () => {
    const index = new CatalogIndex([service('api', 'team-a'), group('team-a', {})])
    expect(index.relationsOf('component:default/api')).toEqual([{ type: 'ownedBy', targetRef: 'group:default/team-a' }])
    expect(index.relationsOf('group:default/team-a')).toEqual([{ type: 'ownerOf', targetRef: 'component:default/api' }])
  })

  it('keeps a relation stated by two entities once, until both stop stating it', () => {
    // parent's `children` and child's `parent` both state parentOf/childOf.
    const index = new CatalogIndex([group('parent', { children: ['child'] }), group('child', { parent: 'parent' })])
    expect(index.relationsOf('group:default/parent')).toEqual([{ type: 'parentOf', targetRef: 'group:default/child' }])
    index.apply({ upserted: [group('parent', { children: [] })], removed: [] })
    expect(index.relationsOf('group:default/parent')).toEqual([{ type: 'parentOf', targetRef: 'group:default/child' }])
    index.apply({ upserted: [group('child', {})], removed: [] })
    expect(index.relationsOf('group:default/parent')).toEqual([])
    expect(index.relationsOf('group:default/child')).toEqual([])
  })

  it('moves relations when an entity changes, and drops them when it is removed', () => {
    const index = new CatalogIndex([service('api', 'team-a'), group('team-a', {}), group('team-b', {})])
    const revision = index.revision
    index.apply({ upserted: [service('api', 'team-b')], removed: [] })
    expect(index.revision).toBeGreaterThan(revision)
    expect(index.targets('group:default/team-a', 'ownerOf')).toEqual([])
    expect(index.targets('group:default/team-b', 'ownerOf')).toEqual(['component:default/api'])
    index.apply({ upserted: [], removed: ['component:default/api'] })
    expect(index.has('component:default/api')).toBe(false)
    expect(index.targets('group:default/team-b', 'ownerOf')).toEqual([])
    expect(index.refsOfKind('Component').size).toBe(0)
  })

  it('serves entities with their relations and keeps value indexes current', () => {
    const index = new CatalogIndex([service('api', 'team-a')])
    expect(index.get('component:default/api')!.relations).toEqual([{ type: 'ownedBy', targetRef: 'group:default/team-a' }])
    expect([...index.withValue('relations.ownedby', 'group:default/team-a')]).toEqual(['component:default/api'])
    index.apply({ upserted: [service('api', 'team-b')], removed: [] })
    expect([...index.withValue('relations.ownedby', 'group:default/team-a')]).toEqual([])
    expect([...index.withValue('spec.owner', 'team-b')]).toEqual(['component:default/api'])
  })

  it('keeps an unknown kind verbatim without relations', () => {
    const index = new CatalogIndex([stored({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { owner: 'team-a' } })])
    expect(index.get('widget:default/w')!.spec).toEqual({ owner: 'team-a' })
    expect(index.relationsOf('widget:default/w')).toEqual([])
  })
})

describe('CatalogIndex value indexes', () => {
  it('stay correct through changes without being rebuilt, also for entities at the other end of a relation', () => {
    const index = new CatalogIndex([service('api', 'team-a'), service('web', 'team-a'), group('team-a', {}), group('team-b', {})])
    // Build the indexes first, as a query would.
    expect([...index.withValue('relations.ownedby', 'group:default/team-a')].sort()).toEqual(['component:default/api', 'component:default/web'])
    expect([...index.withValue('relations.ownerof', 'component:default/api')]).toEqual(['group:default/team-a'])
    expect([...index.withValue('metadata.name', 'api')]).toEqual(['component:default/api'])
    index.apply({ upserted: [service('api', 'team-b')], removed: ['component:default/web'] })
    expect([...index.withValue('relations.ownedby', 'group:default/team-a')]).toEqual([])
    expect([...index.withValue('relations.ownedby', 'group:default/team-b')]).toEqual(['component:default/api'])
    // The groups' own flattening changed too: ownerOf moved from team-a to team-b.
    expect([...index.withValue('relations.ownerof', 'component:default/api')]).toEqual(['group:default/team-b'])
    expect([...index.withValue('metadata.name', 'web')]).toEqual([])
    index.apply({ upserted: [service('new-one', 'team-a')], removed: [] })
    expect([...index.withValue('metadata.name', 'new-one')]).toEqual(['component:default/new-one'])
    expect([...index.withValue('relations.ownerof', 'component:default/new-one')]).toEqual(['group:default/team-a'])
  })
})

describe('CatalogIndex JSON cache', () => {
  it('serves an entity as JSON with its relations, and refreshes it when it or a related entity changes', () => {
    const index = new CatalogIndex([service('api', 'team-a'), group('team-a', {}), group('team-b', {})])
    expect(JSON.parse(index.json('group:default/team-a')!).relations).toEqual([{ type: 'ownerOf', targetRef: 'component:default/api' }])
    index.apply({ upserted: [service('api', 'team-b')], removed: [] })
    expect(JSON.parse(index.json('component:default/api')!).spec.owner).toBe('team-b')
    // team-a did not change itself, but its relations did.
    expect(JSON.parse(index.json('group:default/team-a')!).relations).toEqual([])
    expect(JSON.parse(index.json('group:default/team-b')!).relations).toEqual([{ type: 'ownerOf', targetRef: 'component:default/api' }])
    expect(index.json('component:default/nope')).toBeUndefined()
  })
})
