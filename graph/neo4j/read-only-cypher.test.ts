import neo4j from 'neo4j-driver'
import { describe, expect, it } from 'vitest'
import { assertReadOnlyCypher, toPlainValue } from './read-only-cypher.ts'

describe('assertReadOnlyCypher', () => {
  it('lets reading queries through', () => {
    for (const query of [
      'MATCH (c:Component)-[:dependsOn*1..3]->(r:Resource) RETURN c.ref, r.ref LIMIT 10',
      'OPTIONAL MATCH (n:Group) WITH n UNWIND [1, 2] AS x RETURN n, x ORDER BY x SKIP 1',
      'MATCH (n) CALL { WITH n MATCH (n)--(m) RETURN count(m) AS degree } RETURN n.ref, degree',
      'CALL db.labels() YIELD label RETURN label UNION CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS label',
      "MATCH (n) WHERE n.name = 'create-user' OR n.title = \"Set up\" /* DELETE */ RETURN n.`remove` // MERGE",
    ]) expect(() => assertReadOnlyCypher(query), query).not.toThrow()
  })

  it('refuses the first clause that writes, administers or leaves the database, saying where', () => {
    expect(() => assertReadOnlyCypher("MATCH (n) SET n.x = 1 DELETE n")).toThrow(/SET at character 11/)
    expect(() => assertReadOnlyCypher('match (n) detach delete n')).toThrow(/DETACH at character 11/)
    expect(() => assertReadOnlyCypher('MERGE (n:Entity {ref: "x"})')).toThrow(/MERGE/)
    expect(() => assertReadOnlyCypher('LOAD CSV FROM "file:///etc/passwd" AS row RETURN row')).toThrow(/LOAD/)
    expect(() => assertReadOnlyCypher('MATCH (n) FOREACH (x IN [1] | CREATE (:X))')).toThrow(/FOREACH/)
    expect(() => assertReadOnlyCypher('USE system MATCH (n) RETURN n')).toThrow(/USE/)
    expect(() => assertReadOnlyCypher('SHOW DATABASES')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'query' })] }))
  })

  it('refuses procedures other than the schema ones', () => {
    expect(() => assertReadOnlyCypher('CALL apoc.periodic.iterate("MATCH (n) RETURN n", "DETACH DELETE n", {})')).toThrow(/apoc.periodic.iterate is not one of them/)
    expect(() => assertReadOnlyCypher('CALL dbms.killQueries(["q-1"])')).toThrow(/dbms.killQueries is not one of them/)
  })
})

describe('toPlainValue', () => {
  it('turns Neo4j values into plain JSON', () => {
    expect(toPlainValue(neo4j.int(42))).toBe(42)
    expect(toPlainValue(neo4j.int('9007199254740993'))).toBe('9007199254740993')
    expect(toPlainValue({ counts: [neo4j.int(1), null], name: 'x' })).toEqual({ counts: [1, null], name: 'x' })
    const node = new neo4j.types.Node(neo4j.int(1), ['Entity', 'Component'], { ref: 'component:default/web', replicas: neo4j.int(3) }, 'element-1')
    expect(toPlainValue(node)).toEqual({ labels: ['Entity', 'Component'], properties: { ref: 'component:default/web', replicas: 3 } })
    expect(toPlainValue(new neo4j.types.Date(2026, 3, 3))).toBe('2026-03-03')
  })
})
