import type { MiddlewareHandler } from 'hono'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { parseTraceparent } from '../core/telemetry/traceparent.ts'
import type { Telemetry } from '../core/telemetry/telemetry.ts'
import type { PortalMetrics } from './metrics.ts'

/** Probes and scrapes arrive every few seconds from every pod's kubelet and Prometheus: counted, not traced. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * Each request: a server span (joining the caller's trace when it sends `traceparent`), named by the matched
 * route rather than the raw path so that names stay few, and the request counted in /metrics and over OTLP.
 * A streamed answer's span ends when its response starts, not when the stream ends.
 */
export function requestTelemetry({ telemetry, metrics }: { telemetry: Telemetry; metrics: PortalMetrics }): MiddlewareHandler {
  return async (context, next) => {
    const started = performance.now()
    const { method } = context.req
    const url = new URL(context.req.url)
    const count = (route: string, status: number) => {
      const seconds = (performance.now() - started) / 1000
      metrics.requests.inc({ method, route, status: String(status) })
      metrics.requestSeconds.observe({ method, route }, seconds)
      telemetry.record({ type: 'http-request', method, route, status, seconds })
    }
    if (UNTRACED.has(url.pathname)) {
      await next()
      return count(context.req.routePath || 'unmatched', context.res.status)
    }
    await telemetry.span(method, {
      kind: SpanKind.SERVER,
      parent: parseTraceparent(context.req.header('traceparent')),
      attributes: {
        'http.request.method': method,
        'url.path': url.pathname,
        'url.scheme': url.protocol.replace(/:$/, ''),
        ...(context.req.header('user-agent') ? { 'user_agent.original': context.req.header('user-agent') } : {}),
      },
    }, async (span) => {
      await next()
      const route = context.req.routePath || 'unmatched'
      const status = context.res.status
      span.updateName(`${method} ${route}`)
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status })
      // Server spans are errors for 5xx only; a 4xx is the client's mistake (OpenTelemetry's HTTP conventions).
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` })
      count(route, status)
    })
  }
}
