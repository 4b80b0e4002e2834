import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { openTestStore, testEngines, type TestStore } from '../core/testing/test-store.ts'
import { createPlatform, type Platform } from './create-platform.ts'
import { loadDemoIfEmpty, loadDemoSignalsIfEmpty } from './load-demo.ts'

describe.each(testEngines)('the demo with its simulated history on %s', (engine) => {
  let test: TestStore
  let platform: Platform
  const now = new Date('2026-03-16T10:00:00Z')

  beforeAll(async () => {
    test = await openTestStore(engine)
    platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), store: test.store })
    await loadDemoIfEmpty(platform)
    // `portal start` loads them ending now; ending at a fixed time keeps the test repeatable.
    await loadDemoSignalsIfEmpty(platform, { now })
  }, 240_000)
  afterAll(async () => {
    await platform.close()
    await test.close()
  })

  it('holds two weeks of metrics for every running service, ending now', async () => {
    expect(await platform.signals.latestMetricTime()).toEqual(now)
    const runs = await platform.signals.metricRuns({ entities: ['component:default/checkout-api'], from: new Date(now.getTime() - 14 * 86_400_000), to: now })
    expect(new Set(runs.map((run) => run.metric))).toEqual(new Set(['requests_per_s', 'latency_p95_ms', 'error_rate', 'cpu_utilisation', 'memory_mb', 'cert_expiry_timestamp']))
    const samples = runs.filter((run) => run.metric === 'latency_p95_ms').reduce((sum, run) => sum + run.values.length, 0)
    expect(samples).toBe(14 * 288)
  })

  it('has incidents for the injected faults, with the truth beside them, and one still open', async () => {
    const truth = await platform.signals.faultTruth()
    expect(new Set(truth.map((fault) => fault.type))).toEqual(new Set(['bad-deployment', 'memory-leak', 'config-change', 'noisy-neighbour', 'expired-certificate', 'slow-dependency', 'database-saturation']))
    expect(truth.find((fault) => fault.type === 'database-saturation')!.cause).toBe('resource:default/payments-db')
    const incidents = await platform.signals.listIncidents()
    expect(incidents.length).toBe(truth.filter((fault) => fault.incidentId).length)
    expect(incidents.length).toBeGreaterThanOrEqual(6)
    expect(await platform.signals.listIncidents({ status: 'open' })).toHaveLength(1)
    for (const incident of incidents) expect(platform.catalog.index.has(incident.entity)).toBe(true)
  })

  it('loads only into an empty signals store', async () => {
    expect(await loadDemoSignalsIfEmpty(platform, { now })).toBeUndefined()
  })
})
