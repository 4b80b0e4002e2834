/** The metrics every simulated or ingested service reports; other names are accepted and analysed alike. */
export const METRICS = ['requests_per_s', 'latency_p95_ms', 'error_rate', 'cpu_utilisation', 'memory_mb'] as const
export type MetricName = (typeof METRICS)[number]

/**
 * When a node's earliest TLS certificate expires, in seconds since the epoch: what the blackbox exporter's
 * `probe_ssl_earliest_cert_expiry` reports. Known long before it bites, unlike most faults.
 */
export const CERTIFICATE_EXPIRY_METRIC = 'cert_expiry_timestamp'

/** Kinds of events tied to an entity: changes (deployment, config-change), alerts, and error-log patterns. */
export const EVENT_TYPES = ['deployment', 'config-change', 'alert', 'log'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface SignalEvent {
  /** Stable id: re-ingesting the same event changes nothing. */
  id: string
  entity: string
  type: EventType
  at: Date
  summary: string
  source: string
  attributes?: Record<string, unknown>
}

export type IncidentStatus = 'open' | 'resolved'

export interface Incident {
  id: string
  entity: string
  title: string
  severity: 'critical' | 'major' | 'minor'
  status: IncidentStatus
  startedAt: Date
  resolvedAt?: Date
  source: string
  attributes?: Record<string, unknown>
}

/** A regular run of samples: `values[i]` was observed at `start + i * stepSeconds`. */
export interface MetricRun {
  entity: string
  metric: string
  start: Date
  stepSeconds: number
  values: number[]
}

/** The fault types the simulator injects, and the truth RCA is scored against. */
export const FAULT_TYPES = ['bad-deployment', 'database-saturation', 'slow-dependency', 'memory-leak', 'config-change', 'noisy-neighbour', 'expired-certificate'] as const
export type FaultType = (typeof FAULT_TYPES)[number]

export interface FaultTruth {
  id: string
  type: FaultType
  /** The entity at fault: what RCA should name first. */
  cause: string
  at: Date
  endsAt: Date
  /** The incident the fault led to, when one opened. */
  incidentId?: string
}
