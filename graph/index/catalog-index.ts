import type { StoredEntity } from '../catalog/catalog-repository.ts'
import type { Entity, EntityRelation } from '../model/entity.ts'
import { emitRelations, type EmittedRelation } from '../model/entity-relations.ts'
import { flattenEntity } from './flatten-entity.ts'

/**
 * The in-memory index of the catalog: every entity, the relations derived from all of them (both directions,
 * deduplicated, kept with a count because two entities may state the same relation — a group's `parent` and
 * its parent's `children`), and lazily built value indexes for filters. Built from the store and updated in
 * place as entities change, so reads never touch the store.
 */
export class CatalogIndex {
  private readonly stored = new Map<string, StoredEntity>()
  private readonly emitted = new Map<string, EmittedRelation[]>()
  /** source → type → target → how many entities stated it */
  private readonly edges = new Map<string, Map<string, Map<string, number>>>()
  private readonly byKind = new Map<string, Set<string>>()
  private readonly flatCache = new Map<string, Map<string, string[]>>()
  private readonly jsonCache = new Map<string, string>()
  private readonly valueIndexes = new Map<string, Map<string, Set<string>>>()
  private version = 0

  constructor(entities: StoredEntity[] = []) {
    this.apply({ upserted: entities, removed: [] })
  }

  /**
   * Applies a change: upserted entities replace their previous versions; removed references disappear. Value
   * indexes already built are updated for the entities whose flattening changed (the changed ones and every
   * entity at the other end of their relations), so the first query after a change does not rebuild them.
   */
  apply({ upserted, removed }: { upserted: StoredEntity[]; removed: string[] }): void {
    if (upserted.length === 0 && removed.length === 0) return
    const affected = new Set<string>()
    const touch = (ref: string) => {
      affected.add(ref)
      for (const relation of this.emitted.get(ref) ?? []) {
        affected.add(relation.source)
        affected.add(relation.target)
      }
    }
    for (const ref of removed) touch(ref)
    for (const entity of upserted) touch(entity.ref)
    const before = new Map<string, Map<string, string[]>>()
    if (this.valueIndexes.size > 0) for (const ref of affected) if (this.stored.has(ref)) before.set(ref, this.flattened(ref))

    for (const ref of removed) this.remove(ref)
    for (const entity of upserted) {
      this.remove(entity.ref)
      this.stored.set(entity.ref, entity)
      const kind = entity.entity.kind.toLowerCase()
      const set = this.byKind.get(kind) ?? new Set()
      set.add(entity.ref)
      this.byKind.set(kind, set)
      const { relations } = emitRelations(entity.entity)
      this.emitted.set(entity.ref, relations)
      for (const relation of relations) this.addEdge(relation)
    }
    for (const entity of upserted) touch(entity.ref)
    for (const ref of affected) {
      this.flatCache.delete(ref)
      this.jsonCache.delete(ref)
    }
    for (const [key, index] of this.valueIndexes) {
      for (const ref of affected) {
        for (const value of before.get(ref)?.get(key) ?? []) index.get(value)?.delete(ref)
        if (!this.stored.has(ref)) continue
        for (const value of this.flattened(ref).get(key) ?? []) {
          const set = index.get(value) ?? new Set()
          set.add(ref)
          index.set(value, set)
        }
      }
    }
    this.version++
  }

  private remove(ref: string): void {
    const existing = this.stored.get(ref)
    if (!existing) return
    this.stored.delete(ref)
    this.byKind.get(existing.entity.kind.toLowerCase())?.delete(ref)
    for (const relation of this.emitted.get(ref) ?? []) this.removeEdge(relation)
    this.emitted.delete(ref)
  }

  private addEdge({ source, type, target }: EmittedRelation): void {
    const byType = this.edges.get(source) ?? new Map<string, Map<string, number>>()
    this.edges.set(source, byType)
    const targets = byType.get(type) ?? new Map<string, number>()
    byType.set(type, targets)
    targets.set(target, (targets.get(target) ?? 0) + 1)
  }

  private removeEdge({ source, type, target }: EmittedRelation): void {
    const targets = this.edges.get(source)?.get(type)
    if (!targets) return
    const count = (targets.get(target) ?? 0) - 1
    if (count > 0) targets.set(target, count)
    else targets.delete(target)
  }

  /** Changes whenever the catalog does; lets callers cache derived answers. */
  get revision(): number {
    return this.version
  }

  get size(): number {
    return this.stored.size
  }

  has(ref: string): boolean {
    return this.stored.has(ref)
  }

  getStored(ref: string): StoredEntity | undefined {
    return this.stored.get(ref)
  }

  /** The entity as Backstage serves it: authored fields plus its derived relations. */
  /** The entity as JSON text, kept until it or a related entity changes: list endpoints send thousands of these. */
  json(ref: string): string | undefined {
    let text = this.jsonCache.get(ref)
    if (text === undefined) {
      const entity = this.get(ref)
      if (!entity) return undefined
      text = JSON.stringify(entity)
      this.jsonCache.set(ref, text)
    }
    return text
  }

  get(ref: string): Entity | undefined {
    const stored = this.stored.get(ref)
    if (!stored) return undefined
    return { ...stored.entity, relations: this.relationsOf(ref) }
  }

  refs(): IterableIterator<string> {
    return this.stored.keys()
  }

  refsOfKind(kind: string): ReadonlySet<string> {
    return this.byKind.get(kind.toLowerCase()) ?? new Set()
  }

  kinds(): string[] {
    return [...this.byKind.entries()].filter(([, refs]) => refs.size > 0).map(([kind]) => kind)
  }

  /** Targets of one relation type from an entity, e.g. `targets(ref, 'ownedBy')`, sorted so answers never depend on load order. */
  targets(ref: string, type: string): string[] {
    const targets = this.edges.get(ref)?.get(type)
    return targets ? [...targets.keys()].sort() : []
  }

  relationsOf(ref: string): EntityRelation[] {
    const out: EntityRelation[] = []
    for (const [type, targets] of this.edges.get(ref) ?? []) {
      for (const target of targets.keys()) out.push({ type, targetRef: target })
    }
    return out.sort((a, b) => a.type.localeCompare(b.type) || a.targetRef.localeCompare(b.targetRef))
  }

  /** The entity flattened to Backstage's search keys (`spec.owner`, `metadata.tags`, `relations.ownedby`, …). */
  flattened(ref: string): Map<string, string[]> {
    let flat = this.flatCache.get(ref)
    if (!flat) {
      const entity = this.get(ref)
      flat = entity ? flattenEntity(entity) : new Map()
      this.flatCache.set(ref, flat)
    }
    return flat
  }

  /** References whose flattened `key` has `value` (both lower-case); built on first use after each change. */
  withValue(key: string, value: string): ReadonlySet<string> {
    let index = this.valueIndexes.get(key)
    if (!index) {
      index = new Map()
      for (const ref of this.stored.keys()) {
        for (const item of this.flattened(ref).get(key) ?? []) {
          const set = index.get(item) ?? new Set()
          set.add(ref)
          index.set(item, set)
        }
      }
      this.valueIndexes.set(key, index)
    }
    return index.get(value) ?? new Set()
  }
}
