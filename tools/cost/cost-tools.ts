import { z } from 'zod'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import { ANOMALY_DIMENSIONS, costAnomalies } from './cost-anomalies.ts'
import { BREAKDOWN_DIMENSIONS, costBreakdown } from './cost-breakdown.ts'
import { costForecast } from './cost-forecast.ts'
import { RECOMMENDATION_KINDS, costRecommendations } from './cost-recommendations.ts'
import type { CostFilters } from './cost-scope.ts'
import type { CostService } from './cost-service.ts'
import { money } from './exact-money.ts'
import { CARBON_DIMENSIONS, carbonFootprint } from './carbon/carbon-footprint.ts'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
const windowInput = {
  from: day.optional().describe('First day (inclusive), YYYY-MM-DD; default: 30 days before the last day with data'),
  to: day.optional().describe('Day after the last (exclusive), YYYY-MM-DD; default: the day after the last day with data'),
}
const filterInput = {
  team: z.string().min(1).max(300).optional().describe('A team (Group), e.g. "team-payments"; includes its subteams'),
  service: z.string().min(1).max(300).optional().describe('A component or resource, e.g. "checkout-api"'),
  system: z.string().min(1).max(300).optional(),
  domain: z.string().min(1).max(300).optional(),
  provider: z.string().min(1).max(100).optional().describe('FOCUS ProviderName, e.g. "AWS"'),
  serviceCategory: z.string().min(1).max(100).optional().describe('FOCUS ServiceCategory, e.g. "Compute", "Storage", "Databases", "Networking"'),
  region: z.string().min(1).max(100).optional(),
  sku: z.string().min(1).max(300).optional(),
}
const windowSchema = z.object({ from: z.string(), to: z.string() })
const filtersSchema = z.object({ team: z.string().optional(), entity: z.string().optional(), system: z.string().optional(), domain: z.string().optional(), provider: z.string().optional(), serviceCategory: z.string().optional(), region: z.string().optional(), sku: z.string().optional() })

type FilterInput = { [Key in keyof typeof filterInput]?: string }

function filtersOf({ team, service, system, domain, provider, serviceCategory, region, sku }: FilterInput): CostFilters {
  return { team, entity: service, system, domain, provider, serviceCategory, region, sku }
}

