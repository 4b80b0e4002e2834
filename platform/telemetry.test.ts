import { trace } from '@opentelemetry/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ask } from '../agent/ask.ts'
import { ChatService, chatIdentity } from '../bots/chat-service.ts'
import { loadConfig } from '../core/config.ts'
import type { Identity } from '../core/identity.ts'
import { SMALL_ORG } from '../core/testing/memory-catalog.ts'
import { createTelemetry } from '../core/telemetry/create-telemetry.ts'
import { startFakeOtlpCollector, type FakeOtlpCollector, type ReceivedSpan } from '../core/telemetry/testing/fake-otlp-collector.ts'
import { createHttpApp } from '../server/create-http-app.ts'
import { createPlatform, type Platform } from './create-platform.ts'

const requester: Identity = { subject: 'web:someone', scopes: new Set(['remediation:request']) }
const ada: Identity = { subject: 'web:ada', userRef: 'user:default/ada', scopes: new Set(['remediation:request']) }
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const CALLER_SPAN = '00f067aa0ba902b7'

async function platformExportingTo(collector: FakeOtlpCollector): Promise<Platform> {
  const platform = await createPlatform({
    config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_EMBEDDINGS_MODEL: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%21', OTEL_SERVICE_NAME: 'portal-under-test', OTEL_METRIC_EXPORT_INTERVAL: '600000' }),
    catalogPaths: [],
  })
  const report = await platform.catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
  if (report.errors.length) throw new Error(JSON.stringify(report.errors))
  return platform
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name)

