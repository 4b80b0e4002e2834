import type { CatalogIndex } from '../index/catalog-index.ts'
import type { GraphBackend, GraphReads } from './graph-backend.ts'

/** The graph reads answered from the in-memory `CatalogIndex`, which every replica keeps current. */
export class IndexGraphReads implements GraphReads {
  private readonly index: CatalogIndex

  constructor(index: CatalogIndex) {
    this.index = index
  }

  entities(refs: readonly string[]): Set<string> {
    return new Set(refs.filter((ref) => this.index.has(ref)))
  }

  targets(refs: readonly string[], types?: readonly string[]): Map<string, Map<string, string[]>> {
    const answer = new Map<string, Map<string, string[]>>()
    for (const ref of refs) {
      const byType = new Map<string, string[]>()
      if (types) {
        for (const type of types) {
          const targets = this.index.targets(ref, type)
          if (targets.length > 0) byType.set(type, targets)
        }
      } else {
        for (const relation of this.index.relationsOf(ref)) {
          const targets = byType.get(relation.type) ?? []
          targets.push(relation.targetRef)
          byType.set(relation.type, targets)
        }
        for (const targets of byType.values()) targets.sort()
      }
      if (byType.size > 0) answer.set(ref, byType)
    }
    return answer
  }

  successorsOfAll(types: readonly string[]): Map<string, string[]> {
    const answer = new Map<string, string[]>()
    for (const ref of this.index.refs()) answer.set(ref, types.flatMap((type) => this.index.targets(ref, type)).filter((target) => this.index.has(target)))
    return answer
  }
}

/** The embedded default graph backend: the index's reads, behind the asynchronous port. */
export class MemoryGraphBackend implements GraphBackend {
  readonly name = 'memory'
  readonly reads: IndexGraphReads

  constructor(index: CatalogIndex) {
    this.reads = new IndexGraphReads(index)
  }

  async entities(refs: readonly string[]): Promise<Set<string>> {
    return this.reads.entities(refs)
  }

  async targets(refs: readonly string[], types?: readonly string[]): Promise<Map<string, Map<string, string[]>>> {
    return this.reads.targets(refs, types)
  }

  async successorsOfAll(types: readonly string[]): Promise<Map<string, string[]>> {
    return this.reads.successorsOfAll(types)
  }
}
