import { addDays, costCondition, daysBetween, resolveFilters, resolveWindow, type CostContext, type CostFilters, type CostWindow } from './cost-scope.ts'

export const ANOMALY_DIMENSIONS = ['service', 'team', 'provider', 'serviceCategory', 'region', 'sku'] as const
export type AnomalyDimension = (typeof ANOMALY_DIMENSIONS)[number]

const COLUMN: Record<AnomalyDimension, string> = { service: 'entity_ref', team: 'team_ref', provider: 'provider', serviceCategory: 'service_category', region: 'region', sku: 'sku_id' }

export interface AnomalyDriver {
  resourceId: string | null
  skuId: string | null
  /** Extra cost per day against its own baseline. */
  excessPerDay: number
}

export interface CostAnomaly {
  dimension: AnomalyDimension
  key: string
  start: string
  /** The last anomalous day (inclusive). */
  end: string
  /** The baseline daily cost (median of the days before). */
  expectedPerDay: number
  peakPerDay: number
  /** Cost above the baseline over the anomaly's days. */
  excessCost: number
  drivers: AnomalyDriver[]
}

export interface AnomalyOptions {
  dimension?: AnomalyDimension
  window?: Partial<CostWindow>
  filters?: CostFilters
  /** Days before each day that form its baseline. */
  baselineDays?: number
  /** Spread of the baseline (robust z-score, in MADs) a day must exceed. */
  sensitivity?: number
  /** Smallest relative rise that counts (0.3: 30% over baseline). */
  minimumRise?: number
  /** Smallest daily rise in currency that counts, so that cents do not page anyone. */
  minimumDailyImpact?: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[middle]!
}

/**
 * Finds days whose cost for a dimension value (a service, a team, a SKU…) rises above its own recent baseline:
 * a robust z-score (median and median absolute deviation of the preceding days) with a relative and an
 * absolute floor, so that steady noise and small amounts do not count. Consecutive anomalous days are one
 * anomaly. For each, the resources and SKUs whose cost rose most are its drivers.
 */
export async function costAnomalies({ store, index }: CostContext, { dimension = 'service', window: asked, filters: rawFilters = {}, baselineDays = 14, sensitivity = 5, minimumRise = 0.3, minimumDailyImpact = 10 }: AnomalyOptions = {}): Promise<{ window: CostWindow; dimension: AnomalyDimension; anomalies: CostAnomaly[] }> {
  const filters = resolveFilters(index, rawFilters)
  const window = await resolveWindow(store, asked)
  const start = addDays(window.from, -baselineDays)
  const column = COLUMN[dimension]
  const condition = costCondition(index, { from: start, to: window.to }, filters)
  const result = await store.query<{ key: string | null; day: string; cost: string }>(
    `select ${column} as key, to_char(usage_date, 'YYYY-MM-DD') as day, sum(billed_cost)::text as cost from cost_daily where ${condition.sql} group by 1, 2`,
    condition.parameters,
  )
  const length = daysBetween(start, window.to)
  const series = new Map<string, number[]>()
  for (const row of result.rows) {
    const key = row.key ?? 'unallocated'
    let values = series.get(key)
    if (!values) series.set(key, (values = new Array<number>(length).fill(0)))
    values[daysBetween(start, row.day)]! += Number(row.cost)
  }
  const anomalies: CostAnomaly[] = []
  for (const [key, values] of series) {
    let open: CostAnomaly | undefined
    for (let position = baselineDays; position < length; position++) {
      const baseline = values.slice(position - baselineDays, position)
      const expected = median(baseline)
      const spread = 1.4826 * median(baseline.map((value) => Math.abs(value - expected)))
      const cost = values[position]!
      const rise = cost - (open ? open.expectedPerDay : expected)
      const anomalous = rise > minimumDailyImpact && rise > minimumRise * (open ? open.expectedPerDay : expected) && rise > sensitivity * spread
      const day = addDays(start, position)
      if (anomalous) {
        // While an anomaly lasts, its own days must not become the baseline of the next ones.
        if (!open) open = { dimension, key, start: day, end: day, expectedPerDay: expected, peakPerDay: cost, excessCost: 0, drivers: [] }
        open.end = day
        open.peakPerDay = Math.max(open.peakPerDay, cost)
        open.excessCost += rise
      } else if (open) {
        anomalies.push(open)
        open = undefined
      }
    }
    if (open) anomalies.push(open)
  }
  for (const anomaly of anomalies) anomaly.drivers = await driversOf({ store, index }, anomaly, column, filters, baselineDays)
  anomalies.sort((left, right) => right.excessCost - left.excessCost)
  return { window, dimension, anomalies: anomalies.map((anomaly) => ({ ...anomaly, expectedPerDay: round(anomaly.expectedPerDay), peakPerDay: round(anomaly.peakPerDay), excessCost: round(anomaly.excessCost) })) }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

/** The resources and SKUs whose daily cost rose most in the anomaly's days against the days before. */
async function driversOf({ store, index }: CostContext, anomaly: CostAnomaly, column: string, filters: CostFilters, baselineDays: number): Promise<AnomalyDriver[]> {
  const baselineStart = addDays(anomaly.start, -baselineDays)
  const end = addDays(anomaly.end, 1)
  const condition = costCondition(index, { from: baselineStart, to: end }, filters, 2)
  const keyCondition = anomaly.key === 'unallocated' && (column === 'entity_ref' || column === 'team_ref') ? `${column} is null` : `${column} = $${condition.parameters.length + 3}`
  const result = await store.query<{ resource_id: string | null; sku_id: string | null; during: string | null; before: string | null }>(
    `select resource_id, sku_id,
            sum(billed_cost) filter (where usage_date >= $1::date)::text as during,
            sum(billed_cost) filter (where usage_date < $1::date)::text as before
     from cost_line_items where ${condition.sql} and ${keyCondition} and usage_date < $2::date
     group by resource_id, sku_id`,
    [anomaly.start, end, ...condition.parameters, ...(keyCondition.endsWith('is null') ? [] : [anomaly.key])],
  )
  const anomalyDays = daysBetween(anomaly.start, end)
  return result.rows
    .map((row) => ({ resourceId: row.resource_id, skuId: row.sku_id, excessPerDay: round(Number(row.during ?? 0) / anomalyDays - Number(row.before ?? 0) / baselineDays) }))
    .filter((driver) => driver.excessPerDay > 0)
    .sort((left, right) => right.excessPerDay - left.excessPerDay)
    // Drivers are what moved the cost: a rise under a tenth of the largest is noise beside it.
    .filter((driver, position, list) => position === 0 || driver.excessPerDay >= list[0]!.excessPerDay / 10)
    .slice(0, 3)
}
