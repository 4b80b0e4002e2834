import type { PrometheusConfig } from '../../../core/config.ts'
import type { CatalogIndex } from '../../../graph/index/catalog-index.ts'
import type { SignalsRepository } from '../signals-repository.ts'
import { PrometheusBackedSignals } from './prometheus-backed-signals.ts'
import { PrometheusClient } from './prometheus-client.ts'
import { PrometheusMetricIngester } from './prometheus-ingester.ts'
import { DEFAULT_PROMETHEUS_QUERIES, expandQueries, type PrometheusQueries } from './prometheus-queries.ts'

/**
 * With PROMETHEUS_URL: the ingester (scheduled by `portal start`) and the repository the tools read, which
 * pulls a window from Prometheus when they ask for one. `queries` come from PROMETHEUS_QUERIES, else the defaults.
 */
export function prometheusSignals({ config, stored, index, queries = DEFAULT_PROMETHEUS_QUERIES, fetch, onError }: { config: PrometheusConfig; stored: SignalsRepository; index: CatalogIndex; queries?: PrometheusQueries; fetch?: typeof globalThis.fetch; onError?: (error: Error) => void }): { signals: SignalsRepository; ingester: PrometheusMetricIngester } {
  const client = new PrometheusClient({ url: config.url, fetch })
  const ingester = new PrometheusMetricIngester({ client, signals: stored, index, entityLabel: config.entityLabel, queries: expandQueries(queries, config.entityLabel), stepSeconds: config.stepSeconds })
  return { signals: new PrometheusBackedSignals(stored, ingester, onError), ingester }
}
