import http from 'node:http'
import { createHttpApp } from '../server/create-http-app.ts'
import { serveHttp } from '../server/serve-http.ts'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { cycleTo, deterministicSample } from './deterministic-sample.ts'
import { httpRequest } from './http-client.ts'
import { againstTarget, summarizeLatencies } from './latency-summary.ts'

const REQUESTS = 2000
const WARM_UP_REQUESTS = 100
const GROUP_SAMPLE = 200
const CONCURRENCIES = [1, 8] as const
const TARGET_P99_MS = 20

interface RequestSpec {
  path: string
  method: 'GET' | 'POST'
  body?: string
}

/** How many entities a response carried, and how many matched in all. */
type CountItems = (body: string) => { items: number; totalItems: number }

interface Endpoint {
  describe: string
  requestFor(group: { ref: string; name: string }): RequestSpec
  count: CountItems
}

const ENDPOINTS: Record<'byQuery' | 'toolQuery', Endpoint> = {
  byQuery: {
    describe: 'GET /api/catalog/entities/by-query?filter=relations.ownedby=<group ref>&limit=50',
    requestFor: ({ ref }) => ({ method: 'GET', path: `/api/catalog/entities/by-query?${new URLSearchParams({ filter: `relations.ownedby=${ref}`, limit: '50' })}` }),
    count: (body) => {
      const parsed = JSON.parse(body) as { items: unknown[]; totalItems: number }
      return { items: parsed.items.length, totalItems: parsed.totalItems }
    },
  },
  toolQuery: {
    describe: 'POST /api/tools/catalog_query {"owner": "<group name>"}',
    requestFor: ({ name }) => ({ method: 'POST', path: '/api/tools/catalog_query', body: JSON.stringify({ owner: name }) }),
    count: (body) => {
      const parsed = JSON.parse(body) as { output: { items: unknown[]; totalItems: number } }
      return { items: parsed.output.items.length, totalItems: parsed.output.totalItems }
    },
  },
}

/** `requests` spread over `concurrency` callers sharing one queue, each waiting for its answer before the next. */
async function load(baseUrl: string, specs: RequestSpec[], count: CountItems, concurrency: number, deadline: number): Promise<BenchResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const durations: number[] = []
  let failures = 0
  let firstFailure: string | undefined
  let items = 0
  let totalItems = 0
  let next = 0
  let truncated = false
  const started = performance.now()
  const caller = async () => {
    while (next < specs.length) {
      if (performance.now() > deadline) {
        truncated = true
        return
      }
      const spec = specs[next++]!
      const requestStarted = performance.now()
      const response = await httpRequest(agent, `${baseUrl}${spec.path}`, { method: spec.method, body: spec.body })
      durations.push(performance.now() - requestStarted)
      if (response.status !== 200) {
        failures++
        firstFailure ??= `${response.status} ${response.body.slice(0, 300)}`
        continue
      }
      const counted = count(response.body)
      items += counted.items
      totalItems += counted.totalItems
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller))
  const elapsedMs = performance.now() - started
  agent.destroy()
  const succeeded = Math.max(1, durations.length - failures)
  return {
    concurrency,
    ...summarizeLatencies(durations),
    throughputPerSecond: Math.round(durations.length / (elapsedMs / 1000)),
    failures,
    ...(firstFailure ? { firstFailure } : {}),
    meanItems: roundTo(items / succeeded, 1),
    meanTotalItems: roundTo(totalItems / succeeded, 1),
    truncated,
  }
}

/**
 * The Backstage by-query endpoint and the `catalog_query` tool over HTTP, on the in-memory 100,000-entity
 * catalog: 2,000 requests by owner over a fixed sample of groups, one caller at a time and then eight.
 * The client runs in the same process as the server, so its own work is part of every latency.
 */
export async function catalogQueryHttpBenchmark(context: BenchContext): Promise<BenchResult> {
  const { platform, loadMs, catalog } = await context.memoryPlatform()
  const { index } = platform.catalog
  const budgetMs = environmentNumber('BENCH_PHASE_BUDGET_MS', 120_000)
  const owners = [...index.refsOfKind('group')].filter((ref) => index.targets(ref, 'ownerOf').length > 0)
  const groups = deterministicSample(owners, GROUP_SAMPLE, 21).map((ref) => ({ ref, name: ref.slice(ref.indexOf('/') + 1) }))
  const server = await serveHttp(createHttpApp(platform), { port: 0 })
  progress(`HTTP server on ${server.url}; ${groups.length} owning groups sampled of ${owners.length}`)
  try {
    // The first filtered query after a catalog change builds the value index for its key over every entity.
    const coldAgent = new http.Agent({ keepAlive: false })
    const coldStarted = performance.now()
    const cold = await httpRequest(coldAgent, `${server.url}${ENDPOINTS.byQuery.requestFor(groups[0]!).path}`)
    const coldFirstRequestMs = roundTo(performance.now() - coldStarted, 1)
    coldAgent.destroy()
    progress(`first by-query request (cold value index): ${Math.round(coldFirstRequestMs)} ms, status ${cold.status}`)

    const results: Record<string, BenchResult> = {}
    for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
      const specs = cycleTo(groups, REQUESTS).map((group) => endpoint.requestFor(group))
      const warmUp = cycleTo(groups, WARM_UP_REQUESTS).map((group) => endpoint.requestFor(group))
      const byConcurrency: BenchResult = { request: endpoint.describe }
      for (const concurrency of CONCURRENCIES) {
        await load(server.url, warmUp, endpoint.count, concurrency, performance.now() + budgetMs)
        progress(`${name}: ${specs.length} requests at concurrency ${concurrency}`)
        const measured = await load(server.url, specs, endpoint.count, concurrency, performance.now() + budgetMs)
        byConcurrency[`concurrency${concurrency}`] = { ...measured, target: `p99 under ${TARGET_P99_MS} ms`, ...againstTarget(measured.p99Ms as number, TARGET_P99_MS) }
      }
      results[name] = byConcurrency
    }
    return {
      catalog: { entities: index.size, file: catalog.file },
      platformLoadMs: loadMs,
      requests: REQUESTS,
      warmUpRequests: WARM_UP_REQUESTS,
      groupsSampled: groups.length,
      owningGroups: owners.length,
      coldFirstRequestMs,
      ...results,
    }
  } finally {
    await server.close()
  }
}