describe('telemetry exported over OTLP/HTTP to a collector', () => {
  let collector: FakeOtlpCollector
  let metricsText: string

  beforeAll(async () => {
    collector = await startFakeOtlpCollector()
    const platform = await platformExportingTo(collector)
    const app = createHttpApp(platform)
    // A request from a caller that traces: the portal's spans join its trace.
    const who = await app.request('/api/tools/catalog_who_owns', { method: 'POST', body: JSON.stringify({ ref: 'component:default/checkout' }), headers: { 'content-type': 'application/json', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } })
    expect(who.status).toBe(200)
    // A tool call that fails validation, without a traceparent: a trace of its own.
    expect((await app.request('/api/tools/catalog_who_owns', { method: 'POST', body: JSON.stringify({ ref: 42 }), headers: { 'content-type': 'application/json' } })).status).toBe(400)
    // The agent answering with the offline planner, which calls a tool.
    const answer = await ask(platform, { question: 'who owns payments-db?', surface: 'cli' })
    expect(answer.toolCalls.length).toBeGreaterThan(0)
    // An approval: requested, approved by an owner, run once.
    const request = await platform.approvals.request('remediation_request', { playbook: 'restart', entity: 'checkout' }, requester, { surface: 'web' })
    expect((await platform.approvals.decide({ id: request.id, identity: ada, decision: 'approve', surface: 'web' })).status).toBe('succeeded')
    // A refused decision (the requester has no catalog user).
    const second = await platform.approvals.request('remediation_request', { playbook: 'restart', entity: 'checkout' }, requester, { surface: 'web' })
    await expect(platform.approvals.decide({ id: second.id, identity: requester, decision: 'approve', surface: 'web' })).rejects.toThrow(/Only a person in the catalog/)
    // The chat service (web chat, Slack, Teams) streaming an answer.
    const parts = []
    for await (const part of new ChatService(platform).handle({ surface: 'slack', threadId: 'T1', identity: chatIdentity('slack', 'U001', 'user:default/ada'), text: 'what depends on payments-db?' })) parts.push(part)
    expect(parts.at(-1)).toMatchObject({ type: 'done', model: 'offline' })
    expect((await app.request('/healthz')).status).toBe(200)
    metricsText = await (await app.request('/metrics')).text()
    // Closing flushes the batched spans and the last metric interval.
    await platform.close()
  })

  afterAll(async () => {
    await collector?.close()
  })

  it('accepts every export (the JSON is a valid OTLP request) and carries the configured headers and resource', () => {
    expect(collector.rejected).toEqual([])
    expect(collector.spans.length).toBeGreaterThan(0)
    expect(collector.requestHeaders.every((headers) => headers['x-api-key'] === 's3cret!')).toBe(true)
    expect(new Set(collector.spans.map((span) => span.resource['service.name']))).toEqual(new Set(['portal-under-test']))
    expect(collector.spans[0]!.resource['service.instance.id']).toEqual(expect.any(String))
    expect(new Set(collector.spans.map((span) => span.scope))).toEqual(new Set(['next-portal']))
  })

  it('traces an HTTP request as a server span in the caller\'s trace, with the tool call as its child', () => {
    const server = named(collector.spans, 'POST /api/tools/:name').find((span) => span.traceId === CALLER_TRACE)!
    expect(server).toBeDefined()
    expect(server.parentSpanId).toBe(CALLER_SPAN)
    expect(server.kind).toBe(2) // SERVER
    expect(server.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/tools/:name', 'url.path': '/api/tools/catalog_who_owns', 'http.response.status_code': 200 })
    const tool = named(collector.spans, 'execute_tool catalog_who_owns').find((span) => span.parentSpanId === server.spanId)!
    expect(tool).toBeDefined()
    expect(tool.traceId).toBe(CALLER_TRACE)
    expect(tool.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'catalog_who_owns', 'portal.tool.scope': 'catalog:read', 'portal.tool.read_only': true })
    expect(tool.status.code).toBe(0)
  })

  it('counts probes and scrapes without tracing them', () => {
    expect(collector.spans.filter((span) => /healthz|readyz|metrics/.test(span.name))).toEqual([])
    expect(metricsText).toContain('portal_http_requests_total{method="GET",route="/healthz",status="200"} 1')
  })

  it('marks a failed tool call as an error with its code, in a new trace when the caller sent none', () => {
    const failed = named(collector.spans, 'execute_tool catalog_who_owns').find((span) => span.status.code === 2)!
    expect(failed).toBeDefined()
    expect(failed.attributes['error.type']).toBe('INVALID_INPUT')
    expect(failed.status.message).toMatch(/Invalid input for catalog_who_owns: ref/)
    expect(failed.events.map((event) => event.name)).toContain('exception')
    const server = collector.spans.find((span) => span.spanId === failed.parentSpanId)!
    expect(server.name).toBe('POST /api/tools/:name')
    expect(server.traceId).not.toBe(CALLER_TRACE)
    expect(server.parentSpanId).toBeUndefined()
    // A 400 is the client's error, not the server's (HTTP semantic conventions).
    expect(server.attributes['http.response.status_code']).toBe(400)
    expect(server.status.code).toBe(0)
  })

  it('traces an agent run: invoke_agent, a chat span per step, and the tool calls inside the run', () => {
    const run = named(collector.spans, 'invoke_agent next-portal').find((span) => span.attributes['portal.surface'] === 'cli')!
    expect(run.parentSpanId).toBeUndefined()
    expect(run.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'offline', 'portal.surface': 'cli' })
    const steps = named(collector.spans, 'chat offline').filter((span) => span.traceId === run.traceId)
    expect(steps.length).toBeGreaterThanOrEqual(2) // a step that calls the tool, a step that answers
    expect(steps.every((step) => step.parentSpanId === run.spanId)).toBe(true)
    expect(steps.map((step) => step.attributes['portal.agent.step']).sort()).toEqual(steps.map((_, index) => index))
    expect(steps.some((step) => (step.attributes['portal.agent.tool_calls'] as string[]).length > 0 && (step.attributes['gen_ai.response.finish_reasons'] as string[])[0] === 'tool-calls')).toBe(true)
    const toolCalls = collector.spans.filter((span) => span.name.startsWith('execute_tool ') && span.traceId === run.traceId)
    expect(toolCalls.length).toBeGreaterThan(0)
    expect(toolCalls.every((span) => span.parentSpanId === run.spanId)).toBe(true)
    expect(run.attributes['portal.agent.tool_calls']).toEqual(toolCalls.map((span) => span.attributes['gen_ai.tool.name']))
  })

  it('traces a streamed chat answer the same way, with its steps and tool calls inside the run', () => {
    const run = named(collector.spans, 'invoke_agent next-portal').find((span) => span.attributes['portal.surface'] === 'slack')!
    expect(run).toBeDefined()
    expect(run.attributes).toMatchObject({ 'gen_ai.request.model': 'offline' })
    const inside = collector.spans.filter((span) => span.traceId === run.traceId && span.spanId !== run.spanId)
    expect(inside.filter((span) => span.name === 'chat offline').length).toBeGreaterThanOrEqual(2)
    const toolCalls = inside.filter((span) => span.name.startsWith('execute_tool '))
    expect(toolCalls.map((span) => span.attributes['gen_ai.tool.name'])).toEqual(run.attributes['portal.agent.tool_calls'])
    expect(toolCalls.length).toBeGreaterThan(0)
    expect(inside.every((span) => span.parentSpanId === run.spanId)).toBe(true)
  })

  it('traces approvals: the request, the decision, and the approved run inside the decision', () => {
    const requests = named(collector.spans, 'approval.request')
    expect(requests).toHaveLength(2)
    expect(requests[0]!.attributes).toMatchObject({ 'portal.approval.tool': 'remediation_request', 'portal.approval.target': 'component:default/checkout', 'portal.approval.required': 1, 'portal.surface': 'web' })
    const decisions = named(collector.spans, 'approval.decide')
    const approved = decisions.find((span) => span.attributes['portal.approval.status'] === 'succeeded')!
    expect(approved.attributes).toMatchObject({ 'portal.approval.id': requests[0]!.attributes['portal.approval.id'], 'portal.approval.decision': 'approve', 'portal.approval.approvals': 1 })
    const run = collector.spans.find((span) => span.name === 'execute_tool remediation_request' && span.parentSpanId === approved.spanId)!
    expect(run.attributes).toMatchObject({ 'portal.tool.approved_run': true, 'portal.caller': `approval:${requests[0]!.attributes['portal.approval.id']}` })
    const refused = decisions.find((span) => span.status.code === 2)!
    expect(refused.attributes['error.type']).toBe('FORBIDDEN')
  })

  it('exports metrics for requests, tool calls, agent steps and approvals', () => {
    expect(collector.metrics.length).toBeGreaterThan(0)
    const sum = (name: string, attributes: Record<string, unknown>) => collector.metrics
      .filter((point) => point.name === name && Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
      .reduce((total, point) => total + point.value, 0)
    expect(sum('portal.tool.calls', { 'gen_ai.tool.name': 'catalog_who_owns', 'portal.outcome': 'INVALID_INPUT' })).toBe(1)
    expect(sum('portal.tool.calls', { 'gen_ai.tool.name': 'remediation_request', 'portal.outcome': 'ok' })).toBe(1)
    expect(sum('portal.tool.duration', { 'gen_ai.tool.name': 'remediation_request' })).toBe(1)
    expect(sum('portal.approvals', { 'portal.approval.action': 'requested' })).toBe(2)
    expect(sum('portal.approvals', { 'portal.approval.action': 'approved' })).toBe(1)
    expect(sum('portal.approvals', { 'portal.approval.action': 'succeeded' })).toBe(1)
    expect(sum('portal.approvals', { 'portal.approval.action': 'refused' })).toBe(1)
    expect(sum('portal.approval.duration', { 'portal.approval.action': 'succeeded' })).toBe(1)
    expect(sum('portal.agent.steps', { 'gen_ai.request.model': 'offline' })).toBeGreaterThanOrEqual(2)
    expect(sum('http.server.request.duration', { 'http.route': '/api/tools/:name', 'http.response.status_code': 400 })).toBe(1)
    expect(collector.metrics.find((point) => point.name === 'portal.tool.duration')!.unit).toBe('s')
  })

  it('counts the same in /metrics for Prometheus', () => {
    expect(metricsText).toContain('portal_tool_calls_total{tool="catalog_who_owns",outcome="INVALID_INPUT"} 1')
    expect(metricsText).toContain('portal_tool_calls_total{tool="remediation_request",outcome="ok"} 1')
    expect(metricsText).toContain('portal_tool_call_duration_seconds_count{tool="remediation_request"} 1')
    expect(metricsText).toContain('portal_approvals_total{tool="remediation_request",action="requested"} 2')
    expect(metricsText).toContain('portal_approvals_total{tool="remediation_request",action="refused"} 1')
    expect(metricsText).toContain('portal_approval_duration_seconds_count{tool="remediation_request",action="succeeded"} 1')
    expect(metricsText).toMatch(/portal_agent_steps_total\{model="offline",finish_reason="tool-calls"\} [1-9]/)
  })
})

