import type { EventBus } from '../../core/events/event-bus.ts'
import { addDays, costCondition, daysBetween, resolveFilters, dataEnd, type CostContext, type CostFilters } from './cost-scope.ts'

/** The Group annotation that sets a team's monthly budget, in the billing currency. */
export const BUDGET_ANNOTATION = 'next-portal.io/monthly-budget'
export const BUDGET_EXCEEDED = 'cost-budget-exceeded'

export interface TeamForecast {
  team: string
  actual: number
  forecast: number
  budget?: number
  /** The forecast over the budget, when it is. */
  overBudgetBy?: number
}

export interface CostForecast {
  month: string
  /** The last day with data that the forecast starts from. */
  asOf: string
  daysElapsed: number
  daysInMonth: number
  actual: number
  /** Daily run rate: the mean of the last `runRateDays` days with data. */
  dailyRunRate: number
  forecast: number
  filters: CostFilters
  teams: TeamForecast[]
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

/**
 * Month-end forecast: what the month has cost so far, plus the recent daily run rate for each day left; per
 * team too, against the team's budget (the `next-portal.io/monthly-budget` annotation of its Group).
 */
export async function costForecast({ store, index }: CostContext, { asOf: askedAsOf, filters: rawFilters = {}, runRateDays = 7 }: { asOf?: string; filters?: CostFilters; runRateDays?: number } = {}): Promise<CostForecast> {
  const filters = resolveFilters(index, rawFilters)
  const end = askedAsOf ? addDays(askedAsOf, 1) : ((await dataEnd(store)) ?? addDays(new Date().toISOString().slice(0, 10), 1))
  const asOf = addDays(end, -1)
  const monthStart = `${asOf.slice(0, 7)}-01`
  const nextMonth = new Date(Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)), 1)).toISOString().slice(0, 10)
  const runRateStart = addDays(end, -runRateDays)
  const from = runRateStart < monthStart ? runRateStart : monthStart
  const condition = costCondition(index, { from, to: end }, filters, 2)
  const result = await store.query<{ team: string | null; actual: string | null; recent: string | null }>(
    `select team_ref as team,
            sum(billed_cost) filter (where usage_date >= $1::date)::text as actual,
            sum(billed_cost) filter (where usage_date >= $2::date)::text as recent
     from cost_daily where ${condition.sql} group by team_ref`,
    [monthStart, runRateStart, ...condition.parameters],
  )
  const daysElapsed = daysBetween(monthStart, end)
  const remaining = daysBetween(end, nextMonth)
  const teams: TeamForecast[] = result.rows.map((row) => {
    const actual = Number(row.actual ?? 0)
    const forecast = actual + (Number(row.recent ?? 0) / runRateDays) * remaining
    const team = row.team ?? 'unallocated'
    const budgetText = row.team ? index.get(row.team)?.metadata.annotations?.[BUDGET_ANNOTATION] : undefined
    const budget = budgetText !== undefined && Number.isFinite(Number(budgetText)) ? Number(budgetText) : undefined
    return { team, actual: round(actual), forecast: round(forecast), ...(budget !== undefined ? { budget, ...(forecast > budget ? { overBudgetBy: round(forecast - budget) } : {}) } : {}) }
  })
  teams.sort((left, right) => right.forecast - left.forecast)
  const actual = result.rows.reduce((sum, row) => sum + Number(row.actual ?? 0), 0)
  const recent = result.rows.reduce((sum, row) => sum + Number(row.recent ?? 0), 0)
  return { month: asOf.slice(0, 7), asOf, daysElapsed, daysInMonth: daysBetween(monthStart, nextMonth), actual: round(actual), dailyRunRate: round(recent / runRateDays), forecast: round(actual + (recent / runRateDays) * remaining), filters, teams }
}

/** Announces each team whose month-end forecast is over its budget, as `cost-budget-exceeded` on the bus. */
export async function publishBudgetAlerts(bus: EventBus, forecast: CostForecast): Promise<TeamForecast[]> {
  const over = forecast.teams.filter((team) => team.overBudgetBy !== undefined)
  for (const team of over) await bus.publish({ type: BUDGET_EXCEEDED, payload: { team: team.team, month: forecast.month, forecast: team.forecast, budget: team.budget, overBudgetBy: team.overBudgetBy } })
  return over
}
