import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Platform } from '../platform/create-platform.ts'

export interface PortalMetrics {
  registry: Registry
  requests: Counter<'method' | 'route' | 'status'>
  requestSeconds: Histogram<'method' | 'route'>
  toolCalls: Counter<'tool' | 'outcome'>
  toolSeconds: Histogram<'tool'>
  approvals: Counter<'tool' | 'action'>
  approvalSeconds: Histogram<'tool' | 'action'>
  agentSteps: Counter<'model' | 'finish_reason'>
  agentStepSeconds: Histogram<'model'>
}

/**
 * One Prometheus registry per app (no global state): process metrics, HTTP requests, catalog size by kind,
 * and what the platform's telemetry measures (tool calls, approvals, agent steps), followed from its measurements.
 */
export function createMetrics(platform: Platform): PortalMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'portal_' })
  const requests = new Counter({ name: 'portal_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'] as const, registers: [registry] })
  const requestSeconds = new Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  new Gauge({
    name: 'portal_catalog_entities',
    help: 'Entities in the catalog by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.reset()
      for (const kind of platform.catalog.index.kinds()) this.set({ kind }, platform.catalog.index.refsOfKind(kind).size)
    },
  })
  const toolCalls = new Counter({ name: 'portal_tool_calls_total', help: 'Tool calls by tool and outcome (ok, or the error code)', labelNames: ['tool', 'outcome'] as const, registers: [registry] })
  const toolSeconds = new Histogram({ name: 'portal_tool_call_duration_seconds', help: 'Tool call duration by tool', labelNames: ['tool'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] })
  const approvals = new Counter({ name: 'portal_approvals_total', help: 'Approval request steps by tool and action (requested, approved, denied, refused, expired, succeeded, failed)', labelNames: ['tool', 'action'] as const, registers: [registry] })
  const approvalSeconds = new Histogram({ name: 'portal_approval_duration_seconds', help: 'Time from an approval request to its end (denied, expired, succeeded, failed)', labelNames: ['tool', 'action'] as const, buckets: [1, 10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600], registers: [registry] })
  const agentSteps = new Counter({ name: 'portal_agent_steps_total', help: 'Agent steps by model and finish reason', labelNames: ['model', 'finish_reason'] as const, registers: [registry] })
  const agentStepSeconds = new Histogram({ name: 'portal_agent_step_duration_seconds', help: 'Agent step duration (model call and its tool calls) by model', labelNames: ['model'] as const, buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] })
  // HTTP requests are counted by this app's own middleware (request-telemetry.ts), so they are not taken here.
  platform.telemetry.subscribe((measurement) => {
    if (measurement.type === 'tool-call') {
      toolCalls.inc({ tool: measurement.tool, outcome: measurement.outcome })
      toolSeconds.observe({ tool: measurement.tool }, measurement.seconds)
    } else if (measurement.type === 'approval') {
      approvals.inc({ tool: measurement.tool, action: measurement.action })
      if (measurement.seconds !== undefined) approvalSeconds.observe({ tool: measurement.tool, action: measurement.action }, measurement.seconds)
    } else if (measurement.type === 'agent-step') {
      agentSteps.inc({ model: measurement.model, finish_reason: measurement.finishReason })
      agentStepSeconds.observe({ model: measurement.model }, measurement.seconds)
    }
  })
  return { registry, requests, requestSeconds, toolCalls, toolSeconds, approvals, approvalSeconds, agentSteps, agentStepSeconds }
}
