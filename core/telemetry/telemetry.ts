import { AsyncLocalStorage } from 'node:async_hooks'
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Counter, type Histogram, type Meter, type Span, type SpanContext, type Tracer } from '@opentelemetry/api'

/** One tool call as it ended; `outcome` is `ok` or the error's code (`FORBIDDEN`, `INVALID_INPUT`…). */
export interface ToolCallMeasurement {
  tool: string
  outcome: string
  seconds: number
}

/** One step of an approval request's life; `seconds` is the time since the request was made, when it ended one. */
export interface ApprovalMeasurement {
  tool: string
  action: 'requested' | 'approved' | 'denied' | 'refused' | 'expired' | 'succeeded' | 'failed'
  seconds?: number
}

/** One agent step (a model call and the tool calls it asked for). */
export interface AgentStepMeasurement {
  model: string
  finishReason: string
  toolCalls: number
  seconds: number
}

/** One HTTP request the portal answered; `route` is the matched route pattern, never the raw path. */
export interface HttpRequestMeasurement {
  method: string
  route: string
  status: number
  seconds: number
}

export type Measurement =
  | ({ type: 'http-request' } & HttpRequestMeasurement)
  | ({ type: 'tool-call' } & ToolCallMeasurement)
  | ({ type: 'approval' } & ApprovalMeasurement)
  | ({ type: 'agent-step' } & AgentStepMeasurement)

export interface SpanOptions {
  attributes?: Attributes
  kind?: SpanKind
  /** A remote parent (from an incoming `traceparent`); otherwise the span active in this async context. */
  parent?: SpanContext
  startTime?: number
}

const NON_RECORDING_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT)

/**
 * The portal's instrumentation: spans for requests, tool calls, agent steps and approvals, and measurements
 * that feed both the OpenTelemetry meter (when OTLP export is configured) and whoever subscribes (the
 * Prometheus registry behind /metrics).
 *
 * Nothing is global: the active span is kept in this object's own AsyncLocalStorage instead of a registered
 * context manager, so tests and several platforms in one process never see each other's spans. Without a
 * tracer (OTLP not configured) `span` runs its function with a non-recording span and no bookkeeping.
 */
export class Telemetry {
  private readonly tracer?: Tracer
  private readonly active = new AsyncLocalStorage<Span>()
  private readonly listeners = new Set<(measurement: Measurement) => void>()
  private readonly instruments?: { httpSeconds: Histogram; toolCalls: Counter; toolSeconds: Histogram; approvals: Counter; approvalSeconds: Histogram; agentSteps: Counter; agentStepSeconds: Histogram }
  private readonly onShutdown: () => Promise<void>

  constructor({ tracer, meter, shutdown = async () => {} }: { tracer?: Tracer; meter?: Meter; shutdown?: () => Promise<void> } = {}) {
    this.tracer = tracer
    this.onShutdown = shutdown
    if (meter) {
      this.instruments = {
        httpSeconds: meter.createHistogram('http.server.request.duration', { description: 'Duration of HTTP server requests', unit: 's' }),
        toolCalls: meter.createCounter('portal.tool.calls', { description: 'Tool calls by tool and outcome' }),
        toolSeconds: meter.createHistogram('portal.tool.duration', { description: 'Tool call duration', unit: 's' }),
        approvals: meter.createCounter('portal.approvals', { description: 'Approval request steps by tool and action' }),
        approvalSeconds: meter.createHistogram('portal.approval.duration', { description: 'Time from an approval request to its end', unit: 's' }),
        agentSteps: meter.createCounter('portal.agent.steps', { description: 'Agent steps by model and finish reason' }),
        agentStepSeconds: meter.createHistogram('portal.agent.step.duration', { description: 'Agent step duration', unit: 's' }),
      }
    }
  }

  get tracing(): boolean {
    return this.tracer !== undefined
  }

  /**
   * Runs `fn` inside a span that is a child of the active one (or of `parent`); the span ends when `fn`
   * settles, with an error status and the exception recorded when it throws.
   */
  async span<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
    if (!this.tracer) return fn(NON_RECORDING_SPAN)
    const span = this.startSpan(name, options)
    try {
      return await this.active.run(span, () => fn(span))
    } catch (error) {
      recordError(span, error)
      throw error
    } finally {
      span.end()
    }
  }

  /** A span the caller ends itself (for work whose start and end are callbacks, such as agent steps). */
  startSpan(name: string, { attributes, kind = SpanKind.INTERNAL, parent, startTime }: SpanOptions = {}): Span {
    if (!this.tracer) return NON_RECORDING_SPAN
    const parentSpan = parent ? trace.wrapSpanContext(parent) : this.active.getStore()
    const context = parentSpan ? trace.setSpan(ROOT_CONTEXT, parentSpan) : ROOT_CONTEXT
    return this.tracer.startSpan(name, { kind, ...(attributes ? { attributes } : {}), ...(startTime !== undefined ? { startTime } : {}) }, context)
  }

  /** Runs `fn` with `span` active, for work that outlives a callback (a stream read by someone else). */
  within<T>(span: Span, fn: () => T): T {
    return this.tracer && span.isRecording() ? this.active.run(span, fn) : fn()
  }

  /** The span active in this async context, if telemetry records spans. */
  activeSpan(): Span | undefined {
    return this.active.getStore()
  }

  record(measurement: Measurement): void {
    const instruments = this.instruments
    if (instruments) {
      if (measurement.type === 'http-request') {
        instruments.httpSeconds.record(measurement.seconds, { 'http.request.method': measurement.method, 'http.route': measurement.route, 'http.response.status_code': measurement.status })
      } else if (measurement.type === 'tool-call') {
        const attributes = { 'gen_ai.tool.name': measurement.tool, 'portal.outcome': measurement.outcome }
        instruments.toolCalls.add(1, attributes)
        instruments.toolSeconds.record(measurement.seconds, attributes)
      } else if (measurement.type === 'approval') {
        const attributes = { 'portal.approval.tool': measurement.tool, 'portal.approval.action': measurement.action }
        instruments.approvals.add(1, attributes)
        if (measurement.seconds !== undefined) instruments.approvalSeconds.record(measurement.seconds, attributes)
      } else if (measurement.type === 'agent-step') {
        const attributes = { 'gen_ai.request.model': measurement.model, 'gen_ai.response.finish_reasons': measurement.finishReason }
        instruments.agentSteps.add(1, attributes)
        instruments.agentStepSeconds.record(measurement.seconds, attributes)
      }
    }
    for (const listener of this.listeners) listener(measurement)
  }

  /** Follows every measurement (the Prometheus registry does); returns the function that stops following. */
  subscribe(listener: (measurement: Measurement) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Exports what is buffered and stops the exporters. */
  async shutdown(): Promise<void> {
    this.listeners.clear()
    await this.onShutdown()
  }
}

/** Marks a span failed, with the error's code when it is a portal error. */
export function recordError(span: Span, error: unknown): void {
  const known = error instanceof Error ? error : new Error(String(error))
  span.recordException(known)
  span.setStatus({ code: SpanStatusCode.ERROR, message: known.message })
  span.setAttribute('error.type', errorType(error))
}

/** A short, low-cardinality name for what went wrong: the portal error code, else the error's class. */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && code !== '') return code
  return error instanceof Error ? error.name : 'Error'
}
