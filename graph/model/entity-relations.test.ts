import { describe, expect, it } from 'vitest'
import type { Entity } from './entity.ts'
import { KNOWN_KINDS } from './entity.ts'
import { emitRelations, entityRefOf, RELATION_RULES, RELATION_TYPES, type EmittedRelation } from './entity-relations.ts'

function entity(kind: string, name: string, spec: Record<string, unknown>, namespace?: string): Entity {
  return {
    apiVersion: kind === 'Template' ? 'scaffolder.backstage.io/v1beta3' : 'backstage.io/v1alpha1',
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
    spec,
  }
}

/** Relations as `source type target` lines, sorted, so assertions read like the graph. */
function lines(relations: EmittedRelation[]): string[] {
  return relations.map((relation) => `${relation.source} ${relation.type} ${relation.target}`).sort()
}

describe('RELATION_RULES', () => {
  it('has rules for every known kind', () => {
    expect(Object.keys(RELATION_RULES).sort()).toEqual([...KNOWN_KINDS].sort())
  })

  it('uses Backstage\'s default kind for each field, and none for dependsOn/dependencyOf', () => {
    const defaults: Record<string, string | undefined> = {}
    for (const [kind, rules] of Object.entries(RELATION_RULES)) {
      for (const rule of rules) defaults[`${kind}.${rule.field}`] = rule.defaultKind
    }
    expect(defaults).toEqual({
      'Component.owner': 'Group',
      'Component.subcomponentOf': 'Component',
      'Component.providesApis': 'API',
      'Component.consumesApis': 'API',
      'Component.dependsOn': undefined,
      'Component.dependencyOf': undefined,
      'Component.system': 'System',
      'API.owner': 'Group',
      'API.system': 'System',
      'Resource.owner': 'Group',
      'Resource.dependsOn': undefined,
      'Resource.dependencyOf': undefined,
      'Resource.system': 'System',
      'System.owner': 'Group',
      'System.domain': 'Domain',
      'Domain.owner': 'Group',
      'Domain.subdomainOf': 'Domain',
      'Group.parent': 'Group',
      'Group.children': 'Group',
      'Group.members': 'User',
      'User.memberOf': 'Group',
      'Template.owner': 'Group',
    })
    expect(RELATION_RULES.Location).toEqual([])
  })

  it('pairs each outgoing relation with its Backstage inverse', () => {
    const inverse: Record<string, string> = {
      ownedBy: 'ownerOf', partOf: 'hasPart', providesApi: 'apiProvidedBy', consumesApi: 'apiConsumedBy',
      dependsOn: 'dependencyOf', dependencyOf: 'dependsOn', childOf: 'parentOf', parentOf: 'childOf',
      memberOf: 'hasMember', hasMember: 'memberOf',
    }
    for (const rules of Object.values(RELATION_RULES)) {
      for (const rule of rules) {
        expect(inverse[rule.outgoing], `${rule.field}: ${rule.outgoing}`).toBe(rule.incoming)
        expect(RELATION_TYPES).toContain(rule.outgoing)
        expect(RELATION_TYPES).toContain(rule.incoming)
      }
    }
  })
})

describe('entityRefOf', () => {
  it('is the canonical lower-case reference, in the default namespace when none is given', () => {
    expect(entityRefOf(entity('Component', 'Checkout', {}))).toBe('component:default/checkout')
    expect(entityRefOf(entity('API', 'Orders', {}, 'Payments'))).toBe('api:payments/orders')
  })
})

