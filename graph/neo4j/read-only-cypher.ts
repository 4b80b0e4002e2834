import neo4j, { isDate, isDateTime, isDuration, isInt, isLocalDateTime, isLocalTime, isNode, isPath, isPoint, isRelationship, isTime, type Neo4jError } from 'neo4j-driver'
import { InputError } from '../../core/errors.ts'
import type { Neo4jGraph } from './neo4j-graph.ts'

/*
 * Clauses and commands that change data, schema or the server, or leave the portal's database. Checked before a
 * query is sent, to answer with what was wrong; the server would refuse writes anyway, because the query runs in
 * a READ transaction.
 */
const FORBIDDEN = [
  'CREATE', 'MERGE', 'DELETE', 'DETACH', 'SET', 'REMOVE', 'DROP', 'FOREACH', 'LOAD', 'USE', 'ALTER', 'RENAME',
  'GRANT', 'DENY', 'REVOKE', 'SHOW', 'TERMINATE', 'START', 'STOP', 'ENABLE', 'DEALLOCATE', 'REALLOCATE', 'FINISH',
]
const FORBIDDEN_PATTERN = new RegExp(`\\b(${FORBIDDEN.join('|')})\\b`, 'i')
/** Procedures that only describe the graph; any other `CALL proc()` is refused (it could write or administer). */
const ALLOWED_PROCEDURES = new Set(['db.labels', 'db.relationshiptypes', 'db.propertykeys', 'db.schema.visualization', 'db.schema.nodetypeproperties', 'db.schema.reltypeproperties'])

/** The query with string literals, quoted names and comments blanked out, so keywords inside them do not count. */
function codeOnly(query: string): string {
  return query.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`]|``)*`|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (match) => ' '.repeat(match.length))
}

/** Throws INVALID_INPUT naming the first clause that could write, administer or leave the database. */
export function assertReadOnlyCypher(query: string): void {
  const code = codeOnly(query)
  const match = FORBIDDEN_PATTERN.exec(code)
  if (match) {
    const keyword = match[1]!.toUpperCase()
    throw new InputError(`graph_cypher runs read-only queries; ${keyword} at character ${match.index + 1} would change the graph or the server, or leave the catalog's database`, { issues: [{ path: 'query', message: `${keyword} is not allowed (only MATCH, OPTIONAL MATCH, WITH, UNWIND, WHERE, RETURN, ORDER BY, SKIP, LIMIT, UNION, CALL { … } subqueries and db.labels-style procedures)` }] })
  }
  for (const match of code.matchAll(/\bCALL\s+([A-Za-z_][\w.]*)/gi)) {
    if (!ALLOWED_PROCEDURES.has(match[1]!.toLowerCase())) {
      throw new InputError(`graph_cypher may call only ${[...ALLOWED_PROCEDURES].join(', ')}; ${match[1]} is not one of them`, { issues: [{ path: 'query', message: `procedure ${match[1]} is not allowed` }] })
    }
  }
}

/** A Neo4j value as plain JSON: integers as numbers (strings when too large), nodes and relationships as objects. */
export function toPlainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (isInt(value)) return neo4j.integer.inSafeRange(value) ? value.toNumber() : value.toString()
  if (isNode(value)) return { labels: value.labels, properties: toPlainValue(value.properties) }
  if (isRelationship(value)) return { type: value.type, properties: toPlainValue(value.properties) }
  if (isPath(value)) return value.segments.map((segment) => ({ start: toPlainValue(segment.start), relationship: toPlainValue(segment.relationship), end: toPlainValue(segment.end) }))
  if (isDate(value) || isDateTime(value) || isLocalDateTime(value) || isLocalTime(value) || isTime(value) || isDuration(value) || isPoint(value)) return value.toString()
  if (Array.isArray(value)) return value.map(toPlainValue)
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlainValue(item)]))
  return value
}

export interface CypherAnswer {
  columns: string[]
  rows: Array<Record<string, unknown>>
  /** More rows were there than the limit; only the first `limit` are returned. */
  truncated: boolean
}

/**
 * Runs a read-only Cypher query: refused before it is sent if it has a write clause, then run in a READ
 * transaction with a server-side timeout, reading at most `limit` rows (one more tells that there were more).
 */
export async function runReadOnlyCypher(graph: Neo4jGraph, { query, parameters = {}, limit, timeoutMs }: { query: string; parameters?: Record<string, unknown>; limit: number; timeoutMs: number }): Promise<CypherAnswer> {
  assertReadOnlyCypher(query)
  const session = graph.driver.session({ database: graph.database, defaultAccessMode: neo4j.session.READ, fetchSize: limit + 1 })
  const transaction = session.beginTransaction({ timeout: timeoutMs, metadata: { app: 'next-portal', tool: 'graph_cypher' } })
  try {
    const result = transaction.run(query, parameters)
    const rows: Array<Record<string, unknown>> = []
    let truncated = false
    for await (const record of result) {
      if (rows.length === limit) {
        truncated = true
        break
      }
      rows.push(Object.fromEntries(record.keys.map((key) => [String(key), toPlainValue(record.get(key))])))
    }
    const columns = (await result.keys()).map(String)
    return { columns, rows, truncated }
  } catch (error) {
    throw explain(error as Neo4jError, timeoutMs)
  } finally {
    await transaction.rollback().catch(() => undefined)
    await session.close()
  }
}

/** Neo4j's refusals as the portal's errors: what was wrong and what to do. */
function explain(error: Neo4jError, timeoutMs: number): Error {
  const code = error.code ?? ''
  if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') || code === 'Neo.ClientError.Transaction.TransactionMarkedAsFailed') {
    return new InputError(`The query ran longer than ${timeoutMs} ms and was stopped; narrow it (a label, a starting ref, a LIMIT) or allow more time`, { issues: [{ path: 'query', message: 'timed out' }], cause: error })
  }
  if (code === 'Neo.ClientError.Statement.AccessMode') return new InputError('graph_cypher runs read-only queries; this one tried to write', { issues: [{ path: 'query', message: error.message }], cause: error })
  if (code.startsWith('Neo.ClientError.Statement.') || code.startsWith('Neo.ClientError.Procedure.')) return new InputError(`Neo4j refused the query: ${error.message}`, { issues: [{ path: 'query', message: error.message }], cause: error })
  return error
}
