import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../core/config.ts'
import { localOperator } from '../../../core/identity.ts'
import { openTestStore, testEngines } from '../../../core/testing/test-store.ts'
import { CatalogIndex } from '../../../graph/index/catalog-index.ts'
import { createPlatform, type Platform } from '../../../platform/create-platform.ts'
import type { MetricRun } from '../signal-types.ts'
import { MemorySignalsRepository } from '../signals-repository.ts'
import { SqlSignalsRepository } from '../sql-signals-repository.ts'
import { PrometheusBackedSignals } from './prometheus-backed-signals.ts'
import { PrometheusClient } from './prometheus-client.ts'
import { PrometheusMetricIngester } from './prometheus-ingester.ts'
import { DEFAULT_PROMETHEUS_QUERIES, expandQueries, readPrometheusQueries } from './prometheus-queries.ts'
import { FAULT_AT, HEALTHY_ERROR_RATE, HEALTHY_P95_MS, MEMORY_MB, REQUESTS_PER_SECOND } from './testing/prometheus-test-history.ts'

/** The Prometheus infra/prometheus/start.sh started (npm test sets it), with the backfilled test history. */
const url = process.env.PROMETHEUS_TEST_URL

const HOUR = 3_600_000
const catalogYaml = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: shop }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout-api }
spec: { type: service, lifecycle: production, owner: shop, dependsOn: ['component:payments-api'] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations: { prometheus.io/service-name: payments }
spec: { type: service, lifecycle: production, owner: shop }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: prometheus }
spec: { type: service, lifecycle: production, owner: shop }
`
const at = (time: string) => new Date(`2026-03-03T${time}:00Z`)
const valueAt = (runs: MetricRun[], entity: string, metric: string, time: Date) => {
  const run = runs.find((item) => item.entity === entity && item.metric === metric && item.start <= time && time.getTime() < item.start.getTime() + item.values.length * item.stepSeconds * 1000)
  return run?.values[(time.getTime() - run.start.getTime()) / (run.stepSeconds * 1000)]
}

describe.skipIf(!url)('Prometheus ingestion against a real Prometheus (PROMETHEUS_TEST_URL, started by infra/prometheus/start.sh)', () => {
  let directory: string
  let platform: Platform
  const client = new PrometheusClient({ url: url ?? '' })
  const queries = expandQueries(DEFAULT_PROMETHEUS_QUERIES, 'service')
  const later = () => new Date('2026-03-04T00:00:00Z')

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-prometheus-'))
    await writeFile(path.join(directory, 'catalog-info.yaml'), catalogYaml)
    platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PROMETHEUS_URL: url }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  }, 120_000)
  afterAll(async () => {
    await platform?.close()
    await rm(directory, { recursive: true, force: true })
  })

  it('pulls the default metrics for catalog entities by the service label or the prometheus.io/service-name annotation', async () => {
    const signals = new MemorySignalsRepository()
    const ingester = new PrometheusMetricIngester({ client, signals, index: platform.catalog.index, entityLabel: 'service', queries, now: later })
    const report = await ingester.pull(at('10:00'), at('11:59'))
    expect(report).toMatchObject({ from: '2026-03-03T10:00:00.000Z', to: '2026-03-03T11:59:00.000Z', unmapped: ['legacy-batch'] })
    // Five metrics (the history has no certificate probe), two mapped services, two whole hours: one run each.
    expect(report.runs).toBe(20)
    const runs = await signals.metricRuns({ from: at('10:00'), to: at('12:00') })
    expect(new Set(runs.map((run) => run.entity))).toEqual(new Set(['component:default/checkout-api', 'component:default/payments-api']))
    expect(runs.every((run) => run.stepSeconds === 60 && run.values.length === 60 && run.start.getUTCMinutes() === 0)).toBe(true)
    const checkout = 'component:default/checkout-api'
    const payments = 'component:default/payments-api'
    expect(valueAt(runs, checkout, 'requests_per_s', at('10:30'))).toBeCloseTo(REQUESTS_PER_SECOND['checkout-api'], -1)
    expect(valueAt(runs, checkout, 'error_rate', at('10:30'))).toBeCloseTo(HEALTHY_ERROR_RATE, 3)
    expect(valueAt(runs, checkout, 'latency_p95_ms', at('10:30'))).toBeCloseTo(HEALTHY_P95_MS, 1)
    expect(valueAt(runs, checkout, 'memory_mb', at('10:30'))! / MEMORY_MB['checkout-api']).toBeCloseTo(1, 1)
    expect(valueAt(runs, payments, 'cpu_utilisation', at('10:30'))).toBeCloseTo(0.3, 1)
    // The fault: payments slow and failing from 11:00, seen through the annotation's label value.
    expect(valueAt(runs, payments, 'latency_p95_ms', at('11:30'))).toBeGreaterThan(5 * HEALTHY_P95_MS)
    expect(valueAt(runs, payments, 'error_rate', at('11:30'))).toBeCloseTo(0.06, 3)
    expect(valueAt(runs, payments, 'latency_p95_ms', new Date(FAULT_AT.getTime() - 10 * 60_000))).toBeCloseTo(HEALTHY_P95_MS, 1)
  })

  it('writes the same whole-hour runs when a window is pulled again (idempotent in the store)', async () => {
    const test = await openTestStore(testEngines[0]!)
    try {
      const signals = new SqlSignalsRepository(test.store)
      const ingester = new PrometheusMetricIngester({ client, signals, index: platform.catalog.index, entityLabel: 'service', queries, now: later })
      await ingester.pull(at('09:30'), at('10:10'))
      const first = await signals.metricRuns({ from: at('00:00'), to: at('23:59') })
      const again = new PrometheusMetricIngester({ client, signals, index: platform.catalog.index, entityLabel: 'service', queries, now: later })
      await again.pull(at('09:00'), at('10:59'))
      await again.pull(at('09:45'), at('10:15'))
      expect(first.every((run) => run.values.length === 60)).toBe(true)
      const second = await signals.metricRuns({ from: at('00:00'), to: at('23:59') })
      expect(second).toHaveLength(first.length)
      expect(second.map((run) => run.values.length)).toEqual(first.map((run) => run.values.length))
      expect(second.reduce((sum, run) => sum + run.values.length, 0)).toBe(2 * 5 * 2 * 60)
    } finally {
      await test.close()
    }
  })

  it('pulls the window RCA needs on demand: rca_analyze names payments-api from Prometheus\'s samples', async () => {
    const { output } = await platform.tools.call('rca_analyze', { ref: 'checkout-api', at: '2026-03-03T11:00:00Z' }, { identity: localOperator() })
    const report = output as { likelyCause?: { entity: string }; candidates: Array<{ entity: string; evidence: string[] }> }
    expect(report.likelyCause?.entity).toBe('component:default/payments-api')
    expect(report.candidates[0]!.evidence.join('\n')).toMatch(/latency_p95_ms/)
    expect((await platform.signals.metricRuns({ entities: ['component:default/payments-api'], metrics: ['latency_p95_ms'], from: at('08:00'), to: at('11:30') })).length).toBeGreaterThan(0)
  }, 60_000)

  it('keeps pulling the latest samples on a schedule (Prometheus scraping itself, by the job label)', async () => {
    const signals = new MemorySignalsRepository()
    const ingester = new PrometheusMetricIngester({ client, signals, index: platform.catalog.index, entityLabel: 'job', queries: { memory_mb: 'process_resident_memory_bytes{job="prometheus"} / 1048576' }, stepSeconds: 1 })
    const pulls: number[] = []
    ingester.start({ intervalSeconds: 1, backfillHours: 1, onPull: (report) => pulls.push(report.runs) })
    const samples = async () => (await signals.metricRuns({ entities: ['component:default/prometheus'], from: new Date(Date.now() - 2 * HOUR), to: new Date() })).reduce((sum, run) => sum + run.values.length, 0)
    try {
      let first = 0
      for (let attempt = 0; attempt < 60 && first === 0; attempt++) first = await new Promise((resolve) => setTimeout(resolve, 250)).then(samples)
      let grown = first
      for (let attempt = 0; attempt < 60 && grown <= first; attempt++) grown = await new Promise((resolve) => setTimeout(resolve, 250)).then(samples)
      expect(first).toBeGreaterThan(0)
      expect(grown).toBeGreaterThan(first)
      expect(pulls.length).toBeGreaterThanOrEqual(2)
      const [run] = await signals.metricRuns({ entities: ['component:default/prometheus'], from: new Date(Date.now() - 2 * HOUR), to: new Date() })
      expect(run!.values.every((value) => value > 1)).toBe(true)
    } finally {
      ingester.stop()
    }
  }, 60_000)

  it('passes on what Prometheus said about a bad query', async () => {
    await expect(client.queryRange({ query: 'sum by (service (', start: at('10:00'), end: at('10:05'), stepSeconds: 60 })).rejects.toThrow(/Prometheus rejected the query .*bad_data/)
  })
})

describe('Prometheus unreachable', () => {
  it('answers reads from what is stored and reports why', async () => {
    const stored = new MemorySignalsRepository()
    const run = { entity: 'component:default/checkout-api', metric: 'latency_p95_ms', start: at('10:00'), stepSeconds: 60, values: [120, 121] }
    await stored.write({ metricRuns: [run] })
    // Nothing listens on port 1: the connection is refused at once.
    const ingester = new PrometheusMetricIngester({ client: new PrometheusClient({ url: 'http://127.0.0.1:1' }), signals: stored, index: new CatalogIndex(), entityLabel: 'service', queries: { latency_p95_ms: 'x' }, now: () => at('12:00') })
    const errors: string[] = []
    const signals = new PrometheusBackedSignals(stored, ingester, (error) => errors.push(error.message))
    expect(await signals.metricRuns({ from: at('09:00'), to: at('11:00') })).toEqual([run])
    expect(errors).toEqual([expect.stringMatching(/^Prometheus at http:\/\/127\.0\.0\.1:1 did not answer/)])
  })
})

describe('Prometheus configuration', () => {
  it('reads PROMETHEUS_* and says which value is wrong', async () => {
    expect(loadConfig({ PROMETHEUS_URL: 'http://prometheus:9090/', PROMETHEUS_ENTITY_LABEL: 'job' }).prometheus).toEqual({ url: 'http://prometheus:9090', entityLabel: 'job', intervalSeconds: 60, stepSeconds: 60 })
    expect(loadConfig({}).prometheus).toBeUndefined()
    expect(() => loadConfig({ PROMETHEUS_URL: 'http://prometheus:9090', PROMETHEUS_STEP_SECONDS: '7' })).toThrow(expect.objectContaining({ issues: [{ path: 'PROMETHEUS_STEP_SECONDS', message: 'must divide an hour (e.g. 15, 30, 60, 300)' }] }))
    expect(() => loadConfig({ PROMETHEUS_URL: 'http://prometheus:9090', PROMETHEUS_ENTITY_LABEL: 'service-name' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'PROMETHEUS_ENTITY_LABEL' })] }))
  })

  it('reads a queries file and names the metric at fault', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-prometheus-queries-'))
    try {
      await writeFile(path.join(directory, 'good.yaml'), 'latency_p95_ms: 1000 * histogram_quantile(0.95, sum by ({{label}}, le) (rate(rpc_duration_seconds_bucket[5m])))\n')
      const queries = await readPrometheusQueries(path.join(directory, 'good.yaml'))
      expect(expandQueries(queries, 'app')).toEqual({ latency_p95_ms: '1000 * histogram_quantile(0.95, sum by (app, le) (rate(rpc_duration_seconds_bucket[5m])))' })
      await writeFile(path.join(directory, 'bad.yaml'), 'Latency: ""\n')
      await expect(readPrometheusQueries(path.join(directory, 'bad.yaml'))).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: 'Latency' })]) })
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })
})
