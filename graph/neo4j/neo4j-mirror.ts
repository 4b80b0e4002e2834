import { randomUUID } from 'node:crypto'
import neo4j, { type ManagedTransaction } from 'neo4j-driver'
import type { EventBus, PortalEvent } from '../../core/events/event-bus.ts'
import { CATALOG_CHANGED, type CatalogChangedPayload } from '../catalog/catalog.ts'
import type { CatalogIndex } from '../index/catalog-index.ts'
import { cypherName, type Neo4jGraph } from './neo4j-graph.ts'

export interface MirrorOptions {
  graph: Neo4jGraph
  index: CatalogIndex
  bus: EventBus
  /** Rows per UNWIND statement (and per transaction in a full sync). */
  batchSize?: number
  onError?: (error: unknown) => void
}

interface NodeRow {
  ref: string
  /** The entity's kind as authored (its label); absent for an unresolved reference. */
  kind?: string
  properties: Record<string, unknown>
}

interface EdgeRow {
  source: string
  type: string
  target: string
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size))
  return out
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(key(item))
    if (group) group.push(item)
    else groups.set(key(item), [item])
  }
  return groups
}

// Kinds and relation types are written one statement per name, backtick-quoted (`cypherName`): Neo4j 5.26's
// dynamic `CREATE ()-[:$(row.type)]->()` gave every row of an UNWIND the first row's type.
const writeEntities = (kind: string) => `UNWIND $rows AS row
  MERGE (node:Entity {ref: row.ref})
  SET node = row.properties, node:${cypherName(kind)}
  REMOVE node:Unresolved`
const WRITE_UNRESOLVED = `UNWIND $rows AS row
  MERGE (node:Entity {ref: row.ref})
  WITH node, row, [label IN labels(node) WHERE label <> 'Entity'] AS stale
  REMOVE node:$(stale)
  SET node = row.properties, node:Unresolved`
const DELETE_OUTGOING = 'UNWIND $refs AS ref MATCH (:Entity {ref: ref})-[relation]->() DELETE relation'
const writeEdges = (type: string) => `UNWIND $rows AS row
  MATCH (source:Entity {ref: row.source}), (target:Entity {ref: row.target})
  CREATE (source)-[:${cypherName(type)}]->(target)`
const DELETE_NODES = 'UNWIND $refs AS ref MATCH (node:Entity {ref: ref}) DETACH DELETE node'

/**
 * Mirrors the catalog graph into Neo4j: every entity a node labelled `Entity` and its kind (`Component`, `API`, …)
 * with its main fields as properties; every relation the index derives (both directions, as Backstage serves
 * them) a typed relationship; a reference to an entity that is not in the catalog a node labelled `Entity` and
 * `Unresolved`. `start` writes everything (in batches, then sweeps what an earlier run left behind); after that
 * each `catalog-changed` event rewrites the changed entities and their neighbours, old and new, in one
 * transaction. Writes are idempotent, so replicas that hear the same event write the same graph.
 */
export class Neo4jMirror {
  private readonly graph: Neo4jGraph
  private readonly index: CatalogIndex
  private readonly bus: EventBus
  private readonly batchSize: number
  private readonly onError: (error: unknown) => void
  private queue: Promise<unknown> = Promise.resolve()
  /** Set when a write failed: the next change repairs the mirror with a full sync instead. */
  private stale = true
  /** The last full sync's mark on every node it wrote; its sweep deletes nodes without it. */
  private run: string = randomUUID()
  private unsubscribe?: () => void

  constructor({ graph, index, bus, batchSize = 2000, onError = (error) => console.error('neo4j mirror:', error) }: MirrorOptions) {
    this.graph = graph
    this.index = index
    this.bus = bus
    this.batchSize = batchSize
    this.onError = onError
  }

  /** Creates the schema, subscribes to catalog changes and writes the whole catalog; resolves when it is written. */
  async start(): Promise<{ nodes: number; relationships: number }> {
    await this.graph.write((transaction) => transaction.run('CREATE CONSTRAINT portal_entity_ref IF NOT EXISTS FOR (node:Entity) REQUIRE node.ref IS UNIQUE'))
    this.unsubscribe = this.bus.subscribe(CATALOG_CHANGED, (event) => this.onChanged(event))
    return this.enqueue(() => this.fullSync())
  }

