import { PortalError } from '../../core/errors.ts'
import type { Entity } from './entity.ts'
import { knownKind, type KnownKind } from './entity.ts'
import { DEFAULT_NAMESPACE, parseEntityRef, stringifyEntityRef } from './entity-ref.ts'

export interface RelationRule {
  field: string
  /** Backstage's default kind for the field; `dependsOn` has none, so its references must name one. */
  defaultKind?: string
  outgoing: string
  incoming: string
}

const owner: RelationRule = { field: 'owner', defaultKind: 'Group', outgoing: 'ownedBy', incoming: 'ownerOf' }
const system: RelationRule = { field: 'system', defaultKind: 'System', outgoing: 'partOf', incoming: 'hasPart' }
const dependsOn: RelationRule = { field: 'dependsOn', outgoing: 'dependsOn', incoming: 'dependencyOf' }
const dependencyOf: RelationRule = { field: 'dependencyOf', outgoing: 'dependencyOf', incoming: 'dependsOn' }

/** Which spec fields of which kind yield which pair of relations, as Backstage's built-in processor derives them. */
export const RELATION_RULES: Record<KnownKind, RelationRule[]> = {
  Component: [
    owner,
    { field: 'subcomponentOf', defaultKind: 'Component', outgoing: 'partOf', incoming: 'hasPart' },
    { field: 'providesApis', defaultKind: 'API', outgoing: 'providesApi', incoming: 'apiProvidedBy' },
    { field: 'consumesApis', defaultKind: 'API', outgoing: 'consumesApi', incoming: 'apiConsumedBy' },
    dependsOn,
    dependencyOf,
    system,
  ],
  API: [owner, system],
  Resource: [owner, dependsOn, dependencyOf, system],
  System: [owner, { field: 'domain', defaultKind: 'Domain', outgoing: 'partOf', incoming: 'hasPart' }],
  Domain: [owner, { field: 'subdomainOf', defaultKind: 'Domain', outgoing: 'partOf', incoming: 'hasPart' }],
  Group: [
    { field: 'parent', defaultKind: 'Group', outgoing: 'childOf', incoming: 'parentOf' },
    { field: 'children', defaultKind: 'Group', outgoing: 'parentOf', incoming: 'childOf' },
    { field: 'members', defaultKind: 'User', outgoing: 'hasMember', incoming: 'memberOf' },
  ],
  User: [{ field: 'memberOf', defaultKind: 'Group', outgoing: 'memberOf', incoming: 'hasMember' }],
  Location: [],
  Template: [owner],
}

export const RELATION_TYPES = [
  'ownedBy', 'ownerOf', 'partOf', 'hasPart', 'providesApi', 'apiProvidedBy', 'consumesApi', 'apiConsumedBy',
  'dependsOn', 'dependencyOf', 'childOf', 'parentOf', 'memberOf', 'hasMember',
] as const

export interface EmittedRelation {
  source: string
  type: string
  target: string
  /** The spec field that stated it, on the outgoing relation of each pair. */
  field?: string
}

export interface RelationProblem {
  field: string
  message: string
}

export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef({ kind: entity.kind, namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE, name: entity.metadata.name })
}

/**
 * The relations one entity's spec yields, both directions: `(self, outgoing, target)` and
 * `(target, incoming, self)`. References that cannot be parsed are reported, not guessed.
 */
export function emitRelations(entity: Entity): { relations: EmittedRelation[]; problems: RelationProblem[] } {
  const kind = knownKind(entity.kind)
  const relations: EmittedRelation[] = []
  const problems: RelationProblem[] = []
  if (!kind || !entity.spec) return { relations, problems }
  const self = entityRefOf(entity)
  const defaultNamespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE
  for (const rule of RELATION_RULES[kind]) {
    const value = entity.spec[rule.field]
    if (value === undefined || value === null) continue
    const targets = Array.isArray(value) ? value : [value]
    targets.forEach((target, index) => {
      const field = Array.isArray(value) ? `spec.${rule.field}[${index}]` : `spec.${rule.field}`
      if (typeof target !== 'string') {
        problems.push({ field, message: `must be an entity reference string, got ${JSON.stringify(target)}` })
        return
      }
      try {
        const targetRef = stringifyEntityRef(parseEntityRef(target, { defaultKind: rule.defaultKind, defaultNamespace }))
        relations.push({ source: self, type: rule.outgoing, target: targetRef, field })
        relations.push({ source: targetRef, type: rule.incoming, target: self })
      } catch (error) {
        problems.push({ field, message: error instanceof PortalError ? error.message : String(error) })
      }
    })
  }
  return { relations, problems }
}
