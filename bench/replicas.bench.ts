import { Kafka, logLevel } from 'kafkajs'
import { loadConfig } from '../core/config.ts'
import { createPlatform } from '../platform/create-platform.ts'
import { spawnReplica, type ReplicaProcess } from '../platform/testing/spawn-replica.ts'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { createScratchDatabase } from './catalog-import.bench.ts'
import { ENDPOINTS, type RequestSpec } from './catalog-query-endpoints.ts'
import { cycleTo, deterministicSample } from './deterministic-sample.ts'
import { runHttpLoadInWorker } from './http-load.ts'
import { summarizeLatencies } from './latency-summary.ts'
import { runMcpLoadInWorker } from './mcp-calls.bench.ts'

const CLIENTS = 64
const REQUESTS = 6000
const WARM_UP = 600

/** One load's outcome, whatever the protocol. */
interface Load {
  durations: number[]
  failures: number
  firstFailure?: string
  elapsedMs: number
  truncated: boolean
}

/** `CLIENTS` clients spread evenly over `urls` (as a load balancer would), all at once; their figures combined. */
async function spreadLoad(urls: string[], run: (url: string, share: number, clients: number) => Promise<Load>, requests: number): Promise<BenchResult> {
  const started = performance.now()
  const loads = await Promise.all(urls.map((url) => run(url, Math.floor(requests / urls.length), CLIENTS / urls.length)))
  const elapsedMs = performance.now() - started
  const durations = loads.flatMap((load) => load.durations)
  return {
    replicas: urls.length,
    clients: CLIENTS,
    ...summarizeLatencies(durations),
    requestsPerSecond: Math.round(durations.length / (elapsedMs / 1000)),
    failures: loads.reduce((sum, load) => sum + load.failures, 0),
    ...(loads.find((load) => load.firstFailure) ? { firstFailure: loads.find((load) => load.firstFailure)!.firstFailure } : {}),
    truncated: loads.some((load) => load.truncated),
  }
}

/**
 * HTTP and MCP throughput at 64 concurrent clients against two portal replicas (separate processes sharing one
 * PostgreSQL and one Kafka) and against one: the catalog query `GET /api/catalog/entities/by-query` by owner, and
 * MCP `tools/call` of `graph_dependents` (2026-07-28). The clients run on worker threads of this process, half on
 * each replica. Needs BENCH_DATABASE_URL (PostgreSQL with pgvector) and BENCH_KAFKA_BROKERS; on one machine the
 * replicas share its cores, so the ratio says what a second replica costs and gains here, not on two machines.
 */
export async function replicasBenchmark(context: BenchContext): Promise<BenchResult> {
  const serverUrl = process.env.BENCH_DATABASE_URL
  const brokers = process.env.BENCH_KAFKA_BROKERS
  if (!serverUrl || !brokers) return { skipped: 'set BENCH_DATABASE_URL (PostgreSQL with pgvector) and BENCH_KAFKA_BROKERS (e.g. from infra/postgres/start.sh and infra/kafka/start.sh) to run two replicas against one' }
  const requests = environmentNumber('BENCH_REPLICAS_REQUESTS', REQUESTS)
  const budgetMs = environmentNumber('BENCH_PHASE_BUDGET_MS', 60_000)
  const catalog = await context.demoCatalog()
  const database = await createScratchDatabase(serverUrl)
  const topic = `bench-replicas-${process.pid}`
  const replicas: ReplicaProcess[] = []
  try {
    const seed = await createPlatform({ config: loadConfig({ DATABASE_URL: database.url, PORTAL_DEMO: 'false', PORTAL_EMBEDDINGS_MODEL: 'none' }) })
    let groups: Array<{ ref: string; name: string }>
    let refs: string[]
    try {
      const report = await seed.catalog.import([catalog.file])
      if (report.errors.length > 0) throw new Error(`the bench catalog did not import: ${report.errors[0]!.message}`)
      const { index } = seed.catalog
      groups = deterministicSample(index.refsOfKind('group'), 200, 7).map((ref) => ({ ref, name: index.get(ref)!.metadata.name }))
      refs = [...deterministicSample(index.refsOfKind('component'), 250, 8), ...deterministicSample(index.refsOfKind('resource'), 250, 9)]
    } finally {
      await seed.close()
    }
    progress(`catalog of ${catalog.entities} entities in ${database.name}; starting two replicas`)
    const env = (name: string) => ({ DATABASE_URL: database.url, KAFKA_BROKERS: brokers, PORTAL_EVENTS_TOPIC: topic, PORTAL_REPLICA_ID: name, PORTAL_DEMO: 'false', PORTAL_EMBEDDINGS_MODEL: 'none', PORTAL_MCP_ANONYMOUS_LOOPBACK: 'true' })
    replicas.push(...(await Promise.all([spawnReplica(env('bench-a'), { startTimeoutMs: 300_000 }), spawnReplica(env('bench-b'), { startTimeoutMs: 300_000 })])))
    const urls = replicas.map((replica) => replica.url)

    const httpSpecs: RequestSpec[] = cycleTo(groups, requests).map((group) => ENDPOINTS.byQuery.requestFor(group))
    const http = (specs: RequestSpec[]) => (url: string, share: number, clients: number) => runHttpLoadInWorker({ baseUrl: url, endpoint: 'byQuery', specs: specs.slice(0, share), concurrency: clients, budgetMs })
    const mcpInputs = cycleTo(refs, requests).map((ref) => ({ ref }))
    const mcp = (inputs: Array<Record<string, unknown>>) => (url: string, share: number, clients: number) => runMcpLoadInWorker({ baseUrl: url, protocol: '2026-07-28', tool: 'graph_dependents', inputs: inputs.slice(0, share), concurrency: clients, budgetMs })

    const results: Record<string, BenchResult> = {}
    for (const [surface, run, describe] of [
      ['http', http(httpSpecs), ENDPOINTS.byQuery.describe],
      ['mcp', mcp(mcpInputs), 'POST /mcp tools/call graph_dependents (2026-07-28), default depth 5'],
    ] as const) {
      await spreadLoad(urls, run, WARM_UP * 2)
      progress(`${surface}: ${requests} requests from ${CLIENTS} clients on one replica`)
      const one = await spreadLoad(urls.slice(0, 1), run, requests)
      progress(`${surface}: ${requests} requests from ${CLIENTS} clients over two replicas`)
      const two = await spreadLoad(urls, run, requests)
      const ratio = roundTo((two.requestsPerSecond as number) / (one.requestsPerSecond as number), 2)
      progress(`  one: ${one.requestsPerSecond}/s p99 ${one.p99Ms} ms; two: ${two.requestsPerSecond}/s p99 ${two.p99Ms} ms (×${ratio})`)
      results[surface] = { request: describe, oneReplica: one, twoReplicas: two, twoOverOne: ratio }
    }
    return {
      catalog: { entities: catalog.entities },
      setup: 'two portal processes (platform/testing/replica-child.ts) on one PostgreSQL database and one Kafka topic; clients on worker threads, keep-alive, half per replica',
      cpus: (await import('node:os')).cpus().length,
      requestsPerConfiguration: requests,
      ...results,
    }
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()))
    await database.drop()
    const admin = new Kafka({ clientId: 'bench-replicas', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined)
    await admin.disconnect()
  }
}
