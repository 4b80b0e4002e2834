import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { detachString } from './focus/detach-string.ts'

/** Which tags tie a charge to the catalog, in order of preference; configurable per organisation. */
export interface AllocationRules {
  /** Tag keys whose value names a component, resource or system (e.g. `service`, `application`). */
  entityTagKeys: string[]
  /** Tag keys whose value names a team (a Group). */
  teamTagKeys: string[]
  /** Tag keys whose value is a cost centre, matched to a Group's `next-portal.io/cost-center` annotation. */
  costCenterTagKeys: string[]
  /** The entity annotation that lists cloud resource ids (comma-separated; a trailing `*` matches a prefix). */
  resourceIdAnnotation: string
}

export const DEFAULT_ALLOCATION_RULES: AllocationRules = {
  entityTagKeys: ['service', 'application', 'app', 'component'],
  teamTagKeys: ['team', 'owner'],
  costCenterTagKeys: ['cost-center', 'cost_center', 'costcenter'],
  resourceIdAnnotation: 'next-portal.io/cloud-resource-ids',
}

export interface Allocation {
  entityRef: string | null
  teamRef: string | null
  /** `annotation`, `tag:<key>` or `unallocated`. */
  allocatedBy: string
}

const ENTITY_KINDS = ['component', 'resource', 'system']
const UNALLOCATED: Allocation = { entityRef: null, teamRef: null, allocatedBy: 'unallocated' }

/**
 * Ties charges to catalog entities: first by the resource id (an entity's annotation lists it), then by tags
 * in the configured order. The team is the entity's owner, or the team a tag names. What matches nothing stays
 * unallocated, and visible as such. Built once from the catalog; decisions are cached per resource and tags.
 */
export class CostAllocator {
  private readonly byResourceId = new Map<string, string>()
  private readonly byPrefix: Array<{ prefix: string; ref: string }> = []
  private readonly byName = new Map<string, string>()
  private readonly groupsByName = new Map<string, string>()
  private readonly groupsByCostCenter = new Map<string, string>()
  private readonly cache = new Map<string, Allocation>()

  constructor(private readonly index: CatalogIndex, private readonly rules: AllocationRules = DEFAULT_ALLOCATION_RULES) {
    for (const ref of index.refs()) {
      const kind = ref.slice(0, ref.indexOf(':'))
      const entity = index.get(ref)
      if (!entity) continue
      const name = entity.metadata.name.toLowerCase()
      if (ENTITY_KINDS.includes(kind)) {
        // A component wins a name it shares with a resource or a system: tags name services first.
        const existing = this.byName.get(name)
        if (!existing || ENTITY_KINDS.indexOf(kind) < ENTITY_KINDS.indexOf(existing.slice(0, existing.indexOf(':')))) this.byName.set(name, ref)
      }
      if (kind === 'group') {
        this.groupsByName.set(name, ref)
        const costCenter = entity.metadata.annotations?.['next-portal.io/cost-center']
        if (costCenter) this.groupsByCostCenter.set(costCenter.toLowerCase(), ref)
      }
      for (const id of (entity.metadata.annotations?.[rules.resourceIdAnnotation] ?? '').split(',')) {
        const trimmed = id.trim().toLowerCase()
        if (!trimmed) continue
        if (trimmed.endsWith('*')) this.byPrefix.push({ prefix: trimmed.slice(0, -1), ref })
        else this.byResourceId.set(trimmed, ref)
      }
    }
    this.byPrefix.sort((left, right) => right.prefix.length - left.prefix.length)
  }

  /** `tagsKey` identifies the tags (their text as written) so that repeated rows skip the decision. */
  allocate(resourceId: string | null, tags: Record<string, string>, tagsKey: string = JSON.stringify(tags)): Allocation {
    const key = `${resourceId ?? ''}\u0000${tagsKey}`
    let allocation = this.cache.get(key)
    if (!allocation) {
      allocation = this.decide(resourceId, tags)
      // Bounded: a file of millions of distinct resources must not grow the cache without end.
      if (this.cache.size > 50_000) this.cache.clear()
      this.cache.set(detachString(key), allocation)
    }
    return allocation
  }

  private decide(resourceId: string | null, tags: Record<string, string>): Allocation {
    if (resourceId) {
      const id = resourceId.toLowerCase()
      const ref = this.byResourceId.get(id) ?? this.byPrefix.find((item) => id.startsWith(item.prefix))?.ref
      if (ref) return { entityRef: ref, teamRef: this.ownerOf(ref), allocatedBy: 'annotation' }
    }
    const lowerTags = new Map(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), value.trim().toLowerCase()]))
    let team: { ref: string; key: string } | undefined
    for (const key of this.rules.teamTagKeys) {
      const value = lowerTags.get(key)
      const ref = value ? (this.groupsByName.get(value) ?? this.groupsByName.get(`team-${value}`)) : undefined
      if (ref) {
        team = { ref, key }
        break
      }
    }
    if (!team) {
      for (const key of this.rules.costCenterTagKeys) {
        const value = lowerTags.get(key)
        const ref = value ? this.groupsByCostCenter.get(value) : undefined
        if (ref) {
          team = { ref, key }
          break
        }
      }
    }
    for (const key of this.rules.entityTagKeys) {
      const value = lowerTags.get(key)
      const ref = value ? this.byName.get(value) : undefined
      if (ref) return { entityRef: ref, teamRef: this.ownerOf(ref) ?? team?.ref ?? null, allocatedBy: `tag:${key}` }
    }
    if (team) return { entityRef: null, teamRef: team.ref, allocatedBy: `tag:${team.key}` }
    return UNALLOCATED
  }

  private ownerOf(ref: string): string | null {
    return this.index.targets(ref, 'ownedBy').find((owner) => owner.startsWith('group:')) ?? null
  }
}
