import { z } from 'zod'
import { InputError, PortalError } from '../../../core/errors.ts'

/** One series of a range query: its labels and its samples as [unix seconds, value]. */
export interface PrometheusSeries {
  labels: Record<string, string>
  samples: Array<[number, number]>
}

// The envelope of Prometheus's HTTP API (/api/v1/query_range), success and error alike.
const responseSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.literal('matrix'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
    }),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
])

export interface PrometheusClientOptions {
  /** Prometheus's base URL, e.g. http://prometheus:9090 (a path prefix behind a proxy is kept). */
  url: string
  fetch?: typeof fetch
  /** Per request; a query that takes longer is abandoned. */
  timeoutMs?: number
}

/** Reads Prometheus's HTTP query API. Answers are validated; Prometheus's own error text is passed on. */
export class PrometheusClient {
  private readonly url: string
  private readonly fetch: typeof fetch
  private readonly timeoutMs: number

  constructor({ url, fetch: fetchImplementation = globalThis.fetch, timeoutMs = 30_000 }: PrometheusClientOptions) {
    this.url = url.replace(/\/$/, '')
    this.fetch = fetchImplementation
    this.timeoutMs = timeoutMs
  }

  /** `query` evaluated every `stepSeconds` from `start` to `end` (both inclusive, in Prometheus's terms). */
  async queryRange({ query, start, end, stepSeconds }: { query: string; start: Date; end: Date; stepSeconds: number }): Promise<PrometheusSeries[]> {
    const body = new URLSearchParams({ query, start: String(start.getTime() / 1000), end: String(end.getTime() / 1000), step: String(stepSeconds) })
    let response: Response
    try {
      response = await this.fetch(`${this.url}/api/v1/query_range`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(this.timeoutMs) })
    } catch (error) {
      throw new PortalError('INTERNAL', `Prometheus at ${this.url} did not answer: ${(error as Error).message}`, { cause: error })
    }
    const text = await response.text()
    let parsed: z.output<typeof responseSchema>
    try {
      parsed = responseSchema.parse(JSON.parse(text))
    } catch (error) {
      throw new PortalError('INTERNAL', `Prometheus at ${this.url} answered ${response.status} with something other than its query API's JSON: ${text.slice(0, 200)}`, { cause: error })
    }
    if (parsed.status === 'error') {
      // bad_data is the query's fault (PromQL syntax, a bad range); anything else is Prometheus's.
      const message = `Prometheus rejected the query ${JSON.stringify(query)}: ${parsed.errorType}: ${parsed.error}`
      throw parsed.errorType === 'bad_data' ? new InputError(message, { issues: [{ path: 'query', message: parsed.error }] }) : new PortalError('INTERNAL', message)
    }
    return parsed.data.result.map((series) => ({ labels: series.metric, samples: series.values.map(([time, value]) => [time, Number(value)] as [number, number]) }))
  }
}
