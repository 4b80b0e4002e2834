import { describe, expect, it } from 'vitest'
import { predictIncidents } from './predict-incidents.ts'
import type { MetricRun } from './signal-types.ts'
import { MemorySignalsRepository } from './signals-repository.ts'

const at = new Date('2026-03-03T12:00:00Z')
const STEP = 300_000
const topology = { nodes: ['web', 'orders', 'orders-db', 'search'], edges: [['web', 'orders'], ['orders', 'orders-db'], ['web', 'search']] as Array<[string, string]> }
/** 26 hours of five-minute samples up to `at`; `shape(minutesBeforeAt)` gives each value. */
const series = (entity: string, metric: string, shape: (minutesBefore: number) => number): MetricRun => {
  const length = (26 * 60) / 5 + 1
  const start = new Date(at.getTime() - (length - 1) * STEP)
  return { entity, metric, start, stepSeconds: 300, values: Array.from({ length }, (_, step) => shape((at.getTime() - (start.getTime() + step * STEP)) / 60_000)) }
}
// A little deterministic wobble, as real series have.
const wobble = (minutes: number) => 1 + 0.01 * Math.sin(minutes * 1.7)
const quiet = (entity: string) => [
  series(entity, 'latency_p95_ms', (minutes) => 80 * wobble(minutes)),
  series(entity, 'error_rate', (minutes) => 0.002 * wobble(minutes)),
  series(entity, 'cpu_utilisation', (minutes) => 0.4 * wobble(minutes)),
  series(entity, 'memory_mb', (minutes) => 500 * wobble(minutes)),
]

describe('predictIncidents', () => {
  it('rates a leaking service and its callers at risk, with the reasons, and quiet ones not', async () => {
    const signals = new MemorySignalsRepository()
    await signals.write({
      metricRuns: [...quiet('web'), ...quiet('search'), ...quiet('orders-db'), ...quiet('orders').filter((run) => run.metric !== 'memory_mb'), series('orders', 'memory_mb', (minutes) => 500 * wobble(minutes) * (1 + 0.006 * Math.max(0, 90 - minutes)))],
      events: [{ id: 'd1', entity: 'search', type: 'deployment', at: new Date(at.getTime() - 20 * 60_000), summary: 'Deployed search v3', source: 'test' }],
    })
    const forecasts = await predictIncidents(signals, { topology, at })
    const byEntity = Object.fromEntries(forecasts.map((forecast) => [forecast.entity, forecast]))
    expect(forecasts[0]!.entity).toBe('orders')
    expect(byEntity.orders!.risk).toBeGreaterThan(0.5)
    expect(byEntity.orders!.reasons.join(' ')).toMatch(/memory growing \d+% of its normal an hour, now \d+% above normal/)
    expect(byEntity.web!.reasons).toContain(`depends on orders (risk ${byEntity.orders!.risk.toFixed(2)})`)
    expect(byEntity.web!.risk).toBeLessThan(byEntity.orders!.risk)
    // A change with no symptoms is a small risk: most bad changes show within minutes.
    expect(byEntity.search!.reasons).toEqual(['deployment 20 min ago: "Deployed search v3"'])
    expect(byEntity.search!.risk).toBeLessThan(0.2)
    expect(byEntity['orders-db']!.risk).toBe(0)
  })

  it('counts errors climbing toward the alerting threshold against the service\'s own normal, not an absolute objective', async () => {
    const signals = new MemorySignalsRepository()
    // orders always fails 3% (its normal); web's errors rose from 0.2% to 3.5% in the last half hour.
    await signals.write({ metricRuns: [series('orders', 'error_rate', (minutes) => 0.03 * wobble(minutes)), series('web', 'error_rate', (minutes) => (minutes < 30 ? 0.035 : 0.002) * wobble(minutes))] })
    const forecasts = Object.fromEntries((await predictIncidents(signals, { topology, at })).map((forecast) => [forecast.entity, forecast]))
    expect(forecasts.web!.reasons).toEqual([expect.stringMatching(/^error budget burning: errors 3\.\d points above its normal \(incidents open at \+4\)$/)])
    expect(forecasts.web!.risk).toBeGreaterThan(0.5)
    expect(forecasts.orders!.risk).toBe(0)
  })

  it('projects load above yesterday\'s onto yesterday\'s coming peak', async () => {
    const signals = new MemorySignalsRepository()
    // Yesterday utilisation rose from 0.5 now-ish to 0.8 an hour later; today the load runs 20% higher.
    const daily = (minutes: number) => (minutes > 23 * 60 && minutes < 24 * 60 ? 0.8 : 0.5)
    await signals.write({ metricRuns: [series('orders-db', 'cpu_utilisation', (minutes) => daily(minutes) * (minutes < 60 ? 1.2 : 1))] })
    const [top] = await predictIncidents(signals, { topology, at, entities: ['orders-db'] })
    expect(top!.reasons).toEqual(["load 20% above yesterday's: at the next two hours' peak that is 96% utilisation"])
    expect(top!.risk).toBeGreaterThan(0.5)
  })

  it('marks down symptoms that belong to an incident already open nearby', async () => {
    const signals = new MemorySignalsRepository()
    await signals.write({
      metricRuns: [series('web', 'error_rate', (minutes) => (minutes < 30 ? 0.035 : 0.002) * wobble(minutes))],
      incidents: [{ id: 'inc-1', entity: 'orders', title: 'orders failing', severity: 'major', status: 'open', startedAt: new Date(at.getTime() - 40 * 60_000), source: 'test', attributes: { affected: ['orders'] } }],
    })
    const [web] = await predictIncidents(signals, { topology, at, entities: ['web'] })
    expect(web!.reasons).toContain('its symptoms are near incident inc-1, which is open or just resolved')
    expect(web!.risk).toBeLessThan(0.3)
  })
})

describe('predictIncidents and certificates', () => {
  it('foresees a TLS certificate expiring within the horizon, and its callers with it; one weeks away is no risk', async () => {
    const signals = new MemorySignalsRepository()
    const expiresIn = (entity: string, hours: number) => series(entity, 'cert_expiry_timestamp', () => (at.getTime() + hours * 3_600_000) / 1000)
    await signals.write({ metricRuns: [expiresIn('orders', 1.5), expiresIn('search', 24 * 40), expiresIn('orders-db', 10)] })
    const forecasts = Object.fromEntries((await predictIncidents(signals, { topology, at })).map((forecast) => [forecast.entity, forecast]))
    expect(forecasts.orders!.reasons).toEqual(['TLS certificate expires in 1.5 h (2026-03-03 13:30 UTC)', 'depends on orders-db (risk 0.20)'])
    expect(forecasts.orders!.risk).toBeGreaterThan(0.8)
    expect(forecasts.web!.risk).toBeGreaterThan(0.5)
    expect(forecasts.search!.risk).toBe(0)
    // Within a day: worth a line, not an alarm.
    expect(forecasts['orders-db']!.reasons).toEqual(['TLS certificate expires in 10.0 h (2026-03-03 22:00 UTC)'])
    expect(forecasts['orders-db']!.risk).toBeLessThan(0.3)
  })
})
