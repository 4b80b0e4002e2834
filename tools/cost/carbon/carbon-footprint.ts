import { costCondition, domainOf, resolveFilters, resolveWindow, systemOf, type CostContext, type CostFilters, type CostWindow } from '../cost-scope.ts'
import { carbonCoefficients, cloudOf, gridFactor, normaliseRegion } from './carbon-coefficients.ts'

export const CARBON_DIMENSIONS = ['region', 'team', 'service', 'system', 'domain', 'provider', 'serviceCategory'] as const
export type CarbonDimension = (typeof CARBON_DIMENSIONS)[number]

const COLUMN: Record<CarbonDimension, string> = { region: 'region', team: 'team_ref', service: 'entity_ref', system: 'entity_ref', domain: 'entity_ref', provider: 'provider', serviceCategory: 'service_category' }

export interface CarbonItem {
  key: string
  kwh: number
  kgCo2e: number
}

export interface RegionSuggestion {
  provider: string
  region: string
  suggestedRegion: string
  /** Grid factors, kg CO2e per kWh. */
  currentFactor: number
  suggestedFactor: number
  kgCo2eSaved: number
}

export interface CarbonFootprint {
  window: CostWindow
  groupBy: CarbonDimension
  filters: CostFilters
  totalKwh: number
  totalKgCo2e: number
  /** Share of the energy estimated from cost, for charges whose usage could not be read (CCF's fallback). */
  estimatedFromCostShare: number
  items: CarbonItem[]
  suggestions: RegionSuggestion[]
  method: string
}

const METHOD = "Cloud Carbon Footprint's method: energy from usage (vCPU-hours at the cloud's average watts per vCPU at 50% CPU, storage TB-hours, memory GB-hours, networking GB) × the cloud's PUE; emissions = energy × the region's grid factor. Charges without readable usage are estimated from their cost."

function round(value: number, digits = 2): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** The geography a region is in, so that suggestions stay near: "eu" for eu-west-1 and europe-north1, "us" for eastus. */
function geographyOf(region: string): string {
  const name = normaliseRegion(region)
  if (/^(eu|europe|uk|france|germany|sweden|north-?europe|west-?europe|northeurope|westeurope|belgium|finland)/.test(name)) return 'eu'
  if (/^(us|northamerica|ca-|canada|(east|west|central|northcentral|southcentral|westcentral)us)/.test(name)) return 'us'
  if (/^(ap|asia|australia|japan|korea|india|(east|southeast)asia)/.test(name)) return 'ap'
  return name.split(/[-\d]/)[0] ?? name
}

/**
 * Energy and emissions of the spend, by Cloud Carbon Footprint's method and coefficients, grouped by region,
 * team, service, system, domain, provider or service category, with lower-carbon regions nearby.
 */
export async function carbonFootprint({ store, index }: CostContext, { groupBy = 'region', window: asked, filters: rawFilters = {} }: { groupBy?: CarbonDimension; window?: Partial<CostWindow>; filters?: CostFilters } = {}): Promise<CarbonFootprint> {
  const filters = resolveFilters(index, rawFilters)
  const window = await resolveWindow(store, asked)
  const condition = costCondition(index, window, filters)
  const column = COLUMN[groupBy]
  const result = await store.query<{ provider: string; region: string | null; key: string | null; energy: number; unestimated: string; billed: string }>(
    `select provider, region, ${column} as key, sum(energy_kwh) as energy, sum(unestimated_cost)::text as unestimated, sum(billed_cost)::text as billed
     from cost_daily where ${condition.sql} group by provider, region, ${column}`,
    condition.parameters,
  )
  // kWh per unit of cost, per provider, from the charges whose usage was read.
  const ratio = new Map<string, { kwh: number; cost: number }>()
  for (const row of result.rows) {
    const entry = ratio.get(row.provider) ?? { kwh: 0, cost: 0 }
    entry.kwh += Number(row.energy)
    entry.cost += Number(row.billed) - Number(row.unestimated)
    ratio.set(row.provider, entry)
  }
  const items = new Map<string, CarbonItem>()
  const byRegion = new Map<string, { provider: string; region: string; kwh: number }>()
  let fromCost = 0
  let totalKwh = 0
  let totalKg = 0
  for (const row of result.rows) {
    const providerRatio = ratio.get(row.provider)!
    const estimated = providerRatio.cost > 0 ? Math.max(0, Number(row.unestimated)) * (providerRatio.kwh / providerRatio.cost) : 0
    const kwh = Number(row.energy) + estimated
    const kg = kwh * gridFactor(row.provider, row.region).factor * 1000
    fromCost += estimated
    totalKwh += kwh
    totalKg += kg
    const key = (groupBy === 'system' ? systemOf(index, row.key) : groupBy === 'domain' ? domainOf(index, row.key) : row.key) ?? (groupBy === 'region' ? 'unknown region' : 'unallocated')
    const item = items.get(key) ?? { key, kwh: 0, kgCo2e: 0 }
    item.kwh += kwh
    item.kgCo2e += kg
    items.set(key, item)
    if (row.region) {
      const regionKey = `${row.provider}\u0000${row.region}`
      const region = byRegion.get(regionKey) ?? { provider: row.provider, region: row.region, kwh: 0 }
      region.kwh += kwh
      byRegion.set(regionKey, region)
    }
  }
  return {
    window,
    groupBy,
    filters,
    totalKwh: round(totalKwh),
    totalKgCo2e: round(totalKg),
    estimatedFromCostShare: totalKwh > 0 ? round(fromCost / totalKwh, 3) : 0,
    items: [...items.values()].map((item) => ({ key: item.key, kwh: round(item.kwh), kgCo2e: round(item.kgCo2e) })).sort((left, right) => right.kgCo2e - left.kgCo2e),
    suggestions: regionSuggestions([...byRegion.values()]),
    method: METHOD,
  }
}

/** For each region in use, the lowest-carbon region of the same cloud in the same geography, when it saves a fifth or more. */
function regionSuggestions(regions: Array<{ provider: string; region: string; kwh: number }>): RegionSuggestion[] {
  const suggestions: RegionSuggestion[] = []
  for (const { provider, region, kwh } of regions) {
    const current = gridFactor(provider, region)
    if (!current.known || kwh <= 0) continue
    const geography = geographyOf(region)
    let best: { region: string; factor: number } | undefined
    for (const [candidate, factor] of carbonCoefficients().clouds[cloudOf(provider)].gridFactors) {
      if (geographyOf(candidate) !== geography || /gov|cn-/.test(candidate)) continue
      if (!best || factor < best.factor) best = { region: candidate, factor }
    }
    if (!best || best.factor > current.factor * 0.8) continue
    suggestions.push({ provider, region, suggestedRegion: best.region, currentFactor: round(current.factor * 1000, 4), suggestedFactor: round(best.factor * 1000, 4), kgCo2eSaved: round(kwh * (current.factor - best.factor) * 1000) })
  }
  return suggestions.sort((left, right) => right.kgCo2eSaved - left.kgCo2eSaved)
}
