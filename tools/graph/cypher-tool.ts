import { z } from 'zod'
import type { Neo4jGraph } from '../../graph/neo4j/neo4j-graph.ts'
import { runReadOnlyCypher } from '../../graph/neo4j/read-only-cypher.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'

/** The most rows and time one call may ask for; a caller may ask for less. */
export const CYPHER_MAX_ROWS = 1000
export const CYPHER_MAX_TIMEOUT_MS = 30_000

const cellText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * `graph_cypher`: a read-only Cypher query over the catalog graph mirrored in Neo4j, for questions the other graph
 * tools do not answer. Registered only when Neo4j is configured.
 */
export function cypherTool({ graph }: { graph: Neo4jGraph }): ToolDefinition {
  return defineTool({
    name: 'graph_cypher',
    title: 'Ask the catalog graph in Cypher',
    description:
      'Runs a read-only Cypher query on the catalog graph in Neo4j. Nodes: (:Entity:<Kind> {ref, kind, namespace, name, title, description, tags, type, lifecycle}) with kinds as labels (Component, API, Resource, System, Domain, Group, User, …); references to entities not in the catalog are (:Entity:Unresolved {ref}). Relationships are the catalog relations in both directions: ownedBy/ownerOf, dependsOn/dependencyOf, consumesApi/apiConsumedBy, providesApi/apiProvidedBy, partOf/hasPart, memberOf/hasMember, childOf/parentOf. Write clauses are refused; a time and row limit apply.',
    input: z.object({
      query: z.string().min(1).max(5000).describe('A read-only Cypher query, e.g. MATCH (c:Component)-[:dependsOn]->(r:Resource {type: "database"}) RETURN c.ref, r.ref'),
      parameters: z.record(z.string(), z.unknown()).default({}).describe('Query parameters, referred to as $name'),
      limit: z.number().int().min(1).max(CYPHER_MAX_ROWS).default(100).describe('The most rows to return'),
      timeoutMs: z.number().int().min(100).max(CYPHER_MAX_TIMEOUT_MS).default(5000).describe('Stop the query after this long'),
    }),
    output: z.object({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean(), limit: z.number().int() }),
    annotations: READ_ONLY,
    scope: 'graph:cypher',
    approval: false,
    examples: ['run a cypher query on the catalog graph', 'cypher: MATCH (n:Component) RETURN count(n)', 'query the neo4j graph with cypher', 'which components depend on a database, as a cypher query'],
    async execute({ query, parameters, limit, timeoutMs }) {
      return { ...(await runReadOnlyCypher(graph, { query, parameters, limit, timeoutMs })), limit }
    },
    render: ({ columns, rows, truncated, limit }) =>
      [columns.join(' | '), ...rows.map((row) => columns.map((column) => cellText(row[column])).join(' | ')), truncated ? `(first ${limit} rows; there are more)` : `(${rows.length} rows)`].join('\n'),
  })
}
