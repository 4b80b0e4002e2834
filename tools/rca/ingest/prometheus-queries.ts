import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { InputError, issuesFromZod } from '../../../core/errors.ts'

/** Metric name → PromQL. `{{label}}` stands for the entity label, which every query must keep in its result. */
export type PrometheusQueries = Record<string, string>

/**
 * The defaults follow the common HTTP server instrumentation (Prometheus client libraries, OpenTelemetry's
 * Prometheus exporter): `http_requests_total` with a `code` label, `http_request_duration_seconds` histograms,
 * the process collector, and the blackbox exporter's certificate probe (what incident prediction reads to foresee an
 * expiring certificate). An error rate with no 5xx series is 0, not missing (the `or … * 0`).
 */
export const DEFAULT_PROMETHEUS_QUERIES: PrometheusQueries = {
  requests_per_s: 'sum by ({{label}}) (rate(http_requests_total[5m]))',
  error_rate: '(sum by ({{label}}) (rate(http_requests_total{code=~"5.."}[5m])) or sum by ({{label}}) (rate(http_requests_total[5m])) * 0) / sum by ({{label}}) (rate(http_requests_total[5m]))',
  latency_p95_ms: '1000 * histogram_quantile(0.95, sum by ({{label}}, le) (rate(http_request_duration_seconds_bucket[5m])))',
  cpu_utilisation: 'sum by ({{label}}) (rate(process_cpu_seconds_total[5m]))',
  memory_mb: 'sum by ({{label}}) (process_resident_memory_bytes) / 1048576',
  cert_expiry_timestamp: 'min by ({{label}}) (probe_ssl_earliest_cert_expiry)',
}

const queriesSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a metric name is lower-case letters, digits and _'), z.string().min(1, 'must be a PromQL expression')).refine((queries) => Object.keys(queries).length > 0, 'name at least one metric')

/** The queries with `{{label}}` filled in. */
export function expandQueries(queries: PrometheusQueries, entityLabel: string): PrometheusQueries {
  return Object.fromEntries(Object.entries(queries).map(([metric, query]) => [metric, query.replaceAll('{{label}}', entityLabel)]))
}

/** Reads PROMETHEUS_QUERIES (JSON or YAML: `metric: PromQL`); a bad file fails with the metric at fault. */
export async function readPrometheusQueries(file: string): Promise<PrometheusQueries> {
  let document: unknown
  try {
    document = parseYaml(await readFile(file, 'utf8'))
  } catch (error) {
    throw new InputError(`PROMETHEUS_QUERIES: cannot read ${file}: ${(error as Error).message}`)
  }
  const parsed = queriesSchema.safeParse(document)
  if (!parsed.success) throw new InputError(`PROMETHEUS_QUERIES: ${file} must map metric names to PromQL`, { issues: issuesFromZod(parsed.error) })
  return parsed.data
}