describe('emitRelations', () => {
  it('Component: owner, system, subcomponentOf, providesApis, consumesApis, dependsOn, dependencyOf', () => {
    const { relations, problems } = emitRelations(entity('Component', 'checkout', {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-a',
      system: 'payments',
      subcomponentOf: 'shop',
      providesApis: ['orders-api', 'api:ops/admin-api'],
      consumesApis: ['stock-api'],
      dependsOn: ['resource:orders-db', 'component:ops/auth'],
      dependencyOf: ['component:storefront'],
    }))
    expect(problems).toEqual([])
    const self = 'component:default/checkout'
    expect(lines(relations)).toEqual([
      `${self} consumesApi api:default/stock-api`,
      `${self} dependencyOf component:default/storefront`,
      `${self} dependsOn component:ops/auth`,
      `${self} dependsOn resource:default/orders-db`,
      `${self} ownedBy group:default/team-a`,
      `${self} partOf component:default/shop`,
      `${self} partOf system:default/payments`,
      `${self} providesApi api:default/orders-api`,
      `${self} providesApi api:ops/admin-api`,
      `api:default/orders-api apiProvidedBy ${self}`,
      `api:default/stock-api apiConsumedBy ${self}`,
      `api:ops/admin-api apiProvidedBy ${self}`,
      `component:default/shop hasPart ${self}`,
      `component:default/storefront dependsOn ${self}`,
      `component:ops/auth dependencyOf ${self}`,
      `group:default/team-a ownerOf ${self}`,
      `resource:default/orders-db dependencyOf ${self}`,
      `system:default/payments hasPart ${self}`,
    ].sort())
  })

  it('names the stating field on the outgoing relation only, with the array index', () => {
    const { relations } = emitRelations(entity('Component', 'checkout', { owner: 'team-a', providesApis: ['a', 'b'] }))
    expect(relations).toEqual([
      { source: 'component:default/checkout', type: 'ownedBy', target: 'group:default/team-a', field: 'spec.owner' },
      { source: 'group:default/team-a', type: 'ownerOf', target: 'component:default/checkout' },
      { source: 'component:default/checkout', type: 'providesApi', target: 'api:default/a', field: 'spec.providesApis[0]' },
      { source: 'api:default/a', type: 'apiProvidedBy', target: 'component:default/checkout' },
      { source: 'component:default/checkout', type: 'providesApi', target: 'api:default/b', field: 'spec.providesApis[1]' },
      { source: 'api:default/b', type: 'apiProvidedBy', target: 'component:default/checkout' },
    ])
  })

  it('API: owner and system', () => {
    const { relations, problems } = emitRelations(entity('API', 'orders', { type: 'openapi', lifecycle: 'production', owner: 'user:jdoe', system: 'payments', definition: 'openapi: 3.0.0' }))
    expect(problems).toEqual([])
    expect(lines(relations)).toEqual([
      'api:default/orders ownedBy user:default/jdoe',
      'api:default/orders partOf system:default/payments',
      'system:default/payments hasPart api:default/orders',
      'user:default/jdoe ownerOf api:default/orders',
    ])
  })

  it('Resource: owner, system, dependsOn, dependencyOf', () => {
    const { relations, problems } = emitRelations(entity('Resource', 'orders-db', { type: 'database', owner: 'team-a', system: 'payments', dependsOn: ['resource:disk'], dependencyOf: ['component:checkout'] }))
    expect(problems).toEqual([])
    const self = 'resource:default/orders-db'
    expect(lines(relations)).toEqual([
      `${self} dependencyOf component:default/checkout`,
      `${self} dependsOn resource:default/disk`,
      `${self} ownedBy group:default/team-a`,
      `${self} partOf system:default/payments`,
      `component:default/checkout dependsOn ${self}`,
      `group:default/team-a ownerOf ${self}`,
      `resource:default/disk dependencyOf ${self}`,
      `system:default/payments hasPart ${self}`,
    ].sort())
  })

  it('System: owner and domain', () => {
    const { relations } = emitRelations(entity('System', 'payments', { owner: 'team-a', domain: 'commerce' }))
    expect(lines(relations)).toEqual([
      'domain:default/commerce hasPart system:default/payments',
      'group:default/team-a ownerOf system:default/payments',
      'system:default/payments ownedBy group:default/team-a',
      'system:default/payments partOf domain:default/commerce',
    ])
  })

  it('Domain: owner and subdomainOf', () => {
    const { relations } = emitRelations(entity('Domain', 'payments', { owner: 'team-a', subdomainOf: 'commerce' }))
    expect(lines(relations)).toEqual([
      'domain:default/commerce hasPart domain:default/payments',
      'domain:default/payments ownedBy group:default/team-a',
      'domain:default/payments partOf domain:default/commerce',
      'group:default/team-a ownerOf domain:default/payments',
    ])
  })

  it('Group: parent, children, members', () => {
    const { relations, problems } = emitRelations(entity('Group', 'team-a', { type: 'team', parent: 'backend', children: ['team-a1', 'team-a2'], members: ['jdoe', 'group:not-a-user'] }))
    expect(problems).toEqual([])
    const self = 'group:default/team-a'
    expect(lines(relations)).toEqual([
      `${self} childOf group:default/backend`,
      `${self} hasMember group:default/not-a-user`,
      `${self} hasMember user:default/jdoe`,
      `${self} parentOf group:default/team-a1`,
      `${self} parentOf group:default/team-a2`,
      `group:default/backend parentOf ${self}`,
      `group:default/not-a-user memberOf ${self}`,
      `group:default/team-a1 childOf ${self}`,
      `group:default/team-a2 childOf ${self}`,
      `user:default/jdoe memberOf ${self}`,
    ].sort())
  })

  it('User: memberOf', () => {
    const { relations } = emitRelations(entity('User', 'jdoe', { memberOf: ['team-a', 'ops/sre'] }))
    expect(lines(relations)).toEqual([
      'group:default/team-a hasMember user:default/jdoe',
      'group:ops/sre hasMember user:default/jdoe',
      'user:default/jdoe memberOf group:default/team-a',
      'user:default/jdoe memberOf group:ops/sre',
    ])
  })

  it('Template: owner', () => {
    const { relations } = emitRelations(entity('Template', 'node-service', { type: 'service', owner: 'user:guest', steps: [] }))
    expect(lines(relations)).toEqual([
      'template:default/node-service ownedBy user:default/guest',
      'user:default/guest ownerOf template:default/node-service',
    ])
  })

  it('Location: none, even with reference-like fields', () => {
    expect(emitRelations(entity('Location', 'all', { target: './x.yaml', owner: 'team-a' }))).toEqual({ relations: [], problems: [] })
  })

  it('ignores fields that a kind does not relate (owner on a User, dependsOn on an API)', () => {
    expect(emitRelations(entity('User', 'jdoe', { owner: 'team-a', memberOf: [] })).relations).toEqual([])
    expect(emitRelations(entity('API', 'orders', { dependsOn: ['component:x'] })).relations).toEqual([])
  })

  it('emits nothing for unknown kinds or entities without spec', () => {
    expect(emitRelations(entity('Workflow', 'x', { owner: 'team-a' }))).toEqual({ relations: [], problems: [] })
    expect(emitRelations({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } })).toEqual({ relations: [], problems: [] })
  })

  it('skips null fields', () => {
    expect(emitRelations(entity('Component', 'x', { owner: null, system: undefined }))).toEqual({ relations: [], problems: [] })
  })

  describe('namespace defaulting', () => {
    it('puts unqualified targets in the referring entity\'s namespace, not "default"', () => {
      const { relations } = emitRelations(entity('Component', 'checkout', { owner: 'team-a', system: 'payments', providesApis: ['orders'], dependsOn: ['resource:db'] }, 'shop'))
      expect(lines(relations)).toEqual([
        'api:shop/orders apiProvidedBy component:shop/checkout',
        'component:shop/checkout dependsOn resource:shop/db',
        'component:shop/checkout ownedBy group:shop/team-a',
        'component:shop/checkout partOf system:shop/payments',
        'component:shop/checkout providesApi api:shop/orders',
        'group:shop/team-a ownerOf component:shop/checkout',
        'resource:shop/db dependencyOf component:shop/checkout',
        'system:shop/payments hasPart component:shop/checkout',
      ])
    })

    it('keeps an explicit namespace, including "default" from another namespace', () => {
      const { relations } = emitRelations(entity('User', 'jdoe', { memberOf: ['default/everyone', 'group:ops/sre', 'local'] }, 'shop'))
      expect(relations.filter((relation) => relation.type === 'memberOf').map((relation) => relation.target)).toEqual([
        'group:default/everyone',
        'group:ops/sre',
        'group:shop/local',
      ])
    })
  })

  it('compares references case-insensitively: mixed-case input yields lower-case refs', () => {
    const { relations } = emitRelations(entity('Component', 'Checkout', { owner: 'User:Ops/JDoe' }, 'Shop'))
    expect(relations[0]).toMatchObject({ source: 'component:shop/checkout', type: 'ownedBy', target: 'user:ops/jdoe' })
  })

  it('accepts a lower-case kind spelling of a known kind', () => {
    expect(lines(emitRelations(entity('component', 'x', { owner: 'team-a' })).relations)).toEqual([
      'component:default/x ownedBy group:default/team-a',
      'group:default/team-a ownerOf component:default/x',
    ])
  })

  describe('problems', () => {
    it('dependsOn without a kind is an error naming spec.dependsOn[0]; the other references still relate', () => {
      const { relations, problems } = emitRelations(entity('Component', 'x', { owner: 'team-a', dependsOn: ['foo', 'resource:db'] }))
      expect(problems).toHaveLength(1)
      expect(problems[0]!.field).toBe('spec.dependsOn[0]')
      expect(problems[0]!.message).toMatch(/no kind/)
      expect(lines(relations)).toContain('component:default/x dependsOn resource:default/db')
      expect(relations.some((relation) => relation.target.includes('foo') || relation.source.includes('foo'))).toBe(false)
    })

    it('dependencyOf without a kind is an error too, on Resources as well', () => {
      const { problems } = emitRelations(entity('Resource', 'db', { dependencyOf: ['component:a', 'b'] }))
      expect(problems.map((problem) => problem.field)).toEqual(['spec.dependencyOf[1]'])
    })

    it('a non-string reference is reported with its field', () => {
      const { relations, problems } = emitRelations(entity('Component', 'x', { owner: 42, providesApis: ['ok', { name: 'bad' }] }))
      expect(problems.map((problem) => problem.field)).toEqual(['spec.owner', 'spec.providesApis[1]'])
      expect(problems[0]!.message).toMatch(/entity reference string/)
      expect(lines(relations)).toEqual(['api:default/ok apiProvidedBy component:default/x', 'component:default/x providesApi api:default/ok'])
    })

    it('an unparseable reference is reported, not guessed', () => {
      const { relations, problems } = emitRelations(entity('System', 'x', { owner: 'group:', domain: '' }))
      expect(relations).toEqual([])
      expect(problems.map((problem) => problem.field)).toEqual(['spec.owner', 'spec.domain'])
    })
  })
})
