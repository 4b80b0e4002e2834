/**
 * The graph-query port: the few batched reads the graph traversals need, answered by the in-memory index or by
 * Neo4j. The traversals (`graph-traversals.ts`) are written once over it, so both backends give the same answers
 * — including which entity each result was reached from — and the tools never know which one answered.
 */
export interface GraphBackend {
  readonly name: 'memory' | 'neo4j'
  /** As `GraphReads`, asynchronously. */
  entities(refs: readonly string[]): Promise<Set<string>>
  targets(refs: readonly string[], types?: readonly string[]): Promise<Map<string, Map<string, string[]>>>
  successorsOfAll(types: readonly string[]): Promise<Map<string, string[]>>
}

/** The same reads, answered at once: the in-memory index's, for core code (approvals) that cannot wait. */
export interface GraphReads {
  /** Those of `refs` that are catalog entities (not merely the target of someone's relation). */
  entities(refs: readonly string[]): Set<string>
  /**
   * For each of `refs`, its outgoing relations of the given types (every type when `types` is undefined), as
   * type → targets sorted by code point. Refs without such relations are absent from the map.
   */
  targets(refs: readonly string[], types?: readonly string[]): Map<string, Map<string, string[]>>
  /**
   * Catalog entities with their successors over `types` (in the order of `types`, targets sorted), keeping only
   * successors that are entities: the input of cycle detection. Entities without successors may be left out.
   */
  successorsOfAll(types: readonly string[]): Map<string, string[]>
}

/** The targets of one relation type from one ref, out of a `targets` answer. */
export function targetsIn(answer: Map<string, Map<string, string[]>>, ref: string, type: string): string[] {
  return answer.get(ref)?.get(type) ?? []
}
