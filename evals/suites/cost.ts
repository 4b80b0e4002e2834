import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from '../../core/store/migrations.ts'
import { PgliteStore } from '../../core/store/pglite-store.ts'
import { writeDemoCost } from '../../graph/demo/write-demo-cost.ts'
import type { Platform } from '../../platform/create-platform.ts'
import { catalogTools } from '../../tools/catalog/catalog-tools.ts'
import { costAnomalies } from '../../tools/cost/cost-anomalies.ts'
import { costBreakdown } from '../../tools/cost/cost-breakdown.ts'
import { costRecommendations, recordUtilisation, WASTE_KINDS } from '../../tools/cost/cost-recommendations.ts'
import { addDays } from '../../tools/cost/cost-scope.ts'
import { CostService } from '../../tools/cost/cost-service.ts'
import { costTools } from '../../tools/cost/cost-tools.ts'
import { toUnits, unitsToDecimal } from '../../tools/cost/exact-money.ts'
import { graphTools } from '../../tools/graph/graph-tools.ts'
import { ToolRegistry } from '../../tools/tool-registry.ts'
import { askItem, excerpt } from '../ask-item.ts'
import type { EvalItem } from '../eval-item.ts'
import { checkAnswer, ratio } from '../scoring.ts'
import { defineSuite, type Failure } from '../suite.ts'

/** Questions the agent must answer from the demo cost data, with the tools and facts that answer them. */
const QUESTIONS: EvalItem[] = [
  { question: 'what did team payments spend on compute last week and what can we cut?', split: 'dev', expect: { tools: [{ name: 'cost_breakdown', input: { team: 'group:default/team-payments', serviceCategory: 'Compute' } }, { name: 'cost_recommendations', input: { team: 'group:default/team-payments' } }], contains: ['team-payments', 'rightsize', 'idle-resource'] } },
  { question: 'what is our carbon footprint by region?', split: 'dev', expect: { tools: [{ name: 'carbon_footprint', input: { groupBy: 'region' } }], contains: ['eu-west-1', 'us-east-1', 'kg CO2e'] } },
  { question: 'why did our cloud bill spike?', split: 'dev', expect: { tools: [{ name: 'cost_anomalies' }], contains: ['search-indexer', 'c6i.24xlarge', 'clickstream-bucket'] } },
  { question: 'which teams will go over budget this month?', split: 'dev', expect: { tools: [{ name: 'cost_forecast' }], contains: ['will end near', 'over budget', 'team-search'] } },
]

function sameTools(expected: EvalItem['expect']['tools'], actual: Array<{ name: string; input?: unknown }>): boolean {
  if (!expected) return true
  if (expected.map((tool) => tool.name).sort().join() !== actual.map((tool) => tool.name).sort().join()) return false
  return expected.every((tool) => {
    const call = actual.find((item) => item.name === tool.name) as { input?: Record<string, unknown> } | undefined
    return Object.entries(tool.input ?? {}).every(([key, value]) => String(call?.input?.[key] ?? '').toLowerCase() === String(value).toLowerCase())
  })
}

/**
 * Cost analysis on generated FOCUS data with known truth (the demo generator's planted spikes and waste):
 * anomalies found and their drivers named, savings against the planted waste, allocation adding up to the
 * bill to the cent, and the agent answering cost and carbon questions from that data.
 */
