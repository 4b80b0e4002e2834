import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'

/**
 * An OpenTelemetry collector's OTLP/HTTP receiver on loopback, for tests: it accepts what a real collector
 * accepts on /v1/traces and /v1/metrics in the JSON encoding (OTLP 1.x: hex trace and span ids, int64 as
 * numbers or strings, gzip allowed), answers 200 with an empty Export…ServiceResponse, and answers anything
 * else as a collector does (404 unknown path, 405 not POST, 415 not JSON, 400 malformed, with a Status body).
 * Received spans and metric points are decoded into plain objects; rejected requests are kept with the reason.
 */
export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  startTimeUnixNano: bigint
  endTimeUnixNano: bigint
  attributes: Record<string, unknown>
  status: { code: number; message?: string }
  events: Array<{ name: string; attributes: Record<string, unknown> }>
  resource: Record<string, unknown>
  scope: string
}

export interface ReceivedMetricPoint {
  name: string
  unit?: string
  type: 'sum' | 'gauge' | 'histogram'
  attributes: Record<string, unknown>
  /** Sum or gauge value; a histogram's count. */
  value: number
  resource: Record<string, unknown>
}

export interface FakeOtlpCollector {
  url: string
  spans: ReceivedSpan[]
  metrics: ReceivedMetricPoint[]
  rejected: Array<{ path: string; status: number; reason: string }>
  /** Headers of each accepted export request, in order (to check authentication headers). */
  requestHeaders: Array<Record<string, string | string[] | undefined>>
  close(): Promise<void>
}

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), `must be ${length} lower-case hex digits`)
const int64 = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((value) => BigInt(value))

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number; arrayValue?: { values?: AnyValue[] }; kvlistValue?: { values?: Array<{ key: string; value: AnyValue }> }; bytesValue?: string }
const anyValue: z.ZodType<AnyValue> = z.lazy(() => z.object({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).optional(),
  doubleValue: z.number().optional(),
  bytesValue: z.string().optional(),
  arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
  kvlistValue: z.object({ values: z.array(z.object({ key: z.string(), value: anyValue })).optional() }).optional(),
}).strict().refine((value) => Object.keys(value).length <= 1, 'an AnyValue holds one value'))
const keyValues = z.array(z.object({ key: z.string().min(1), value: anyValue })).default([])
const resource = z.object({ attributes: keyValues, droppedAttributesCount: z.number().optional() }).default({ attributes: [] })
const scope = z.object({ name: z.string(), version: z.string().optional(), attributes: keyValues.optional() }).default({ name: '' })

const span = z.object({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: z.union([hex(16), z.literal('')]).optional(),
  traceState: z.string().optional(),
  flags: z.number().optional(),
  name: z.string().min(1),
  kind: z.number().int().min(0).max(5),
  startTimeUnixNano: int64,
  endTimeUnixNano: int64,
  attributes: keyValues,
  droppedAttributesCount: z.number().optional(),
  events: z.array(z.object({ timeUnixNano: int64, name: z.string(), attributes: keyValues, droppedAttributesCount: z.number().optional() })).default([]),
  droppedEventsCount: z.number().optional(),
  links: z.array(z.object({ traceId: hex(32), spanId: hex(16), attributes: keyValues }).passthrough()).default([]),
  droppedLinksCount: z.number().optional(),
  status: z.object({ code: z.number().int().min(0).max(2).default(0), message: z.string().optional() }).default({ code: 0 }),
}).refine((value) => value.endTimeUnixNano >= value.startTimeUnixNano, 'a span ends after it starts')

const traceRequest = z.object({
  resourceSpans: z.array(z.object({ resource, scopeSpans: z.array(z.object({ scope, spans: z.array(span), schemaUrl: z.string().optional() })), schemaUrl: z.string().optional() })),
})

const numberPoint = z.object({ attributes: keyValues, startTimeUnixNano: int64.optional(), timeUnixNano: int64, asInt: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).optional(), asDouble: z.number().optional() }).passthrough()
  .refine((point) => (point.asInt === undefined) !== (point.asDouble === undefined), 'a number point has asInt or asDouble')
const histogramPoint = z.object({ attributes: keyValues, startTimeUnixNano: int64.optional(), timeUnixNano: int64, count: int64, sum: z.number().optional(), bucketCounts: z.array(int64), explicitBounds: z.array(z.number()) }).passthrough()
  .refine((point) => point.bucketCounts.length === point.explicitBounds.length + 1, 'a histogram has one bucket more than it has bounds')
