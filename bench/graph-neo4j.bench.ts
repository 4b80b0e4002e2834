import { isDeepStrictEqual } from 'node:util'
import { InProcessEventBus } from '../core/events/in-process-event-bus.ts'
import type { GraphBackend } from '../graph/query/graph-backend.ts'
import { dependenciesOf, dependencyCycles, dependentsOf, runTraversal, shortestPath, type Traversal } from '../graph/query/graph-traversals.ts'
import { MemoryGraphBackend } from '../graph/query/memory-graph-backend.ts'
import { Neo4jGraph } from '../graph/neo4j/neo4j-graph.ts'
import { Neo4jGraphBackend } from '../graph/neo4j/neo4j-graph-backend.ts'
import { Neo4jMirror } from '../graph/neo4j/neo4j-mirror.ts'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { deterministicSample, interleave } from './deterministic-sample.ts'
import { summarizeLatencies } from './latency-summary.ts'

const DEPTH = 5
const CALLS = 200
const PATHS = 20

interface Operation {
  name: string
  traversals: Array<() => Traversal<unknown>>
}

/** Runs each traversal on both backends in turn (so neither gets a warmer machine), checking they agree. */
async function compare(operation: Operation, memory: GraphBackend, neo4j: GraphBackend, deadline: number): Promise<BenchResult> {
  const memoryMs: number[] = []
  const neo4jMs: number[] = []
  let disagreements = 0
  for (const traversal of operation.traversals) {
    if (performance.now() > deadline) break
    let started = performance.now()
    const inMemory = await runTraversal(memory, traversal())
    memoryMs.push(performance.now() - started)
    started = performance.now()
    const onNeo4j = await runTraversal(neo4j, traversal())
    neo4jMs.push(performance.now() - started)
    if (!isDeepStrictEqual(inMemory, onNeo4j)) disagreements++
  }
  const memorySummary = summarizeLatencies(memoryMs)
  const neo4jSummary = summarizeLatencies(neo4jMs)
  return {
    calls: memoryMs.length,
    truncated: memoryMs.length < operation.traversals.length,
    disagreements,
    memory: memorySummary,
    neo4j: neo4jSummary,
    p50Ratio: roundTo((neo4jSummary.p50Ms as number) / Math.max(0.001, memorySummary.p50Ms as number), 1),
  }
}

/**
 * Graph traversal latency on the in-memory index versus Neo4j, on the 100,000-entity catalog: the catalog is
 * mirrored into the Neo4j at NEO4J_TEST_URL (a throwaway server: the mirror replaces what is there; `npm test`'s
 * infra/neo4j/start.sh starts one), then the same traversals run on both backends and their answers are compared.
 */
export async function graphNeo4jBenchmark(context: BenchContext): Promise<BenchResult> {
  const url = process.env.NEO4J_TEST_URL
  if (!url) return { skipped: 'set NEO4J_TEST_URL to a throwaway Neo4j (bash infra/neo4j/start.sh prints one); the mirror replaces its contents' }
  const { platform } = await context.memoryPlatform()
  const { index } = platform.catalog
  const graph = await Neo4jGraph.open({ url })
  try {
    progress(`mirroring ${index.size} entities into Neo4j at ${url}`)
    const mirror = new Neo4jMirror({ graph, index, bus: new InProcessEventBus() })
    let started = performance.now()
    const written = await mirror.start()
    const mirrorMs = roundTo(performance.now() - started, 1)
    await mirror.close()
    progress(`mirrored ${written.nodes} nodes and ${written.relationships} relationships in ${Math.round(mirrorMs / 1000)} s`)

    const memory = new MemoryGraphBackend(index)
    const neo4j = new Neo4jGraphBackend(graph)
    const refs = interleave(deterministicSample(index.refsOfKind('component'), CALLS / 2, 21), deterministicSample(index.refsOfKind('resource'), CALLS / 2, 22))
    const targets = deterministicSample(index.refsOfKind('resource'), PATHS, 23)
    const budgetMs = environmentNumber('BENCH_PHASE_BUDGET_MS', 120_000)
    // Warm both (JIT, Neo4j's page cache and query plans) on refs outside the sample.
    for (const ref of deterministicSample(index.refsOfKind('component'), 50, 98)) {
      await runTraversal(neo4j, dependentsOf(ref, DEPTH))
      await runTraversal(neo4j, dependenciesOf(ref, DEPTH))
    }
    const operations: Operation[] = [
      { name: 'dependents', traversals: refs.map((ref) => () => dependentsOf(ref, DEPTH)) },
      { name: 'dependencies', traversals: refs.map((ref) => () => dependenciesOf(ref, DEPTH)) },
      { name: 'path', traversals: refs.slice(0, PATHS).map((from, position) => () => shortestPath(from, targets[position]!)) },
      { name: 'cycles', traversals: [() => dependencyCycles()] },
    ]
    const results: Record<string, BenchResult> = {}
    for (const operation of operations) {
      progress(`${operation.name}: ${operation.traversals.length} traversals on each backend`)
      results[operation.name] = await compare(operation, memory, neo4j, performance.now() + budgetMs)
    }
    return {
      entities: index.size,
      neo4j: { url, nodes: written.nodes, relationships: written.relationships, mirrorMs, server: (await graph.driver.getServerInfo()).agent ?? 'unknown' },
      depth: DEPTH,
      ...results,
    }
  } finally {
    await graph.close()
  }
}
