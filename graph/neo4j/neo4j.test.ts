import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDemoCatalog } from '../../bench/demo-catalog.ts'
import { loadConfig } from '../../core/config.ts'
import { InProcessEventBus } from '../../core/events/in-process-event-bus.ts'
import { localOperator } from '../../core/identity.ts'
import { memoryCatalog, SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { graphTools } from '../../tools/graph/graph-tools.ts'
import { ToolRegistry } from '../../tools/tool-registry.ts'
import { Catalog } from '../catalog/catalog.ts'
import { MemoryCatalogRepository } from '../catalog/memory-catalog-repository.ts'
import { writeDemoOrg } from '../demo/write-demo-org.ts'
import type { CatalogIndex } from '../index/catalog-index.ts'
import { MemoryGraphBackend } from '../query/memory-graph-backend.ts'
import { Neo4jGraph } from './neo4j-graph.ts'
import { Neo4jGraphBackend } from './neo4j-graph-backend.ts'
import { Neo4jMirror } from './neo4j-mirror.ts'

/**
 * Against the real Neo4j that infra/neo4j/start.sh starts (scripts/test.js sets NEO4J_TEST_URL). Community Neo4j
 * has one database, and a mirror's full sync sweeps what it did not write, so every Neo4j test lives in this one
 * file and runs in order.
 */
const url = process.env.NEO4J_TEST_URL
if (!url) console.warn('Neo4j tests skipped: NEO4J_TEST_URL is not set (npm test starts Neo4j from infra/neo4j; PORTAL_TEST_NEO4J=skip skips it)')
const operator = localOperator('neo4j-test')

/** Nodes as "ref Label,Label" and relationships as "source type target", sorted: the whole mirrored graph. */
async function mirrored(graph: Neo4jGraph): Promise<{ nodes: string[]; relationships: string[] }> {
  const nodes = await graph.query<{ ref: string; labels: string[] }>('MATCH (node:Entity) RETURN node.ref AS ref, labels(node) AS labels')
  const relationships = await graph.query<{ line: string }>("MATCH (source:Entity)-[relation]->(target:Entity) RETURN source.ref + ' ' + type(relation) + ' ' + target.ref AS line")
  return {
    nodes: nodes.records.map((record) => `${record.get('ref')} ${[...record.get('labels')].sort().join(',')}`).sort(),
    relationships: relationships.records.map((record) => record.get('line')).sort(),
  }
}

/** The same, as the index says it should be. */
function expected(index: CatalogIndex): { nodes: string[]; relationships: string[] } {
  const refs = new Set(index.refs())
  const relationships: string[] = []
  for (const ref of index.refs()) for (const relation of index.relationsOf(ref)) refs.add(relation.targetRef)
  for (const ref of refs) for (const relation of index.relationsOf(ref)) relationships.push(`${ref} ${relation.type} ${relation.targetRef}`)
  const labelsOf = (ref: string) => { const stored = index.getStored(ref); return (stored ? [stored.entity.kind, 'Entity'] : ['Entity', 'Unresolved']).sort().join(',') }
  return { nodes: [...refs].map((ref) => `${ref} ${labelsOf(ref)}`).sort(), relationships: relationships.sort() }
}

/** Every graph tool, called with the same inputs on both registries, must answer the same. */
async function expectSameAnswers(catalog: Catalog, neo4j: Neo4jGraphBackend, { samplesPerKind, pathPairs }: { samplesPerKind: number; pathPairs: number }): Promise<number> {
  const memoryTools = new ToolRegistry().register(...graphTools({ catalog, graph: new MemoryGraphBackend(catalog.index) }))
  const neo4jTools = new ToolRegistry().register(...graphTools({ catalog, graph: neo4j }))
  // Every n-th entity of a kind: spread over the catalog, the same on every run.
  const sample = (kind: string) => { const refs = [...catalog.index.refsOfKind(kind)].sort(); const step = Math.max(1, Math.floor(refs.length / samplesPerKind)); return refs.filter((_, position) => position % step === 0).slice(0, samplesPerKind) }
  const components = sample('component')
  const resources = sample('resource')
  const calls: Array<[string, Record<string, unknown>]> = [
    ...[...components, ...resources, ...sample('api')].flatMap((ref): Array<[string, Record<string, unknown>]> => [['graph_dependencies', { ref, depth: 5 }], ['graph_dependents', { ref, depth: 5 }]]),
    ...sample('group').flatMap((group): Array<[string, Record<string, unknown>]> => [['graph_owned_by', { group }], ['graph_owned_by', { group, includeSubgroups: false, kind: 'component' }]]),
    ...[...sample('system'), ...sample('domain')].map((ref): [string, Record<string, unknown>] => ['graph_parts', { ref }]),
    ...components.slice(0, pathPairs).map((from, position): [string, Record<string, unknown>] => ['graph_path', { from, to: resources[(position * 7) % resources.length]! }]),
    ['graph_cycles', {}],
  ]
  for (const [name, input] of calls) {
    const inMemory = await memoryTools.call(name, input, { identity: operator })
    const onNeo4j = await neo4jTools.call(name, input, { identity: operator })
    expect(onNeo4j.output, `${name} ${JSON.stringify(input)}`).toEqual(inMemory.output)
  }
  // Answers that are all empty would prove nothing.
  const dependents = await neo4jTools.call('graph_dependents', { ref: resources[0]!, depth: 5 }, { identity: operator })
  expect((dependents.output as { dependents: unknown[] }).dependents.length).toBeGreaterThan(0)
  return calls.length
}

describe.skipIf(!url)('the Neo4j backend against a real Neo4j', () => {
  let graph: Neo4jGraph
  const directories: string[] = []

  beforeAll(async () => {
    graph = await Neo4jGraph.open({ url: url! })
    // In batches: an earlier run may have left the 100,000-entity graph, too big for one transaction.
    const session = graph.driver.session({ database: graph.database })
    await session.run('MATCH (node) CALL { WITH node DETACH DELETE node } IN TRANSACTIONS OF 5000 ROWS').finally(() => session.close())
  }, 600_000)
  afterAll(async () => {
    await graph?.close()
    for (const directory of directories) await rm(directory, { recursive: true, force: true })
  })

  it('mirrors the catalog: entities labelled by kind, relations as typed relationships, unresolved references marked', async () => {
    const catalog = await memoryCatalog(`${SMALL_ORG}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: orphan, tags: [legacy] }
spec: { type: service, lifecycle: deprecated, owner: storefront, dependsOn: ['resource:ghost-db'] }
`)
    // Left by an earlier run: the full sync must sweep it.
    await graph.write((transaction) => transaction.run("CREATE (:Entity:Component {ref: 'component:default/deleted-long-ago'})"))
    const mirror = new Neo4jMirror({ graph, index: catalog.index, bus: new InProcessEventBus(), batchSize: 7 })
    const written = await mirror.start()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))
    expect(written.nodes).toBe(catalog.index.size + 1)
    const web = await graph.query("MATCH (web:Component {ref: 'component:default/web'})-[:consumesApi]->(api:API) RETURN web.title AS title, web.tags AS tags, web.lifecycle AS lifecycle, api.ref AS api")
    expect(web.records.map((record) => record.toObject())).toEqual([{ title: 'Web Storefront', tags: ['frontend'], lifecycle: 'production', api: 'api:default/checkout-api' }])
    const ghost = await graph.query("MATCH (ghost:Unresolved)<-[:dependsOn]-(orphan) RETURN ghost.ref AS ghost, orphan.ref AS orphan, labels(ghost) AS labels")
    expect(ghost.records.map((record) => record.toObject())).toEqual([{ ghost: 'resource:default/ghost-db', orphan: 'component:default/orphan', labels: ['Entity', 'Unresolved'] }])
    await mirror.close()
  })

  it('follows catalog changes: updates, additions that resolve a reference, removals', async () => {
    const bus = new InProcessEventBus()
    const catalog = await Catalog.open({ repository: new MemoryCatalogRepository(), bus })
    const document = (name: string, spec: string) => `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${name} }\nspec: { type: service, lifecycle: production, ${spec} }\n`
    const importText = async (text: string) => {
      const report = await catalog.import([{ name: 'org.yaml', text }])
      expect(report.errors).toEqual([])
    }
    await importText(SMALL_ORG + document('orders', "owner: payments, dependsOn: ['resource:orders-db']"))
    const mirror = new Neo4jMirror({ graph, index: catalog.index, bus })
    await mirror.start()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))

    // orders changes owner and gains a dependency; orders-db appears (its unresolved node becomes an entity).
    await importText(SMALL_ORG + document('orders', "owner: storefront, dependsOn: ['resource:orders-db', 'component:web']") + '---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: orders-db }\nspec: { type: database, owner: payments }\n')
    await mirror.settled()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))
    const owner = await graph.query("MATCH (:Component {ref: 'component:default/orders'})-[:ownedBy]->(group:Group) RETURN group.ref AS owner")
    expect(owner.records.map((record) => record.get('owner'))).toEqual(['group:default/storefront'])
    expect((await graph.query("MATCH (node:Resource {ref: 'resource:default/orders-db'}) WHERE NOT node:Unresolved RETURN node.type AS type")).records[0]?.get('type')).toBe('database')

    // orders-db goes away while orders still refers to it: it becomes an unresolved reference again.
    await importText(SMALL_ORG + document('orders', "owner: storefront, dependsOn: ['resource:orders-db']"))
    await mirror.settled()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))
    expect((await graph.query("MATCH (node:Entity {ref: 'resource:default/orders-db'}) RETURN labels(node) AS labels")).records[0]?.get('labels')).toEqual(['Entity', 'Unresolved'])

    // Everything goes: nothing is left behind.
    await catalog.import([{ name: 'org.yaml', text: document('last', 'owner: nobody') }])
    await mirror.settled()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))
    await mirror.close()
  })

  it('writes a change as large as a whole catalog in batches', async () => {
    const bus = new InProcessEventBus()
    const catalog = await Catalog.open({ repository: new MemoryCatalogRepository(), bus })
    // Batches of 2: an import of 17 entities is past five batches, so it goes through the batched full sync.
    const mirror = new Neo4jMirror({ graph, index: catalog.index, bus, batchSize: 2 })
    await mirror.start()
    expect(await mirrored(graph)).toEqual({ nodes: [], relationships: [] })
    await catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
    await mirror.settled()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))
    await mirror.close()
  })

  it('repairs itself with a full sync after a failed write', async () => {
    const bus = new InProcessEventBus()
    const catalog = await Catalog.open({ repository: new MemoryCatalogRepository(), bus })
    await catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
    const broken = await Neo4jGraph.open({ url: url! })
    const errors: unknown[] = []
    const mirror = new Neo4jMirror({ graph: broken, index: catalog.index, bus, onError: (error) => errors.push(error) })
    await mirror.start()
    await broken.driver.close()
    await catalog.import([{ name: 'org.yaml', text: `${SMALL_ORG}---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: cache }\nspec: { type: cache, owner: payments }\n` }])
    await mirror.settled()
    expect(errors).toHaveLength(1)
    await mirror.close()
    // A new mirror (as after a restart) writes the catalog as it is now.
    const repaired = new Neo4jMirror({ graph, index: catalog.index, bus })
    await repaired.start()
    expect(await mirrored(graph)).toEqual(expected(catalog.index))
    await repaired.close()
  })

  describe('graph_cypher, on a platform configured with NEO4J_URL', () => {
    let platform: Platform
    beforeAll(async () => {
      const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-neo4j-'))
      directories.push(directory)
      await writeDemoOrg(directory)
      platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_DEMO: 'false', PORTAL_EMBEDDINGS_MODEL: 'none', NEO4J_URL: url! }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
    }, 120_000)
    afterAll(async () => {
      await platform?.close()
    })
    const cypher = (input: Record<string, unknown>) => platform.tools.call('graph_cypher', input, { identity: operator })

    it('is registered only with Neo4j, and graph tools there answer from Neo4j', async () => {
      expect(platform.graph.name).toBe('neo4j')
      expect(platform.tools.list().map((tool) => tool.name)).toContain('graph_cypher')
      const plain = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_DEMO: 'false', PORTAL_EMBEDDINGS_MODEL: 'none' }), catalogPaths: [] })
      expect(plain.tools.list().map((tool) => tool.name)).not.toContain('graph_cypher')
      expect(plain.graph.name).toBe('memory')
      await plain.close()
    })

    it('answers read queries, with parameters, as plain JSON', async () => {
      const { output } = await cypher({ query: 'MATCH (c:Component)-[:ownedBy]->(g:Group {ref: $group}) RETURN c.ref AS ref, c.tags AS tags, count { (c)-[:dependsOn]->() } AS dependencies ORDER BY ref LIMIT 3', parameters: { group: 'group:default/team-payments' } })
      const answer = output as { columns: string[]; rows: Array<{ ref: string; dependencies: unknown }>; truncated: boolean }
      expect(answer.columns).toEqual(['ref', 'tags', 'dependencies'])
      expect(answer.rows.length).toBeGreaterThan(0)
      expect(answer.rows.every((row) => platform.catalog.index.targets(row.ref, 'ownedBy').includes('group:default/team-payments') && typeof row.dependencies === 'number')).toBe(true)
      const total = await cypher({ query: 'MATCH (n:Entity) WHERE NOT n:Unresolved RETURN count(n) AS entities' })
      expect((total.output as { rows: Array<{ entities: number }> }).rows).toEqual([{ entities: platform.catalog.index.size }])
    })

    it('refuses write clauses before sending them, and says which', async () => {
      await expect(cypher({ query: "MATCH (n:Component) SET n.owner = 'me'" })).rejects.toThrow(/read-only queries; SET at character 21/)
      await expect(cypher({ query: 'MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/DETACH/) })
      await expect(cypher({ query: "create (:Component {ref: 'x'})" })).rejects.toThrow(/CREATE/)
      await expect(cypher({ query: 'CALL dbms.listConfig()' })).rejects.toThrow(/dbms.listConfig is not one of them/)
      await expect(cypher({ query: 'USE system SHOW USERS' })).rejects.toThrow(/USE/)
      // Keywords inside strings, names and comments are data.
      const quoted = await cypher({ query: "MATCH (n:Component) WHERE n.name = 'create-order' // DELETE nothing\nRETURN count(n) AS `set`" })
      expect((quoted.output as { columns: string[] }).columns).toEqual(['set'])
      expect((await cypher({ query: 'CALL db.labels() YIELD label RETURN label ORDER BY label' })).output).toMatchObject({ rows: expect.arrayContaining([{ label: 'Component' }]) })
    })

    it('stops at the row limit and says there were more', async () => {
      const { output } = await cypher({ query: 'MATCH (n:Entity) RETURN n.ref AS ref', limit: 5 })
      expect(output).toMatchObject({ truncated: true, limit: 5 })
      expect((output as { rows: unknown[] }).rows).toHaveLength(5)
      expect((await cypher({ query: 'RETURN 1 AS one', limit: 5 })).output).toEqual({ columns: ['one'], rows: [{ one: 1 }], truncated: false, limit: 5 })
      await expect(cypher({ query: 'RETURN 1', limit: 5000 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    })

    it('stops a query that runs past its time limit', async () => {
      await expect(cypher({ query: 'UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(x) AS n', timeoutMs: 300 })).rejects.toThrow(/ran longer than 300 ms and was stopped/)
    })

    it('needs the graph:cypher scope', async () => {
      await expect(platform.tools.call('graph_cypher', { query: 'RETURN 1' }, { identity: { subject: 'reader', scopes: new Set(['graph:read']) } })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    })

    it('gives the same graph-tool answers as the in-memory index on the demo organisation', async () => {
      const calls = await expectSameAnswers(platform.catalog, platform.neo4j!.backend, { samplesPerKind: 12, pathPairs: 12 })
      expect(calls).toBeGreaterThan(50)
    })
  })

  it('gives the same graph-tool answers as the in-memory index on a generated 100,000-entity catalog', async () => {
    const generated = await ensureDemoCatalog(100_000)
    const bus = new InProcessEventBus()
    const catalog = await Catalog.open({ repository: new MemoryCatalogRepository(), bus })
    const report = await catalog.import([generated.file])
    expect(report.errors).toEqual([])
    expect(catalog.index.size).toBeGreaterThanOrEqual(100_000)
    const mirror = new Neo4jMirror({ graph, index: catalog.index, bus })
    const written = await mirror.start()
    expect(written.nodes).toBeGreaterThanOrEqual(catalog.index.size)
    const counted = await graph.query<{ nodes: unknown; relationships: unknown }>('MATCH (n:Entity) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships')
    expect({ nodes: Number(counted.records[0]!.get('nodes')), relationships: Number(counted.records[0]!.get('relationships')) }).toEqual({ nodes: written.nodes, relationships: written.relationships })
    await expectSameAnswers(catalog, new Neo4jGraphBackend(graph), { samplesPerKind: 25, pathPairs: 5 })
    await mirror.close()
  }, 900_000)
})
