import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ask } from '../../agent/ask.ts'
import { loadConfig } from '../../core/config.ts'
import { localOperator } from '../../core/identity.ts'
import { writeDemoOrg } from '../../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { loadDemoSignalsIfEmpty } from '../../platform/load-demo.ts'
import { MemorySignalsRepository } from './signals-repository.ts'
import { rcaTools } from './rca-tools.ts'
import { ToolRegistry } from '../tool-registry.ts'

let directory: string
let platform: Platform
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-rca-tools-'))
  await writeDemoOrg(directory)
  platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
}, 120_000)
afterAll(async () => {
  await platform.close()
  await rm(directory, { recursive: true, force: true })
})

/** The demo's two weeks ending at `now`, behind the tools with that clock. */
async function toolsAt(now: Date) {
  const signals = new MemorySignalsRepository()
  await loadDemoSignalsIfEmpty({ ...platform, signals } as Platform, { now })
  const registry = new ToolRegistry().register(...rcaTools({ catalog: platform.catalog, signals, now: () => now }))
  const call = async (name: string, input: unknown) => (await registry.call(name, input, { identity: localOperator() })).output as any
  return { signals, call }
}

describe('the signals tools on the demo history', () => {
  // Different times of day and week: the answer must not depend on when the demo starts.
  for (const now of ['2026-03-16T10:00:00Z', '2026-03-18T22:30:00Z', '2026-03-21T04:15:00Z']) {
    it(`answers why checkout-api is slow, and names each past incident's true cause (ending ${now})`, async () => {
      const { signals, call } = await toolsAt(new Date(now))
      const report = await call('rca_analyze', { ref: 'checkout-api' })
      expect(report.target).toBe('component:default/checkout-api')
      expect(report.likelyCause.entity).toBe('resource:default/payments-db')
      expect(report.candidates[0].evidence.join('\n')).toMatch(/cpu_utilisation|latency_p95_ms/)
      expect(report.nextSteps.join(' ')).toMatch(/payments-db/)
      const truth = await signals.faultTruth()
      const explained = []
      for (const fault of truth.filter((item) => item.incidentId)) {
        const byIncident = await call('rca_analyze', { incidentId: fault.incidentId })
        explained.push(byIncident.candidates.findIndex((candidate: { entity: string }) => candidate.entity === fault.cause))
      }
      // Ranked first for all but at most one incident, and in the top three for all.
      expect(explained.filter((rank) => rank === 0).length).toBeGreaterThanOrEqual(explained.length - 1)
      expect(explained.every((rank) => rank >= 0 && rank < 3)).toBe(true)
    }, 120_000)
  }

  it('lists, shows and times incidents, anomalies, changes and risk', async () => {
    const now = new Date('2026-03-16T10:00:00Z')
    const { call } = await toolsAt(now)
    const open = await call('incidents_list', { status: 'open' })
    expect(open.incidents).toHaveLength(1)
    expect(open.incidents[0].affected).toContain('component:default/checkout-api')
    const all = await call('incidents_list', {})
    expect(all.incidents.length).toBeGreaterThanOrEqual(6)
    const oldest = all.incidents.at(-1)
    const shown = await call('incident_get', { id: oldest.id })
    expect(shown.incident.id).toBe(oldest.id)
    expect(shown.timeline.some((event: { type: string; entity: string }) => event.type === 'deployment' && event.entity === 'component:default/cart-service')).toBe(true)
    await expect(call('incident_get', { id: 'inc-nope' })).rejects.toThrow('No incident inc-nope')
    const anomalies = await call('anomalies_list', { ref: 'payments-db', since: '3h' })
    expect(anomalies.anomalies.length).toBeGreaterThan(0)
    expect(anomalies.anomalies.every((item: { entity: string }) => item.entity === 'resource:default/payments-db')).toBe(true)
    const timeline = await call('signals_timeline', { ref: 'cart-service', from: '14d' })
    expect(timeline.events.some((event: { type: string }) => event.type === 'deployment')).toBe(true)
    expect(timeline.metrics.map((metric: { metric: string }) => metric.metric).sort()).toEqual(['cert_expiry_timestamp', 'cpu_utilisation', 'error_rate', 'latency_p95_ms', 'memory_mb', 'requests_per_s'])
    // The API's signals are its provider's.
    expect((await call('signals_timeline', { ref: 'api:default/cart-api', from: '1h' })).ref).toBe('component:default/cart-service')
    await expect(call('signals_timeline', { ref: 'cart-service', from: 'last tuesday' })).rejects.toThrow('from must be an ISO 8601 time or a duration')
    const risk = await call('incidents_predict', { limit: 5 })
    expect(risk.forecasts).toHaveLength(5)
    expect(risk.forecasts[0].risk).toBeGreaterThan(0.3)
    expect(risk.forecasts[0].reasons.length).toBeGreaterThan(0)
  }, 120_000)
})

describe('the agent', () => {
  it('answers "why is checkout-api slow?" from the simulated history, citing the cause', async () => {
    const signals = new MemorySignalsRepository()
    const withSignals = { ...platform, signals } as Platform
    await loadDemoSignalsIfEmpty(withSignals)
    withSignals.tools = new ToolRegistry().register(...platform.tools.list().filter((tool) => !tool.name.startsWith('rca_') && !tool.name.startsWith('incident') && !tool.name.startsWith('signals_') && !tool.name.startsWith('anomalies_')), ...rcaTools({ catalog: platform.catalog, signals }))
    const result = await ask(withSignals, { question: 'why is checkout-api slow?' })
    expect(result.toolCalls.map((call) => call.name)).toEqual(['rca_analyze'])
    expect(result.answer).toMatch(/likely cause of Checkout API \(component:default\/checkout-api\)'s trouble/)
    expect(result.answer).toContain('resource:default/payments-db')
    expect(result.citations).toContain('resource:default/payments-db')
  }, 120_000)
})
