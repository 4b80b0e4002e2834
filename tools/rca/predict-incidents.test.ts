import { describe, expect, it } from 'vitest'
import { predictIncidents } from './predict-incidents.ts'
import { MemorySignalsRepository } from './signals-repository.ts'

const at = new Date('2026-03-03T12:00:00Z')
const topology = { nodes: ['web', 'orders', 'orders-db', 'search'], edges: [['web', 'orders'], ['orders', 'orders-db'], ['web', 'search']] as Array<[string, string]> }
const flat = (entity: string, metric: string, level: number, growthPerStep = 0) => ({ entity, metric, start: new Date(at.getTime() - 3 * 3_600_000), stepSeconds: 300, values: Array.from({ length: 37 }, (_, step) => level + growthPerStep * step) })

describe('predictIncidents', () => {
  it('rates a leaking service and its callers at risk, with the reasons, and a quiet one not', async () => {
    const signals = new MemorySignalsRepository()
    await signals.write({
      metricRuns: [flat('orders', 'memory_mb', 500, 20), flat('orders', 'error_rate', 0.002), flat('web', 'error_rate', 0.002), flat('search', 'error_rate', 0.002), flat('search', 'memory_mb', 300)],
      events: [{ id: 'd1', entity: 'search', type: 'deployment', at: new Date(at.getTime() - 20 * 60_000), summary: 'Deployed search v3', source: 'test' }],
    })
    const forecasts = await predictIncidents(signals, { topology, at })
    const byEntity = Object.fromEntries(forecasts.map((forecast) => [forecast.entity, forecast]))
    expect(forecasts[0]!.entity).toBe('orders')
    expect(byEntity.orders!.risk).toBeGreaterThan(0.5)
    expect(byEntity.orders!.reasons.join(' ')).toMatch(/memory growing \d+% an hour/)
    expect(byEntity.web!.reasons).toContain(`depends on orders (risk ${byEntity.orders!.risk.toFixed(2)})`)
    expect(byEntity.web!.risk).toBeLessThan(byEntity.orders!.risk)
    expect(byEntity.search!.reasons).toEqual(['deployment 20 min ago: "Deployed search v3"'])
    expect(byEntity['orders-db']!.risk).toBe(0)
  })

  it('counts a burning error budget', async () => {
    const signals = new MemorySignalsRepository()
    await signals.write({ metricRuns: [flat('orders', 'error_rate', 0.05)] })
    const [top] = await predictIncidents(signals, { topology, at, entities: ['orders'] })
    expect(top!.reasons).toEqual(['error budget burning at 5.0× the sustainable rate over the last hour'])
    expect(top!.risk).toBeGreaterThan(0.5)
  })
})
