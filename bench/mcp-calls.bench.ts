import http from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { loadConfig } from '../core/config.ts'
import { localOperator } from '../core/identity.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHttpApp } from '../server/create-http-app.ts'
import { serveHttp } from '../server/serve-http.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { cycleTo, deterministicSample, interleave } from './deterministic-sample.ts'
import { againstTarget, summarizeLatencies } from './latency-summary.ts'
import { mcpSdkFloor } from './mcp-sdk-floor.ts'

const CALLS = 3000
const WARM_UP_CALLS = 300
const SAMPLE = 500
const CONCURRENCIES = [1, 32] as const
const TOOLS = ['catalog_get_entity', 'graph_dependents'] as const
const REVISIONS = ['2026-07-28', '2025-11-25'] as const
const TARGET_P99_MS = 10
const TARGET_CALLS_PER_SECOND = 3000

type Revision = (typeof REVISIONS)[number]
type ToolName = (typeof TOOLS)[number]

/** A revision of MCP over /mcp, or the same tool over the plain REST route `POST /api/tools/<name>` as a baseline. */
type Protocol = Revision | 'rest'

interface LoadOptions {
  baseUrl: string
  protocol: Protocol
  tool: ToolName
  inputs: Array<Record<string, unknown>>
  concurrency: number
  budgetMs: number
}

interface LoadResult {
  durations: number[]
  failures: number
  firstFailure?: string
  elapsedMs: number
  meanResponseBytes: number
  truncated: boolean
}

const CLIENT_INFO = { name: 'portal-bench', version: '1' }

/** Path, headers and body of one call: 2026-07-28 carries its envelope in `_meta` (and names the call in headers). */
function toolCall(protocol: Protocol, id: number, tool: ToolName, input: Record<string, unknown>): { path: string; headers: Record<string, string>; body: string } {
  if (protocol === 'rest') return { path: `/api/tools/${tool}`, headers: {}, body: JSON.stringify(input) }
  const revision = protocol
  if (revision === '2026-07-28') {
    const _meta = { 'io.modelcontextprotocol/protocolVersion': revision, 'io.modelcontextprotocol/clientInfo': CLIENT_INFO, 'io.modelcontextprotocol/clientCapabilities': {} }
    return { path: '/mcp', headers: { 'mcp-protocol-version': revision, 'mcp-method': 'tools/call', 'mcp-name': tool }, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: input, _meta } }) }
  }
  return { path: '/mcp', headers: { 'mcp-protocol-version': revision }, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: input } }) }
}

/** One POST over a keep-alive agent; the JSON answer, or for MCP the JSON-RPC message from the SSE event carrying it. */
function post(agent: http.Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; message: any; bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body), ...headers } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('error', reject)
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let message: any
        try {
          message = response.headers['content-type']?.includes('text/event-stream')
            ? text.split('\n').filter((line) => line.startsWith('data:')).map((line) => JSON.parse(line.slice(5))).find((item) => 'result' in item || 'error' in item)
            : JSON.parse(text)
        } catch {
          message = { unparsable: text.slice(0, 300) }
        }
        resolve({ status: response.statusCode ?? 0, message, bytes: text.length })
      })
    })
    request.once('error', reject)
    request.end(body)
  })
}

/**
 * `inputs` spread over `concurrency` clients sharing one queue, each waiting for its answer before its next call.
 * A 2025-11-25 client first initializes (unmeasured); the portal serves that revision statelessly, so no session
 * id follows. A 2026-07-28 client needs no handshake. A call counts as failed unless it answers 200 with a result
 * that is not an error and carries structuredContent (REST: with an output).
 */