describe('telemetry without OTLP', () => {
  it('records no spans, exports nothing and leaves the global OpenTelemetry API untouched', async () => {
    const collector = await startFakeOtlpCollector()
    try {
      // One platform exporting, one not: neither may install a global provider.
      const exporting = await platformExportingTo(collector)
      const quiet = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_EMBEDDINGS_MODEL: 'none' }), catalogPaths: [] })
      expect(quiet.telemetry.tracing).toBe(false)
      expect(exporting.telemetry.tracing).toBe(true)
      expect(trace.getTracer('anyone').startSpan('probe').isRecording()).toBe(false)
      await quiet.catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
      const app = createHttpApp(quiet)
      expect((await app.request('/api/tools/catalog_who_owns', { method: 'POST', body: JSON.stringify({ ref: 'component:default/checkout' }) })).status).toBe(200)
      // /metrics still counts without OTLP.
      expect(await (await app.request('/metrics')).text()).toContain('portal_tool_calls_total{tool="catalog_who_owns",outcome="ok"} 1')
      await quiet.close()
      await exporting.close()
      // The exporting platform sent nothing of the quiet one's work.
      expect(collector.spans.filter((span) => span.name.startsWith('POST'))).toEqual([])
      expect(collector.rejected).toEqual([])
    } finally {
      await collector.close()
    }
  })

  it('reports nothing when the collector is down, and closing does not hang or throw', async () => {
    const collector = await startFakeOtlpCollector()
    await collector.close()
    const telemetry = createTelemetry({ endpoint: collector.url, headers: {}, serviceName: 'x', metricIntervalMs: 600_000 })
    await telemetry.span('work', {}, async () => 'done')
    await expect(telemetry.shutdown()).resolves.toBeUndefined()
  })
})

describe('configuration', () => {
  it('names the variable when OTLP settings are wrong', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'OTEL_EXPORTER_OTLP_ENDPOINT' })] }))
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'OTEL_EXPORTER_OTLP_HEADERS' })] }))
    expect(loadConfig({}).telemetry).toBeUndefined()
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'a=1, b=x%20y' }).telemetry).toEqual({ endpoint: 'http://collector:4318', headers: { a: '1', b: 'x y' }, serviceName: 'next-portal', metricIntervalMs: 60_000 })
  })
})
