import type { EventBus } from '../../core/events/event-bus.ts'
import type { Catalog } from '../catalog/catalog.ts'
import { Neo4jGraph, type Neo4jConnectionOptions } from './neo4j-graph.ts'
import { Neo4jGraphBackend } from './neo4j-graph-backend.ts'
import { Neo4jMirror } from './neo4j-mirror.ts'

export interface Neo4jBackend {
  graph: Neo4jGraph
  backend: Neo4jGraphBackend
  mirror: Neo4jMirror
  close(): Promise<void>
}

/**
 * Connects to Neo4j and mirrors the catalog there before it resolves, so graph tools never answer from a half
 * written graph; from then on the mirror follows `catalog-changed` on the bus.
 */
export async function openNeo4jBackend({ connection, catalog, bus }: { connection: Neo4jConnectionOptions; catalog: Catalog; bus: EventBus }): Promise<Neo4jBackend> {
  const graph = await Neo4jGraph.open(connection)
  const mirror = new Neo4jMirror({ graph, index: catalog.index, bus })
  try {
    await mirror.start()
  } catch (error) {
    await mirror.close()
    await graph.close()
    throw new Error(`Mirroring the catalog into Neo4j at ${connection.url} failed: ${(error as Error).message}`, { cause: error })
  }
  return {
    graph,
    backend: new Neo4jGraphBackend(graph),
    mirror,
    async close() {
      await mirror.close()
      await graph.close()
    },
  }
}