export async function runMcpLoad({ baseUrl, protocol, tool, inputs, concurrency, budgetMs }: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const result: LoadResult = { durations: [], failures: 0, elapsedMs: 0, meanResponseBytes: 0, truncated: false }
  let bytes = 0
  const fail = (detail: string) => {
    result.failures++
    result.firstFailure ??= detail.slice(0, 400)
  }
  if (protocol === '2025-11-25') {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const initialize = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: protocol, capabilities: {}, clientInfo: CLIENT_INFO } })
        const answer = await post(agent, `${baseUrl}/mcp`, {}, initialize)
        if (answer.message?.result?.protocolVersion !== protocol) throw new Error(`initialize answered ${answer.status} ${JSON.stringify(answer.message).slice(0, 300)}`)
        await post(agent, `${baseUrl}/mcp`, { 'mcp-protocol-version': protocol }, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))
      }),
    )
  }
  const started = performance.now()
  const deadline = started + budgetMs
  let next = 0
  const client = async () => {
    while (next < inputs.length) {
      if (performance.now() > deadline) {
        result.truncated = true
        return
      }
      const id = next
      const { path: callPath, headers, body } = toolCall(protocol, id, tool, inputs[next++]!)
      const callStarted = performance.now()
      const answer = await post(agent, `${baseUrl}${callPath}`, headers, body)
      result.durations.push(performance.now() - callStarted)
      bytes += answer.bytes
      const callResult = answer.message?.result
      const ok = protocol === 'rest' ? answer.status === 200 && answer.message?.output !== undefined : answer.status === 200 && answer.message?.id === id && callResult && !callResult.isError && callResult.structuredContent !== undefined
      if (!ok) fail(`${answer.status} ${JSON.stringify(answer.message)}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client))
  result.elapsedMs = performance.now() - started
  result.meanResponseBytes = Math.round(bytes / Math.max(1, result.durations.length))
  agent.destroy()
  return result
}

// This module is also the load worker's entry: the clients run on their own thread (as a separate client process
// would), so that their request building and JSON parsing do not queue behind the server on its event loop.
const WORKER_TAG = 'mcp-calls-load'
if (!isMainThread && (workerData as { tag?: string } | undefined)?.tag === WORKER_TAG) {
  parentPort!.postMessage(await runMcpLoad((workerData as { options: LoadOptions }).options))
}

export function runMcpLoadInWorker(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { tag: WORKER_TAG, options } })
    worker.once('message', (result: LoadResult) => resolve(result))
    worker.once('error', reject)
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the MCP load worker exited with code ${code}`)))
  })
}

function describeLoad(load: LoadResult, concurrency: number, withTargets: boolean): BenchResult {
  const summary = summarizeLatencies(load.durations)
  const callsPerSecond = Math.round(load.durations.length / (load.elapsedMs / 1000))
  const base = { concurrency, ...summary, callsPerSecond, failures: load.failures, ...(load.firstFailure ? { firstFailure: load.firstFailure } : {}), meanResponseBytes: load.meanResponseBytes, truncated: load.truncated }
  if (!withTargets) return base
  return {
    ...base,
    latencyTarget: `p99 under ${TARGET_P99_MS} ms`,
    ...againstTarget(summary.p99Ms, TARGET_P99_MS),
    // Throughput is a target for many clients; one client's rate is only the inverse of its latency.
    ...(concurrency > 1 ? { throughputTarget: `over ${TARGET_CALLS_PER_SECOND} calls/s`, meetsThroughputTarget: callsPerSecond > TARGET_CALLS_PER_SECOND } : {}),
  }
}

/** The same calls through the tool registry alone (no HTTP, no MCP): what the transport adds is the difference. */
async function registryOnly(platform: Platform, tool: ToolName, inputs: Array<Record<string, unknown>>, budgetMs: number): Promise<BenchResult> {
  const identity = localOperator('bench')
  const durations: number[] = []
  const deadline = performance.now() + budgetMs
  for (const input of inputs) {
    if (performance.now() > deadline) break
    const started = performance.now()
    await platform.tools.call(tool, input, { identity })
    durations.push(performance.now() - started)
  }
  return { ...summarizeLatencies(durations), truncated: durations.length < inputs.length }
}

/**
 * `tools/call` of `catalog_get_entity` and `graph_dependents` (default depth 5) over Streamable HTTP on loopback,
 * against the demo organisation in an in-memory platform served by the portal's own HTTP app (anonymous loopback,
 * so no token lookup per call): 3,000 calls per configuration — each protocol revision (2026-07-28 with its
 * per-request `_meta`; 2025-11-25 after one initialize per client), one client and then 32 — each configuration
 * stopped after BENCH_PHASE_BUDGET_MS (default 60 s). Raw JSON-RPC POSTs from a worker thread, no SDK client.
 * Beside them, for scale, the same calls through the registry alone and over the REST route `POST /api/tools/<name>`.
 */
