import type { GraphBackend } from '../query/graph-backend.ts'
import { cypherName, type Neo4jGraph } from './neo4j-graph.ts'

/** A relationship pattern for these types, e.g. `:`dependsOn`|`consumesApi``; empty for every type. */
function typesPattern(types: readonly string[] | undefined): string {
  return types ? `:${types.map(cypherName).join('|')}` : ''
}

/**
 * The graph-query port on Neo4j: each read is one Cypher query over the mirrored graph (`Neo4jMirror`), batched
 * per traversal level with UNWIND. Targets are sorted here as the in-memory index sorts them, so the traversals
 * give the same answers on both backends.
 */
export class Neo4jGraphBackend implements GraphBackend {
  readonly name = 'neo4j'
  private readonly graph: Neo4jGraph

  constructor(graph: Neo4jGraph) {
    this.graph = graph
  }

  async entities(refs: readonly string[]): Promise<Set<string>> {
    const result = await this.graph.query<{ ref: string }>('UNWIND $refs AS ref MATCH (n:Entity {ref: ref}) WHERE NOT n:Unresolved RETURN n.ref AS ref', { refs })
    return new Set(result.records.map((record) => record.get('ref')))
  }

  async targets(refs: readonly string[], types?: readonly string[]): Promise<Map<string, Map<string, string[]>>> {
    if (refs.length === 0 || types?.length === 0) return new Map()
    const result = await this.graph.query<{ ref: string; type: string; targets: string[] }>(
      `UNWIND $refs AS ref MATCH (:Entity {ref: ref})-[relation${typesPattern(types)}]->(target) RETURN ref, type(relation) AS type, collect(target.ref) AS targets`,
      { refs },
    )
    const answer = new Map<string, Map<string, string[]>>()
    for (const record of result.records) {
      const byType = answer.get(record.get('ref')) ?? new Map<string, string[]>()
      byType.set(record.get('type'), record.get('targets').sort())
      answer.set(record.get('ref'), byType)
    }
    return answer
  }

  async successorsOfAll(types: readonly string[]): Promise<Map<string, string[]>> {
    // Only entities with a successor: one without cannot be on a cycle, and leaving them out saves most rows.
    const result = await this.graph.query<{ ref: string; type: string; targets: string[] }>(
      `MATCH (entity:Entity)-[relation${typesPattern(types)}]->(target:Entity)
       WHERE NOT entity:Unresolved AND NOT target:Unresolved
       RETURN entity.ref AS ref, type(relation) AS type, collect(target.ref) AS targets`,
    )
    const byRef = new Map<string, Map<string, string[]>>()
    for (const record of result.records) {
      const byType = byRef.get(record.get('ref')) ?? new Map<string, string[]>()
      byType.set(record.get('type'), record.get('targets').sort())
      byRef.set(record.get('ref'), byType)
    }
    return new Map([...byRef].map(([ref, byType]) => [ref, types.flatMap((type) => byType.get(type) ?? [])]))
  }
}