const temporality = z.number().int().min(1).max(2)
const metric = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  unit: z.string().optional(),
  sum: z.object({ dataPoints: z.array(numberPoint), aggregationTemporality: temporality, isMonotonic: z.boolean().optional() }).optional(),
  gauge: z.object({ dataPoints: z.array(numberPoint) }).optional(),
  histogram: z.object({ dataPoints: z.array(histogramPoint), aggregationTemporality: temporality }).optional(),
}).refine((value) => [value.sum, value.gauge, value.histogram].filter(Boolean).length === 1, 'a metric has exactly one of sum, gauge or histogram')
const metricsRequest = z.object({
  resourceMetrics: z.array(z.object({ resource, scopeMetrics: z.array(z.object({ scope, metrics: z.array(metric), schemaUrl: z.string().optional() })), schemaUrl: z.string().optional() })),
})

export async function startFakeOtlpCollector(): Promise<FakeOtlpCollector> {
  const spans: ReceivedSpan[] = []
  const metrics: ReceivedMetricPoint[] = []
  const rejected: FakeOtlpCollector['rejected'] = []
  const requestHeaders: FakeOtlpCollector['requestHeaders'] = []

  const server: Server = createServer(async (request, response) => {
    const path = request.url?.split('?')[0] ?? ''
    const answer = (status: number, reason?: string) => {
      if (reason) rejected.push({ path, status, reason })
      // OTLP/HTTP: success is an empty Export…ServiceResponse; failures carry a google.rpc.Status.
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reason ? { code: 3, message: reason } : {}))
    }
    if (path !== '/v1/traces' && path !== '/v1/metrics') return answer(404, `no OTLP endpoint at ${path}`)
    if (request.method !== 'POST') return answer(405, `${request.method} is not POST`)
    if (!request.headers['content-type']?.startsWith('application/json')) return answer(415, `content-type ${request.headers['content-type']} is not application/json (this receiver takes the JSON encoding)`)
    let body: unknown
    try {
      body = JSON.parse((await readBody(request)).toString('utf8'))
    } catch (error) {
      return answer(400, `the body is not JSON: ${(error as Error).message}`)
    }
    if (path === '/v1/traces') {
      const parsed = traceRequest.safeParse(body)
      if (!parsed.success) return answer(400, `not an ExportTraceServiceRequest: ${describeIssues(parsed.error)}`)
      for (const resourceSpans of parsed.data.resourceSpans) {
        const resourceAttributes = decodeAttributes(resourceSpans.resource.attributes)
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const received of scopeSpans.spans) {
            spans.push({
              traceId: received.traceId,
              spanId: received.spanId,
              ...(received.parentSpanId ? { parentSpanId: received.parentSpanId } : {}),
              name: received.name,
              kind: received.kind,
              startTimeUnixNano: received.startTimeUnixNano,
              endTimeUnixNano: received.endTimeUnixNano,
              attributes: decodeAttributes(received.attributes),
              status: received.status,
              events: received.events.map((event) => ({ name: event.name, attributes: decodeAttributes(event.attributes) })),
              resource: resourceAttributes,
              scope: scopeSpans.scope.name,
            })
          }
        }
      }
    } else {
      const parsed = metricsRequest.safeParse(body)
      if (!parsed.success) return answer(400, `not an ExportMetricsServiceRequest: ${describeIssues(parsed.error)}`)
      for (const resourceMetrics of parsed.data.resourceMetrics) {
        const resourceAttributes = decodeAttributes(resourceMetrics.resource.attributes)
        for (const scopeMetrics of resourceMetrics.scopeMetrics) {
          for (const received of scopeMetrics.metrics) {
            const base = { name: received.name, ...(received.unit ? { unit: received.unit } : {}), resource: resourceAttributes }
            for (const point of received.sum?.dataPoints ?? []) metrics.push({ ...base, type: 'sum', attributes: decodeAttributes(point.attributes), value: Number(point.asInt ?? point.asDouble) })
            for (const point of received.gauge?.dataPoints ?? []) metrics.push({ ...base, type: 'gauge', attributes: decodeAttributes(point.attributes), value: Number(point.asInt ?? point.asDouble) })
            for (const point of received.histogram?.dataPoints ?? []) metrics.push({ ...base, type: 'histogram', attributes: decodeAttributes(point.attributes), value: Number(point.count) })
          }
        }
      }
    }
    requestHeaders.push(request.headers)
    answer(200)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    metrics,
    rejected,
    requestHeaders,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body
}

function decodeAttributes(list: Array<{ key: string; value: AnyValue }>): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, decodeValue(value)]))
}

function decodeValue(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return value.doubleValue
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue)
  if (value.kvlistValue) return decodeAttributes(value.kvlistValue.values ?? [])
  if (value.bytesValue !== undefined) return value.bytesValue
  return null
}

function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')
}
