import { IndexGraphReads } from '../query/memory-graph-backend.ts'
import * as traversals from '../query/graph-traversals.ts'
import type { CatalogIndex } from './catalog-index.ts'

export type { PathStep, ReachedEntity } from '../query/graph-traversals.ts'

/*
 * The graph traversals (graph/query/graph-traversals.ts) run at once on the in-memory index, for core code that
 * answers from the local index and cannot wait (approval policy, blast radius). Tools go through the
 * `GraphBackend` port instead.
 */

export function dependenciesOf(index: CatalogIndex, ref: string, depth: number): traversals.ReachedEntity[] {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.dependenciesOf(ref, depth))
}

export function dependentsOf(index: CatalogIndex, ref: string, depth: number): traversals.ReachedEntity[] {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.dependentsOf(ref, depth))
}

export function shortestPath(index: CatalogIndex, from: string, to: string, options: { maxDepth?: number } = {}): traversals.PathStep[] | undefined {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.shortestPath(from, to, options))
}

export function groupWithSubgroups(index: CatalogIndex, group: string): string[] {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.groupWithSubgroups(group))
}

export function ownedBy(index: CatalogIndex, group: string, options: { includeSubgroups?: boolean } = {}): Array<{ ref: string; owner: string }> {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.ownedBy(group, options))
}

export function partsOf(index: CatalogIndex, ref: string): Array<{ ref: string; partOf: string; depth: number }> {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.partsOf(ref))
}

export function dependencyCycles(index: CatalogIndex): string[][] {
  return traversals.runTraversalSync(new IndexGraphReads(index), traversals.dependencyCycles())
}
