import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessEventBus } from '../../core/events/in-process-event-bus.ts'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { Catalog } from '../../graph/catalog/catalog.ts'
import { MemoryCatalogRepository } from '../../graph/catalog/memory-catalog-repository.ts'
import { writeDemoCost, type WrittenDemoCost } from '../../graph/demo/write-demo-cost.ts'
import { writeDemoOrg } from '../../graph/demo/write-demo-org.ts'
import { carbonFootprint } from './carbon/carbon-footprint.ts'
import { costAnomalies } from './cost-anomalies.ts'
import { costBreakdown } from './cost-breakdown.ts'
import { costForecast } from './cost-forecast.ts'
import { costRecommendations, recordUtilisation, WASTE_KINDS } from './cost-recommendations.ts'
import { CostService } from './cost-service.ts'
import { toUnits } from './exact-money.ts'

describe.each(testEngines)('cost analyses on the demo organisation (%s store)', (engine) => {
  let test: TestStore
  let scratch: string
  let cost: CostService
  let written: WrittenDemoCost
  beforeAll(async () => {
    test = await openTestStore(engine)
    scratch = await mkdtemp(path.join(os.tmpdir(), 'cost-analysis-'))
    await writeDemoOrg(path.join(scratch, 'catalog'))
    const catalog = await Catalog.open({ repository: new MemoryCatalogRepository(), bus: new InProcessEventBus() })
    await catalog.import([path.join(scratch, 'catalog', 'catalog-info.yaml')])
    cost = new CostService({ store: test.store, catalog, bus: new InProcessEventBus() })
    written = await writeDemoCost(path.join(scratch, 'cost'), { end: '2025-03-20', days: 45 })
    const report = await cost.import([written.focusFile])
    expect(report.errors).toEqual([])
    expect(report.rows).toBe(written.truth.rows)
    await recordUtilisation(test.store, written.utilisation)
  }, 120_000)
  afterAll(async () => {
    await test.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('breaks spend down by team to the bill exactly, with the unallocated share visible', async () => {
    const byTeam = await costBreakdown(cost.context, { groupBy: 'team', window: { from: written.truth.start, to: written.truth.end } })
    expect(byTeam.items.reduce((sum, item) => sum + toUnits(item.billedCost), 0n)).toBe(toUnits(written.truth.billedTotal))
    expect(byTeam.total).toBe(written.truth.billedTotal.replace(/0+$/, '').replace(/\.$/, ''))
    expect(byTeam.items.map((item) => item.key)).toEqual(expect.arrayContaining(['group:default/team-payments', 'unallocated']))
    const bySystem = await costBreakdown(cost.context, { groupBy: 'domain', window: { from: written.truth.start, to: written.truth.end } })
    expect(bySystem.items.map((item) => item.key)).toContain('domain:default/payments')
  })

  it('filters by team and service category', async () => {
    const compute = await costBreakdown(cost.context, { groupBy: 'service', filters: { team: 'team-payments', serviceCategory: 'compute' } })
    expect(compute.filters).toMatchObject({ team: 'group:default/team-payments', serviceCategory: 'Compute' })
    expect(compute.items.length).toBeGreaterThan(0)
    expect(compute.items.every((item) => item.key.startsWith('component:'))).toBe(true)
    await expect(costBreakdown(cost.context, { groupBy: 'team', filters: { serviceCategory: 'spaceships' } })).rejects.toThrow(/not a FOCUS service category/)
  })

  it('finds the planted spikes, and nothing else, with the resource and SKU that drove each', async () => {
    const { anomalies } = await costAnomalies(cost.context, { window: { from: '2025-02-17', to: written.truth.end } })
    expect(anomalies.map((anomaly) => `${anomaly.key} ${anomaly.start}`).sort()).toEqual(written.truth.spikes.map((spike) => `${spike.entityRef} ${spike.start}`).sort())
    for (const spike of written.truth.spikes) {
      const anomaly = anomalies.find((item) => item.key === spike.entityRef)!
      expect(anomaly.drivers[0]).toMatchObject({ resourceId: spike.resourceId, skuId: spike.skuId })
      expect(anomaly.end).toBe(spike.end)
    }
  })

  it('recommends cutting the planted waste, with savings that match it', async () => {
    const { recommendations } = await costRecommendations(cost.context)
    const waste = recommendations.filter((item) => WASTE_KINDS.includes(item.kind))
    expect(waste.map((item) => `${item.kind} ${item.resourceId}`).sort()).toEqual(written.truth.waste.map((item) => `${item.kind} ${item.resourceId}`).sort())
    const planted = written.truth.waste.reduce((sum, item) => sum + item.monthlySavings, 0)
    expect(waste.reduce((sum, item) => sum + item.estimatedMonthlySavings, 0)).toBeCloseTo(planted, 0)
    expect(recommendations.find((item) => item.kind === 'commitment')?.estimatedMonthlySavings).toBeGreaterThan(0)
  })

  it('forecasts the month from the month so far and the run rate', async () => {
    const forecast = await costForecast(cost.context)
    expect(forecast).toMatchObject({ month: '2025-03', asOf: '2025-03-19', daysElapsed: 19, daysInMonth: 31 })
    const monthToDate = await costBreakdown(cost.context, { groupBy: 'provider', window: { from: '2025-03-01', to: '2025-03-20' } })
    expect(forecast.actual).toBeCloseTo(Number(monthToDate.total), 2)
    expect(forecast.forecast).toBeGreaterThan(forecast.actual)
  })

  it('estimates emissions by region with lower-carbon regions nearby', async () => {
    const footprint = await carbonFootprint(cost.context, { groupBy: 'region' })
    expect(footprint.totalKgCo2e).toBeGreaterThan(0)
    expect(footprint.items.map((item) => item.key)).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1', 'eu-central-1']))
    expect(footprint.items.reduce((sum, item) => sum + item.kgCo2e, 0)).toBeCloseTo(footprint.totalKgCo2e, 0)
    expect(footprint.suggestions.find((item) => item.region === 'eu-west-1')).toMatchObject({ suggestedRegion: 'eu-north-1' })
    const byTeam = await carbonFootprint(cost.context, { groupBy: 'team' })
    expect(byTeam.totalKgCo2e).toBeCloseTo(footprint.totalKgCo2e, 1)
  })
})
