import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Platform } from '../platform/create-platform.ts'

export interface PortalMetrics {
  registry: Registry
  requests: Counter<'method' | 'route' | 'status'>
  requestSeconds: Histogram<'method' | 'route'>
}

/** One Prometheus registry per app (no global state): process metrics, HTTP requests, catalog size by kind. */
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
  return { registry, requests, requestSeconds }
}