function formatMoney(value: number, currency = 'USD'): string {
  return `${currency === 'USD' ? '$' : `${currency} `}${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}

function describeScope(filters: CostFilters): string {
  const parts = [filters.team, filters.entity, filters.system, filters.domain, filters.provider, filters.serviceCategory, filters.region, filters.sku].filter(Boolean)
  return parts.length > 0 ? ` for ${parts.join(', ')}` : ''
}

export function costTools({ cost }: { cost: CostService }): ToolDefinition[] {
  const breakdown = defineTool({
    name: 'cost_breakdown',
    title: 'What is spent, by team, service or region',
    description: 'Cloud spend (FOCUS billed cost) over a window grouped by team, service, system, domain, provider, service category, region or SKU, with the previous window beside it for trends and top movers; unallocated spend shown as such.',
    input: z.object({ groupBy: z.enum(BREAKDOWN_DIMENSIONS).default('team'), ...windowInput, ...filterInput, limit: z.number().int().min(1).max(200).default(20) }),
    output: z.object({
      window: windowSchema,
      previousWindow: windowSchema,
      groupBy: z.string(),
      filters: filtersSchema,
      currency: z.string(),
      total: z.number(),
      previousTotal: z.number(),
      unallocated: z.number(),
      items: z.array(z.object({ key: z.string(), billedCost: z.number(), previousCost: z.number(), change: z.number(), share: z.number() })),
      topMovers: z.array(z.object({ key: z.string(), change: z.number() })),
    }),
    annotations: READ_ONLY,
    scope: 'cost:read',
    approval: false,
    examples: ['what did team-payments spend last week?', 'what does cart-service cost us', 'cloud spend by team this month', 'what are our costs by region', 'how much did team-identity spend in the last 30 days', 'the AWS bill of the billing system', 'which services cost the most', 'breakdown of spend by service category', 'what did we spend on compute last week', 'show costs per domain', 'how much is the storage spend of team-data', 'top movers in cloud cost', 'how has our spend changed compared to last month', 'cost of the checkout system', 'spend by provider', 'how much unallocated spend do we have'],
    async execute({ groupBy, from, to, limit, ...filters }) {
      const result = await costBreakdown(cost.context, { groupBy, window: { from, to }, filters: filtersOf(filters) })
      const total = Number(result.total)
      const items = result.items.map((item) => ({ key: item.key, billedCost: money(item.billedCost), previousCost: money(item.previousCost), change: money(Number(item.billedCost) - Number(item.previousCost)), share: total !== 0 ? Math.round((Number(item.billedCost) / total) * 1000) / 1000 : 0 }))
      return {
        window: result.window,
        previousWindow: result.previousWindow,
        groupBy,
        filters: result.filters,
        currency: result.currency,
        total: money(result.total),
        previousTotal: money(result.previousTotal),
        unallocated: items.find((item) => item.key === 'unallocated')?.billedCost ?? 0,
        items: items.slice(0, limit),
        topMovers: [...items].sort((left, right) => Math.abs(right.change) - Math.abs(left.change)).slice(0, 5).map(({ key, change }) => ({ key, change })),
      }
    },
    render: (output) => [`Spend${describeScope(output.filters)} from ${output.window.from} to ${output.window.to} (exclusive): ${formatMoney(output.total, output.currency)} (previous period ${formatMoney(output.previousTotal, output.currency)}), by ${output.groupBy}:`, ...output.items.map((item) => `- ${item.key}: ${formatMoney(item.billedCost, output.currency)} (${item.change >= 0 ? '+' : ''}${formatMoney(item.change, output.currency)})`)].join('\n'),
  })

  const anomalies = defineTool({
    name: 'cost_anomalies',
    title: 'Cost anomalies and what drove them',
    description: 'Days when daily cost of a service, team, provider, service category, region or SKU rose above its recent baseline, with the resources and SKUs that drove each rise.',
    input: z.object({ dimension: z.enum(ANOMALY_DIMENSIONS).default('service'), ...windowInput, ...filterInput }),
    output: z.object({
      window: windowSchema,
      dimension: z.string(),
      anomalies: z.array(z.object({ dimension: z.string(), key: z.string(), start: z.string(), end: z.string(), expectedPerDay: z.number(), peakPerDay: z.number(), excessCost: z.number(), drivers: z.array(z.object({ resourceId: z.string().nullable(), skuId: z.string().nullable(), excessPerDay: z.number() })) })),
    }),
    annotations: READ_ONLY,
    scope: 'cost:read',
    approval: false,
    examples: ['were there any cost anomalies last month?', 'why did our cloud bill spike?', 'unusual spend this week', 'what caused the cost spike for search-service', 'did any team have a cost jump', 'cost spikes in the last 30 days', 'what drove the increase in spend', 'anomalous costs by sku'],
    async execute({ dimension, from, to, ...filters }) {
      return costAnomalies(cost.context, { dimension, window: { from, to }, filters: filtersOf(filters) })
    },
    render: (output) => (output.anomalies.length === 0 ? `No cost anomalies from ${output.window.from} to ${output.window.to}.` : output.anomalies.map((anomaly) => `- ${anomaly.key}: ${anomaly.start}${anomaly.end !== anomaly.start ? ` to ${anomaly.end}` : ''}, ${formatMoney(anomaly.excessCost)} over a baseline of ${formatMoney(anomaly.expectedPerDay)}/day; driven by ${anomaly.drivers.map((driver) => `${driver.resourceId ?? '(no resource)'} ${driver.skuId ?? ''}`.trim()).join(', ') || 'no single resource'}`).join('\n')),
  })

  const forecast = defineTool({
    name: 'cost_forecast',
    title: 'Month-end cost forecast and budgets',
    description: "Forecast of this month's spend at month end from the month so far and the recent daily run rate, per team against its budget.",
    input: z.object({ asOf: day.optional().describe('The last day of data to forecast from; default: the latest'), ...filterInput }),
    output: z.object({ month: z.string(), asOf: z.string(), daysElapsed: z.number(), daysInMonth: z.number(), actual: z.number(), dailyRunRate: z.number(), forecast: z.number(), filters: filtersSchema, teams: z.array(z.object({ team: z.string(), actual: z.number(), forecast: z.number(), budget: z.number().optional(), overBudgetBy: z.number().optional() })) }),
    annotations: READ_ONLY,
    scope: 'cost:read',
    approval: false,
    examples: ['what will we spend this month?', 'month-end forecast for team-checkout', 'are we going to go over budget', 'which teams will exceed their budget', 'projected cloud bill at the end of the month', 'forecast our costs'],
    async execute({ asOf, ...filters }) {
      return costForecast(cost.context, { asOf, filters: filtersOf(filters) })
    },
    render: (output) => [`${output.month}: ${formatMoney(output.actual)} so far (${output.daysElapsed} of ${output.daysInMonth} days), forecast ${formatMoney(output.forecast)} at month end (run rate ${formatMoney(output.dailyRunRate)}/day).`, ...output.teams.filter((team) => team.overBudgetBy !== undefined).map((team) => `- ${team.team} will exceed its budget of ${formatMoney(team.budget!)} by ${formatMoney(team.overBudgetBy!)}`)].join('\n'),
  })

  const recommendations = defineTool({
    name: 'cost_recommendations',
    title: 'What to cut: savings recommendations',
    description: 'Savings with estimated monthly amounts: idle resources, unattached volumes and unused addresses, rightsizing from CPU utilisation with headroom, and commitment coverage for steady on-demand compute.',
    input: z.object({ ...windowInput, ...filterInput, kinds: z.array(z.enum(RECOMMENDATION_KINDS)).optional() }),
    output: z.object({
      window: windowSchema,
      filters: filtersSchema,
      totalMonthlySavings: z.number(),
      recommendations: z.array(z.object({ kind: z.string(), resourceId: z.string().nullable(), entityRef: z.string().nullable(), teamRef: z.string().nullable(), action: z.string(), reason: z.string(), monthlyCost: z.number(), estimatedMonthlySavings: z.number() })),
    }),
    annotations: READ_ONLY,
    scope: 'cost:read',
    approval: false,
    examples: ['what can we cut?', 'how can team-payments save money', 'savings recommendations', 'which resources are idle', 'what is over-provisioned', 'where are we wasting money on cloud', 'rightsizing recommendations for team-search', 'unattached volumes and unused ip addresses', 'should we buy a savings plan', 'how do we reduce our cloud bill'],
    async execute({ from, to, kinds, ...filters }) {
      const result = await costRecommendations(cost.context, { window: { from, to }, filters: filtersOf(filters) })
      const chosen = kinds ? result.recommendations.filter((item) => kinds.includes(item.kind)) : result.recommendations
      return { window: result.window, filters: result.filters, totalMonthlySavings: money(chosen.reduce((sum, item) => sum + item.estimatedMonthlySavings, 0)), recommendations: chosen }
    },
    render: (output) => (output.recommendations.length === 0 ? 'No savings found.' : [`${formatMoney(output.totalMonthlySavings)} per month could be saved:`, ...output.recommendations.map((item) => `- ${item.kind}: ${item.resourceId ?? item.teamRef ?? 'compute'} (${item.entityRef ?? 'unallocated'}): ${item.action}, ${item.reason}; saves ${formatMoney(item.estimatedMonthlySavings)}/month`)].join('\n')),
  })

  const carbon = defineTool({
    name: 'carbon_footprint',
    title: 'Carbon footprint of the cloud spend',
    description: "Energy (kWh) and emissions (kg CO2e) of cloud usage by region, team, service, system, domain, provider or service category, by Cloud Carbon Footprint's method, with lower-carbon regions to move to.",
    input: z.object({ groupBy: z.enum(CARBON_DIMENSIONS).default('region'), ...windowInput, ...filterInput }),
    output: z.object({
      window: windowSchema,
      groupBy: z.string(),
      filters: filtersSchema,
      totalKwh: z.number(),
      totalKgCo2e: z.number(),
      estimatedFromCostShare: z.number(),
      items: z.array(z.object({ key: z.string(), kwh: z.number(), kgCo2e: z.number() })),
      suggestions: z.array(z.object({ provider: z.string(), region: z.string(), suggestedRegion: z.string(), currentFactor: z.number(), suggestedFactor: z.number(), kgCo2eSaved: z.number() })),
      method: z.string(),
    }),
    annotations: READ_ONLY,
    scope: 'cost:read',
    approval: false,
    examples: ['what is our carbon footprint by region?', 'how much co2 does team-data emit', 'emissions per team', 'carbon emissions of checkout-api', 'which region should we move to for lower carbon', 'energy use of our cloud', 'greenest region for our workloads', 'co2e by service'],
    async execute({ groupBy, from, to, ...filters }) {
      return carbonFootprint(cost.context, { groupBy, window: { from, to }, filters: filtersOf(filters) })
    },
    render: (output) => [`${output.totalKgCo2e.toLocaleString('en-US')} kg CO2e from ${output.totalKwh.toLocaleString('en-US')} kWh (${output.window.from} to ${output.window.to}), by ${output.groupBy}:`, ...output.items.map((item) => `- ${item.key}: ${item.kgCo2e} kg CO2e (${item.kwh} kWh)`), ...output.suggestions.map((item) => `Moving ${item.region} to ${item.suggestedRegion} would save about ${item.kgCo2eSaved} kg CO2e.`)].join('\n'),
  })

  return [breakdown, anomalies, forecast, recommendations, carbon] as ToolDefinition[]
}