export async function mcpCallsBenchmark(): Promise<BenchResult> {
  const calls = environmentNumber('BENCH_MCP_CALLS', CALLS)
  const budgetMs = environmentNumber('BENCH_PHASE_BUDGET_MS', 60_000)
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-mcp-'))
  try {
    const written = await writeDemoOrg(directory)
    const loadStarted = performance.now()
    const config = loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_MCP_ANONYMOUS_LOOPBACK: 'true', PORTAL_LOG_LEVEL: 'silent', PORTAL_DEMO: 'false' })
    const platform = await createPlatform({ config, catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
    const platformLoadMs = roundTo(performance.now() - loadStarted, 1)
    const { index } = platform.catalog
    const server = await serveHttp(createHttpApp(platform), { port: 0 })
    const baseUrl = server.url
    progress(`demo org: ${index.size} entities (${written.files} files) loaded in ${Math.round(platformLoadMs)} ms; MCP at ${baseUrl}/mcp`)
    try {
      const kinds = ['component', 'resource', 'api', 'system', 'group', 'user']
      const inputsFor: Record<ToolName, Array<Record<string, unknown>>> = {
        // Every kind of entity, in turn.
        catalog_get_entity: cycleTo(kinds.map((kind, seed) => deterministicSample(index.refsOfKind(kind), SAMPLE, 31 + seed)).reduce(interleave), calls).map((ref) => ({ ref })),
        // What depends on a service or a resource: the question asked during an incident.
        graph_dependents: cycleTo(interleave(deterministicSample(index.refsOfKind('component'), SAMPLE, 41), deterministicSample(index.refsOfKind('resource'), SAMPLE, 42)), calls).map((ref) => ({ ref })),
      }
      const results: Record<string, BenchResult> = {}
      for (const tool of TOOLS) {
        const inputs = inputsFor[tool]
        const measured: BenchResult = { registryOnly: await registryOnly(platform, tool, inputs, budgetMs) }
        for (const protocol of [...REVISIONS, 'rest'] as const) {
          const byConcurrency: Record<string, BenchResult> = {}
          await runMcpLoadInWorker({ baseUrl, protocol, tool, inputs: inputs.slice(0, WARM_UP_CALLS), concurrency: 8, budgetMs })
          for (const concurrency of CONCURRENCIES) {
            progress(`${tool} over ${protocol === 'rest' ? 'REST (baseline)' : `MCP ${protocol}`}: ${inputs.length} calls from ${concurrency} client${concurrency > 1 ? 's' : ''}`)
            const load = await runMcpLoadInWorker({ baseUrl, protocol, tool, inputs, concurrency, budgetMs })
            const described = describeLoad(load, concurrency, protocol !== 'rest')
            const verdicts = protocol === 'rest' ? '' : ` — target p99 < ${TARGET_P99_MS} ms ${described.meetsTarget ? 'met' : 'missed'}${concurrency > 1 ? `, target > ${TARGET_CALLS_PER_SECOND} calls/s ${described.meetsThroughputTarget ? 'met' : 'missed'}` : ''}`
            progress(`  p50 ${described.p50Ms} ms, p99 ${described.p99Ms} ms, ${described.callsPerSecond} calls/s, ${described.failures} failures${verdicts}`)
            byConcurrency[`concurrency${concurrency}`] = described
          }
          measured[protocol === 'rest' ? 'restBaseline' : protocol] = byConcurrency
        }
        results[tool] = measured
      }
      return {
        catalog: { entities: index.size, files: written.files, source: 'writeDemoOrg (default organisation)' },
        platformLoadMs,
        transport: 'Streamable HTTP on 127.0.0.1, raw JSON-RPC POSTs over keep-alive connections from a worker thread',
        protocol: { '2026-07-28': 'per-request _meta envelope, Mcp-Method and Mcp-Name headers, no handshake', '2025-11-25': 'one initialize per client, then stateless tools/call' },
        callsPerConfiguration: calls,
        warmUpCalls: WARM_UP_CALLS,
        targets: { p99Ms: TARGET_P99_MS, callsPerSecond: TARGET_CALLS_PER_SECOND },
        ...results,
        // The SDK's own cost bounds what one server process can reach, before HTTP and the portal's work.
        sdkFloor: await mcpSdkFloor(calls),
      }
    } finally {
      await server.close()
      await platform.close()
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