export const costSuite = defineSuite({
  name: 'cost',
  description: 'Anomalies, drivers, savings and allocation against planted truth; cost and carbon questions answered',
  thresholds: { anomalyPrecision: 0.9, anomalyRecall: 0.9, driverAccuracy: 0.9, savingsAccuracy: 0.9, allocationExact: 1, agentAccuracy: 0.9 },
  async run(_items, { ask, platform, model }) {
    const failures: Failure[] = []
    const directory = await mkdtemp(join(tmpdir(), 'portal-cost-evals-'))
    const store = await PgliteStore.open()
    try {
      await migrate(store)
      // Data ends today, so that "last week" in the questions falls inside it.
      const end = new Date().toISOString().slice(0, 10)
      const written = await writeDemoCost(directory, { end, seed: 7 })
      const { truth } = written
      const cost = new CostService({ store, catalog: platform.catalog, bus: platform.bus })
      const report = await cost.import([written.focusFile])
      if (report.errors.length > 0) throw new Error(`The generated FOCUS file did not import: ${JSON.stringify(report.errors.slice(0, 3))}`)
      await recordUtilisation(store, written.utilisation)

      // Anomalies over every day that has a full baseline before it.
      const detected = (await costAnomalies(cost.context, { window: { from: addDays(truth.start, 14), to: truth.end } })).anomalies
      const matched = truth.spikes.map((spike) => detected.find((anomaly) => anomaly.key === spike.entityRef && Math.abs(Date.parse(anomaly.start) - Date.parse(spike.start)) <= 86_400_000))
      const truePositives = detected.filter((anomaly) => truth.spikes.some((spike) => anomaly.key === spike.entityRef && Math.abs(Date.parse(anomaly.start) - Date.parse(spike.start)) <= 86_400_000))
      for (const anomaly of detected) if (!truePositives.includes(anomaly)) failures.push({ question: 'anomalies', reason: 'false positive', expected: truth.spikes.map((spike) => `${spike.entityRef} ${spike.start}`), actual: anomaly })
      let driversRight = 0
      for (const [index, spike] of truth.spikes.entries()) {
        const anomaly = matched[index]
        if (!anomaly) failures.push({ question: 'anomalies', reason: 'missed spike', expected: spike, actual: null })
        else if (anomaly.drivers[0]?.resourceId === spike.resourceId && anomaly.drivers[0]?.skuId === spike.skuId) driversRight++
        else failures.push({ question: 'anomalies', reason: 'driver', expected: { resourceId: spike.resourceId, skuId: spike.skuId, cause: spike.cause }, actual: anomaly.drivers })
      }

      // Savings: recommendations that remove waste against the waste planted.
      const recommended = (await costRecommendations(cost.context)).recommendations.filter((item) => WASTE_KINDS.includes(item.kind))
      const planted = truth.waste.reduce((sum, item) => sum + item.monthlySavings, 0)
      const found = recommended.reduce((sum, item) => sum + item.estimatedMonthlySavings, 0)
      const savingsAccuracy = planted > 0 ? Math.max(0, 1 - Math.abs(found - planted) / planted) : null
      for (const waste of truth.waste) if (!recommended.some((item) => item.resourceId === waste.resourceId && item.kind === waste.kind)) failures.push({ question: 'recommendations', reason: 'missed waste', expected: waste, actual: null })
      for (const item of recommended) if (!truth.waste.some((waste) => waste.resourceId === item.resourceId)) failures.push({ question: 'recommendations', reason: 'not planted', expected: null, actual: item })

      // Allocation: every team's cost plus the unallocated adds up to the bill, exactly.
      const byTeam = await costBreakdown(cost.context, { groupBy: 'team', window: { from: truth.start, to: truth.end } })
      const allocated = unitsToDecimal(byTeam.items.reduce((sum, item) => sum + toUnits(item.billedCost), 0n))
      const allocationExact = toUnits(allocated) / 10_000_000_000n === toUnits(truth.billedTotal) / 10_000_000_000n ? 1 : 0
      if (!allocationExact) failures.push({ question: 'allocation', reason: 'total', expected: truth.billedTotal, actual: allocated })

      // The agent, on a platform whose registry has the cost tools over this data.
      const registry = new ToolRegistry().register(...catalogTools({ catalog: platform.catalog }), ...graphTools({ catalog: platform.catalog }), ...costTools({ cost }))
      const costPlatform: Platform = { ...platform, store, cost, tools: registry }
      let answered = 0
      for (const item of QUESTIONS) {
        const outcome = await askItem(ask, costPlatform, item, model)
        if (!outcome.ok) {
          failures.push({ question: item.question, reason: 'error', expected: item.expect, actual: outcome.error })
          continue
        }
        const tools = sameTools(item.expect.tools, outcome.result.toolCalls)
        const check = checkAnswer(outcome.result.answer, item.expect)
        if (tools && check.passed) answered++
        else failures.push({ question: item.question, reason: tools ? 'answer' : 'tool selection', expected: item.expect, actual: { toolCalls: outcome.result.toolCalls, answer: excerpt(outcome.result.answer), missing: check.missing } })
      }

      return {
        metrics: {
          anomalyPrecision: ratio(truePositives.length, detected.length),
          anomalyRecall: ratio(matched.filter(Boolean).length, truth.spikes.length),
          driverAccuracy: ratio(driversRight, truth.spikes.length),
          savingsAccuracy,
          allocationExact,
          agentAccuracy: ratio(answered, QUESTIONS.length),
        },
        failures,
      }
    } finally {
      await store.close()
      await rm(directory, { recursive: true, force: true })
    }
  },
})
