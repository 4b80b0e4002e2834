import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalEvent } from '../../core/events/event-bus.ts'
import { InProcessEventBus } from '../../core/events/in-process-event-bus.ts'
import { memoryCatalog } from '../../core/testing/memory-catalog.ts'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { focusHeader, focusLine } from '../../graph/demo/focus-csv.ts'
import { BUDGET_EXCEEDED, costForecast } from './cost-forecast.ts'
import { CostService } from './cost-service.ts'

const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-tight, annotations: { next-portal.io/monthly-budget: '500', next-portal.io/cost-center: 'CC-7' } }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-roomy, annotations: { next-portal.io/monthly-budget: '100000' } }
spec: { type: team, children: [] }
`

function day(date: string, cost: number, tags: Record<string, string>) {
  return focusLine({ BilledCost: cost.toFixed(2), EffectiveCost: cost.toFixed(2), BillingAccountId: 'a', BillingCurrency: 'USD', BillingPeriodStart: '2025-04-01T00:00:00Z', BillingPeriodEnd: '2025-05-01T00:00:00Z', ChargeCategory: 'Usage', ChargePeriodStart: `${date}T00:00:00Z`, ChargePeriodEnd: `${date}T23:59:59Z`, ProviderName: 'AWS', ServiceCategory: 'Compute', ServiceName: 'EC2', Tags: JSON.stringify(tags) })
}

describe.each(testEngines)('forecasts and budgets (%s store)', (engine) => {
  let test: TestStore
  let scratch: string
  const events: PortalEvent[] = []
  let cost: CostService
  beforeAll(async () => {
    test = await openTestStore(engine)
    scratch = await mkdtemp(path.join(os.tmpdir(), 'cost-forecast-'))
    const bus = new InProcessEventBus()
    bus.subscribe(BUDGET_EXCEEDED, (event) => {
      events.push(event)
    })
    cost = new CostService({ store: test.store, catalog: await memoryCatalog(CATALOG), bus })
    let text = focusHeader()
    for (let date = 1; date <= 10; date++) {
      const iso = `2025-04-${String(date).padStart(2, '0')}`
      text += day(iso, 40, { 'cost-center': 'CC-7' }) + day(iso, 100, { team: 'roomy' })
    }
    const file = path.join(scratch, 'april.csv')
    await writeFile(file, text)
    expect((await cost.import([file])).errors).toEqual([])
  })
  afterAll(async () => {
    await test.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('forecasts each team from its month so far and its run rate, against its budget', async () => {
    const forecast = await costForecast(cost.context)
    expect(forecast).toMatchObject({ month: '2025-04', asOf: '2025-04-10', daysElapsed: 10, daysInMonth: 30, actual: 1400, dailyRunRate: 140, forecast: 4200 })
    expect(forecast.teams).toEqual([
      { team: 'group:default/team-roomy', actual: 1000, forecast: 3000, budget: 100000 },
      { team: 'group:default/team-tight', actual: 400, forecast: 1200, budget: 500, overBudgetBy: 700 },
    ])
  })

  it('announces the teams forecast over budget on the bus after an import', () => {
    expect(events).toEqual([{ type: BUDGET_EXCEEDED, payload: { team: 'group:default/team-tight', month: '2025-04', forecast: 1200, budget: 500, overBudgetBy: 700 } }])
  })
})
