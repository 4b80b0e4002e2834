import http from 'node:http'
import { Worker } from 'node:worker_threads'
import { ENDPOINTS, type EndpointName, type RequestSpec } from './catalog-query-endpoints.ts'
import { httpRequest } from './http-client.ts'

export interface HttpLoadOptions {
  baseUrl: string
  endpoint: EndpointName
  specs: RequestSpec[]
  concurrency: number
  budgetMs: number
}

export interface HttpLoadResult {
  durations: number[]
  failures: number
  firstFailure?: string
  items: number
  totalItems: number
  elapsedMs: number
  truncated: boolean
}

/** `specs` spread over `concurrency` callers sharing one queue, each waiting for its answer before the next. */
export async function runHttpLoad({ baseUrl, endpoint, specs, concurrency, budgetMs }: HttpLoadOptions): Promise<HttpLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const { count } = ENDPOINTS[endpoint]
  const result: HttpLoadResult = { durations: [], failures: 0, items: 0, totalItems: 0, elapsedMs: 0, truncated: false }
  const started = performance.now()
  const deadline = started + budgetMs
  let next = 0
  const caller = async () => {
    while (next < specs.length) {
      if (performance.now() > deadline) {
        result.truncated = true
        return
      }
      const spec = specs[next++]!
      const requestStarted = performance.now()
      const response = await httpRequest(agent, `${baseUrl}${spec.path}`, { method: spec.method, body: spec.body })
      result.durations.push(performance.now() - requestStarted)
      if (response.status !== 200) {
        result.failures++
        result.firstFailure ??= `${response.status} ${response.body.slice(0, 300)}`
        continue
      }
      const counted = count(response.body)
      result.items += counted.items
      result.totalItems += counted.totalItems
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller))
  result.elapsedMs = performance.now() - started
  agent.destroy()
  return result
}

/**
 * Runs the load from a worker thread, so that the client's parsing and bookkeeping run beside the server's
 * event loop rather than on it (as a separate client process would), and the latencies are the server's.
 */
export function runHttpLoadInWorker(options: HttpLoadOptions): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load-worker.ts', import.meta.url), { workerData: options })
    worker.once('message', (result: HttpLoadResult) => resolve(result))
    worker.once('error', reject)
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the HTTP load worker exited with code ${code}`)))
  })
}
