import http from 'node:http'
import type { Hono } from 'hono'
import { createHttpApp } from '../server/create-http-app.ts'
import { serveHttp } from '../server/serve-http.ts'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { ENDPOINTS, type EndpointName, type RequestSpec } from './catalog-query-endpoints.ts'
import { cycleTo, deterministicSample } from './deterministic-sample.ts'
import { httpRequest } from './http-client.ts'
import { runHttpLoadInWorker, type HttpLoadResult } from './http-load.ts'
import { againstTarget, summarizeLatencies } from './latency-summary.ts'

const REQUESTS = 2000
const WARM_UP_REQUESTS = 100
const GROUP_SAMPLE = 200
const CONCURRENCIES = [1, 8] as const
const TARGET_P99_MS = 20

function describeLoad(load: HttpLoadResult, concurrency: number): BenchResult {
  const succeeded = Math.max(1, load.durations.length - load.failures)
  const summary = summarizeLatencies(load.durations)
  return {
    concurrency,
    ...summary,
    throughputPerSecond: Math.round(load.durations.length / (load.elapsedMs / 1000)),
    failures: load.failures,
    ...(load.firstFailure ? { firstFailure: load.firstFailure } : {}),
    meanItems: roundTo(load.items / succeeded, 1),
    meanTotalItems: roundTo(load.totalItems / succeeded, 1),
    truncated: load.truncated,
    target: `p99 under ${TARGET_P99_MS} ms`,
    ...againstTarget(summary.p99Ms, TARGET_P99_MS),
  }
}

/** The same requests handed straight to the app (`app.request`, no socket): the server's own work alone. */
async function inProcess(app: Hono, specs: RequestSpec[], budgetMs: number): Promise<BenchResult> {
  const durations: number[] = []
  const deadline = performance.now() + budgetMs
  for (const spec of specs) {
    if (performance.now() > deadline) break
    const started = performance.now()
    const response = await app.request(spec.path, { method: spec.method, body: spec.body })
    await response.text()
    durations.push(performance.now() - started)
  }
  return { ...summarizeLatencies(durations), truncated: durations.length < specs.length }
}

/**
 * The Backstage by-query endpoint and the `catalog_query` tool over HTTP, on the in-memory 100,000-entity
 * catalog: 2,000 requests by owner over a fixed sample of groups, one caller at a time and then eight.
 * The callers run in a worker thread (the server keeps the main thread); `inProcess` is the handler alone.
 */
export async function catalogQueryHttpBenchmark(context: BenchContext): Promise<BenchResult> {
  const { platform, loadMs, catalog } = await context.memoryPlatform()
  const { index } = platform.catalog
  const budgetMs = environmentNumber('BENCH_PHASE_BUDGET_MS', 120_000)
  const owners = [...index.refsOfKind('group')].filter((ref) => index.targets(ref, 'ownerOf').length > 0)
  const groups = deterministicSample(owners, GROUP_SAMPLE, 21).map((ref) => ({ ref, name: ref.slice(ref.indexOf('/') + 1) }))
  const app = createHttpApp(platform)
  const server = await serveHttp(app, { port: 0 })
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
    for (const endpoint of Object.keys(ENDPOINTS) as EndpointName[]) {
      const specs = cycleTo(groups, REQUESTS).map((group) => ENDPOINTS[endpoint].requestFor(group))
      const warmUp = cycleTo(groups, WARM_UP_REQUESTS).map((group) => ENDPOINTS[endpoint].requestFor(group))
      const measured: BenchResult = { request: ENDPOINTS[endpoint].describe, inProcess: await inProcess(app, specs, budgetMs) }
      for (const concurrency of CONCURRENCIES) {
        const load = { baseUrl: server.url, endpoint, concurrency, budgetMs }
        await runHttpLoadInWorker({ ...load, specs: warmUp })
        progress(`${endpoint}: ${specs.length} requests at concurrency ${concurrency}`)
        measured[`concurrency${concurrency}`] = describeLoad(await runHttpLoadInWorker({ ...load, specs }), concurrency)
      }
      results[endpoint] = measured
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
