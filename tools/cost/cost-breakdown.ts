import { toUnits, unitsToDecimal } from './exact-money.ts'
import { addDays, costCondition, daysBetween, domainOf, resolveFilters, resolveWindow, systemOf, type CostContext, type CostFilters, type CostWindow } from './cost-scope.ts'

export const BREAKDOWN_DIMENSIONS = ['team', 'service', 'system', 'domain', 'provider', 'serviceCategory', 'serviceName', 'region', 'sku', 'allocation'] as const
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number]

/** The cost_daily column each dimension groups by; system and domain are derived from the entity. */
const COLUMN: Record<BreakdownDimension, string> = {
  team: 'team_ref',
  service: 'entity_ref',
  system: 'entity_ref',
  domain: 'entity_ref',
  provider: 'provider',
  serviceCategory: 'service_category',
  serviceName: 'service_name',
  region: 'region',
  sku: 'sku_id',
  allocation: 'allocated_by',
}

export interface BreakdownItem {
  /** The group's value; `unallocated` where no entity or team could be tied to the cost. */
  key: string
  /** Exact decimal text of the billed cost in the window. */
  billedCost: string
  /** The same for the window of equal length just before, to show the trend. */
  previousCost: string
}

export interface Breakdown {
  window: CostWindow
  previousWindow: CostWindow
  groupBy: BreakdownDimension
  filters: CostFilters
  currency: string
  total: string
  previousTotal: string
  items: BreakdownItem[]
}

export const UNALLOCATED = 'unallocated'

/**
 * Billed cost grouped by one dimension over a window, with the previous window of equal length beside it
 * (trends and top movers). Sums are exact (numeric in SQL, BigInt in the fold), so the groups add up to the
 * bill to the cent; what could not be tied to the catalog is the `unallocated` group.
 */
export async function costBreakdown({ store, index }: CostContext, { groupBy, window: asked, filters: rawFilters = {} }: { groupBy: BreakdownDimension; window?: Partial<CostWindow>; filters?: CostFilters }): Promise<Breakdown> {
  const filters = resolveFilters(index, rawFilters)
  const window = await resolveWindow(store, asked)
  const previousWindow = { from: addDays(window.from, -daysBetween(window.from, window.to)), to: window.from }
  const condition = costCondition(index, { from: previousWindow.from, to: window.to }, filters, 1)
  const column = COLUMN[groupBy]
  const result = await store.query<{ key: string | null; current: string | null; previous: string | null; currency: string }>(
    `select ${column} as key, min(currency) as currency,
            sum(billed_cost) filter (where usage_date >= $1::date)::text as current,
            sum(billed_cost) filter (where usage_date < $1::date)::text as previous
     from cost_daily where ${condition.sql} group by ${column}`,
    [window.from, ...condition.parameters],
  )
  const folded = new Map<string, { current: bigint; previous: bigint }>()
  let total = 0n
  let previousTotal = 0n
  for (const row of result.rows) {
    const key = (groupBy === 'system' ? systemOf(index, row.key) : groupBy === 'domain' ? domainOf(index, row.key) : row.key) ?? UNALLOCATED
    const entry = folded.get(key) ?? { current: 0n, previous: 0n }
    const current = toUnits(row.current ?? '0')
    const previous = toUnits(row.previous ?? '0')
    entry.current += current
    entry.previous += previous
    total += current
    previousTotal += previous
    folded.set(key, entry)
  }
  const items = [...folded]
    .filter(([, value]) => value.current !== 0n || value.previous !== 0n)
    .sort((left, right) => (right[1].current > left[1].current ? 1 : right[1].current < left[1].current ? -1 : left[0].localeCompare(right[0])))
    .map(([key, value]) => ({ key, billedCost: unitsToDecimal(value.current), previousCost: unitsToDecimal(value.previous) }))
  return { window, previousWindow, groupBy, filters, currency: result.rows[0]?.currency ?? 'USD', total: unitsToDecimal(total), previousTotal: unitsToDecimal(previousTotal), items }
}