  /** Resolves once every change heard so far is written (tests and shutdown wait on it). */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined)
  }

  async close(): Promise<void> {
    this.unsubscribe?.()
    await this.settled()
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work)
    this.queue = result.catch(() => undefined)
    return result
  }

  private onChanged(event: PortalEvent): Promise<void> {
    const { upserted, removed } = event.payload as CatalogChangedPayload
    // Changes are written one after another, each from the index as it is then, so a burst cannot interleave.
    return this.enqueue(async () => {
      try {
        // A change as large as an import of a whole catalog is written in batches, not as one huge transaction.
        if (this.stale || upserted.length + removed.length > this.batchSize * 5) await this.fullSync()
        else await this.applyChange([...upserted, ...removed])
      } catch (error) {
        this.stale = true
        this.onError(error)
      }
    })
  }

  /** Writes the whole catalog, then deletes every node this run did not write. */
  async fullSync(): Promise<{ nodes: number; relationships: number }> {
    const run = (this.run = randomUUID())
    const refs = new Set(this.index.refs())
    for (const ref of [...refs]) for (const relation of this.index.relationsOf(ref)) refs.add(relation.targetRef)
    const nodes = [...refs].map((ref) => this.nodeRow(ref, run)!)
    for (const batch of chunks(nodes, this.batchSize)) await this.graph.write((transaction) => this.writeNodes(transaction, batch))
    let relationships = 0
    for (const batch of chunks([...refs], this.batchSize)) {
      relationships += await this.graph.write((transaction) => this.writeEdges(transaction, batch))
    }
    // What an earlier run wrote and this one did not: entities deleted while no portal was listening.
    let swept: number
    do {
      swept = await this.graph.write(async (transaction) => {
        const result = await transaction.run('MATCH (node:Entity) WHERE node.mirrorRun IS NULL OR node.mirrorRun <> $run WITH node LIMIT $limit DETACH DELETE node RETURN count(*) AS count', { run, limit: neo4j.int(this.batchSize) })
        return Number(result.records[0]?.get('count') ?? 0)
      })
    } while (swept > 0)
    this.stale = false
    return { nodes: nodes.length, relationships }
  }

  /**
   * Rewrites the changed refs and every neighbour they had (read from Neo4j) or have (from the index): each
   * relation has both ends among them, so rewriting their outgoing relationships makes the mirror match.
   */
  private async applyChange(changed: string[]): Promise<void> {
    await this.graph.write(async (transaction) => {
      const before = await transaction.run<{ ref: string }>('UNWIND $refs AS ref MATCH (:Entity {ref: ref})--(neighbour:Entity) RETURN DISTINCT neighbour.ref AS ref', { refs: changed })
      const affected = new Set(changed)
      for (const record of before.records) affected.add(record.get('ref'))
      for (const ref of changed) for (const relation of this.index.relationsOf(ref)) affected.add(relation.targetRef)
      // A changed entity is written afresh (its kind, properties and labels may all have changed or gone).
      await transaction.run(DELETE_NODES, { refs: changed })
      const rows = [...affected].map((ref) => this.nodeRow(ref, this.run))
      const gone = [...affected].filter((_, position) => rows[position] === undefined)
      await transaction.run(DELETE_NODES, { refs: gone })
      await this.writeNodes(transaction, rows.filter((row) => row !== undefined))
      await this.writeEdges(transaction, [...affected].filter((_, position) => rows[position] !== undefined))
    })
  }

  /** What the node for `ref` should be now: an entity, an unresolved reference, or nothing (undefined). */
  private nodeRow(ref: string, run: string): NodeRow | undefined {
    const stored = this.index.getStored(ref)
    if (!stored) return this.index.relationsOf(ref).length > 0 ? { ref, properties: { ref, mirrorRun: run } } : undefined
    const { kind, metadata, spec = {} } = stored.entity
    const text = (value: unknown) => (typeof value === 'string' ? value : null)
    return {
      ref,
      kind,
      properties: {
        ref,
        mirrorRun: run,
        kind: kind.toLowerCase(),
        namespace: metadata.namespace ?? 'default',
        name: metadata.name,
        title: metadata.title ?? null,
        description: metadata.description ?? null,
        tags: metadata.tags ?? [],
        type: text(spec.type),
        lifecycle: text(spec.lifecycle),
        uid: stored.uid,
      },
    }
  }

  private async writeNodes(transaction: ManagedTransaction, rows: NodeRow[]): Promise<void> {
    const unresolved = rows.filter((row) => row.kind === undefined)
    for (const [kind, entities] of groupBy(rows.filter((row) => row.kind !== undefined), (row) => row.kind!)) {
      for (const batch of chunks(entities, this.batchSize)) await transaction.run(writeEntities(kind), { rows: batch })
    }
    for (const batch of chunks(unresolved, this.batchSize)) await transaction.run(WRITE_UNRESOLVED, { rows: batch })
  }

  /** Replaces the outgoing relationships of `refs` with the index's; returns how many were written. */
  private async writeEdges(transaction: ManagedTransaction, refs: string[]): Promise<number> {
    const edges: EdgeRow[] = refs.flatMap((source) => this.index.relationsOf(source).map((relation) => ({ source, type: relation.type, target: relation.targetRef })))
    for (const batch of chunks(refs, this.batchSize)) await transaction.run(DELETE_OUTGOING, { refs: batch })
    for (const [type, ofType] of groupBy(edges, (edge) => edge.type)) {
      for (const batch of chunks(ofType, this.batchSize)) await transaction.run(writeEdges(type), { rows: batch })
    }
    return edges.length
  }
}
