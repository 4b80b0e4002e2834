import type { Queryable } from '../../core/store/store.ts'
import { costCondition, daysBetween, resolveFilters, resolveWindow, type CostContext, type CostFilters, type CostWindow } from './cost-scope.ts'

export const RECOMMENDATION_KINDS = ['idle-resource', 'unattached-volume', 'unused-address', 'rightsize', 'commitment'] as const
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number]

/** Kinds that remove waste (as opposed to buying the same capacity cheaper). */
export const WASTE_KINDS: readonly RecommendationKind[] = ['idle-resource', 'unattached-volume', 'unused-address', 'rightsize']

export interface Recommendation {
  kind: RecommendationKind
  resourceId: string | null
  entityRef: string | null
  teamRef: string | null
  action: string
  reason: string
  monthlyCost: number
  estimatedMonthlySavings: number
}

/** Utilisation of a resource over an observed window, from metrics (Prometheus, or the demo's signals). */
export interface ResourceUtilisation {
  resourceId: string
  vcpus: number | null
  memoryGb: number | null
  cpuP50: number | null
  cpuP95: number | null
  cpuMax: number | null
  networkGb: number | null
  attached: boolean | null
  observedFrom: string
  observedTo: string
  source: string
}

export interface RecommendationSettings {
  /** p95 CPU (%) below which, with no traffic, a resource is idle. */
  idleCpuP95: number
  /** Network (GB over the window) below which a resource has no traffic. */
  idleNetworkGb: number
  /** The p95 CPU a rightsized resource should run at, leaving the rest as headroom. */
  rightsizeTargetUtilisation: number
  /** Saving from a commitment (1-year compute savings plan or reserved capacity) on covered on-demand spend. */
  commitmentDiscount: number
}

export const DEFAULT_RECOMMENDATION_SETTINGS: RecommendationSettings = { idleCpuP95: 5, idleNetworkGb: 1, rightsizeTargetUtilisation: 0.6, commitmentDiscount: 0.28 }

const DAYS_PER_MONTH = 30
const UNUSED_ADDRESS = /\b(idle|unassociated|unattached|unused)\b.*\b(ip|ipv4|address|addresses)\b/i

function round(value: number): number {
  return Math.round(value * 100) / 100
}

/** Stores utilisation observations (replacing earlier ones for the same resources). */
export async function recordUtilisation(store: Queryable, samples: ResourceUtilisation[]): Promise<void> {
  for (let start = 0; start < samples.length; start += 1000) {
    const batch = samples.slice(start, start + 1000).map((sample) => ({ resource_id: sample.resourceId, vcpus: sample.vcpus, memory_gb: sample.memoryGb, cpu_p50: sample.cpuP50, cpu_p95: sample.cpuP95, cpu_max: sample.cpuMax, network_gb: sample.networkGb, attached: sample.attached, observed_from: sample.observedFrom, observed_to: sample.observedTo, source: sample.source }))
    await store.query(
      `insert into cost_resource_utilisation select * from json_populate_recordset(null::cost_resource_utilisation, $1::json)
       on conflict (resource_id) do update set vcpus = excluded.vcpus, memory_gb = excluded.memory_gb, cpu_p50 = excluded.cpu_p50, cpu_p95 = excluded.cpu_p95, cpu_max = excluded.cpu_max,
         network_gb = excluded.network_gb, attached = excluded.attached, observed_from = excluded.observed_from, observed_to = excluded.observed_to, source = excluded.source`,
      [JSON.stringify(batch)],
    )
  }
}

/** The smallest size, halving from the current one, that keeps p95 use under the target. */
function rightsizedVcpus(vcpus: number, cpuP95: number, target: number): number {
  const needed = (vcpus * cpuP95) / 100 / target
  let size = vcpus
  while (size / 2 >= needed && size / 2 >= 1 && Number.isInteger(size / 2)) size /= 2
  return size
}

/**
 * What to cut, with estimated monthly savings: idle resources (no CPU, no traffic), unattached volumes and
 * unused addresses (orphans), rightsizing (p95 CPU against provisioned vCPUs, keeping headroom), and
 * commitment coverage for steady on-demand compute. Monthly cost is the resource's recent daily cost × 30.
 */
export async function costRecommendations({ store, index }: CostContext, { window: asked, filters: rawFilters = {}, settings = DEFAULT_RECOMMENDATION_SETTINGS }: { window?: Partial<CostWindow>; filters?: CostFilters; settings?: RecommendationSettings } = {}): Promise<{ window: CostWindow; filters: CostFilters; recommendations: Recommendation[]; totalMonthlySavings: number }> {
  const filters = resolveFilters(index, rawFilters)
  const window = await resolveWindow(store, asked, 14)
  const days = daysBetween(window.from, window.to)
  const condition = costCondition(index, window, filters)
  const resources = await store.query<{ resource_id: string; entity_ref: string | null; team_ref: string | null; cost: string; description: string | null; days: number } & Record<string, unknown>>(
    `select c.resource_id, min(c.entity_ref) as entity_ref, min(c.team_ref) as team_ref, sum(c.billed_cost)::text as cost, min(c.charge_description) as description,
            count(distinct c.usage_date)::integer as days,
            min(u.vcpus) as vcpus, min(u.cpu_p95) as cpu_p95, min(u.network_gb) as network_gb, bool_and(u.attached) as attached
     from cost_line_items c left join cost_resource_utilisation u on u.resource_id = c.resource_id
     where ${condition.sql.replaceAll(/\b(usage_date|team_ref|entity_ref|provider|service_category|region|sku_id)\b/g, 'c.$1')} and c.resource_id is not null and c.charge_category = 'Usage'
     group by c.resource_id`,
    condition.parameters,
  )
  const recommendations: Recommendation[] = []
  for (const row of resources.rows) {
    // The resource's cost per day while it existed in the window, as a month.
    const monthlyCost = (Number(row.cost) / Math.max(1, Math.min(days, row.days))) * DAYS_PER_MONTH
    if (monthlyCost <= 0) continue
    const base = { resourceId: row.resource_id, entityRef: row.entity_ref, teamRef: row.team_ref, monthlyCost: round(monthlyCost) }
    const vcpus = row.vcpus === null ? null : Number(row.vcpus)
    const cpuP95 = row.cpu_p95 === null ? null : Number(row.cpu_p95)
    const networkGb = row.network_gb === null ? null : Number(row.network_gb)
    if (row.attached === false) {
      recommendations.push({ ...base, kind: 'unattached-volume', action: 'snapshot and delete the volume', reason: 'not attached to any instance', estimatedMonthlySavings: round(monthlyCost) })
    } else if (row.description && UNUSED_ADDRESS.test(row.description)) {
      recommendations.push({ ...base, kind: 'unused-address', action: 'release the address', reason: `billed as "${row.description}"`, estimatedMonthlySavings: round(monthlyCost) })
    } else if (cpuP95 !== null && cpuP95 < settings.idleCpuP95 && (networkGb ?? 0) < settings.idleNetworkGb) {
      recommendations.push({ ...base, kind: 'idle-resource', action: 'stop or delete it', reason: `p95 CPU ${cpuP95}% and ${networkGb ?? 0} GB of traffic`, estimatedMonthlySavings: round(monthlyCost) })
    } else if (cpuP95 !== null && vcpus !== null && vcpus > 1) {
      const size = rightsizedVcpus(vcpus, cpuP95, settings.rightsizeTargetUtilisation)
      if (size < vcpus) {
        recommendations.push({ ...base, kind: 'rightsize', action: `resize from ${vcpus} to ${size} vCPUs`, reason: `p95 CPU ${cpuP95}% of ${vcpus} vCPUs; ${size} vCPUs keep p95 under ${Math.round(settings.rightsizeTargetUtilisation * 100)}%`, estimatedMonthlySavings: round(monthlyCost * (1 - size / vcpus)) })
      }
    }
  }
  const commitment = await commitmentRecommendation({ store, index }, window, filters, settings, new Set(recommendations.map((item) => item.resourceId!)))
  if (commitment) recommendations.push(commitment)
  recommendations.sort((left, right) => right.estimatedMonthlySavings - left.estimatedMonthlySavings)
  return { window, filters, recommendations, totalMonthlySavings: round(recommendations.reduce((sum, item) => sum + item.estimatedMonthlySavings, 0)) }
}

/**
 * Steady on-demand compute (the lowest day of the window, less what other recommendations remove) could be
 * covered by a commitment; the saving is the commitment discount on it.
 */
async function commitmentRecommendation({ store, index }: CostContext, window: CostWindow, filters: CostFilters, settings: RecommendationSettings, removed: Set<string>): Promise<Recommendation | undefined> {
  const condition = costCondition(index, window, { ...filters, serviceCategory: 'Compute' }, 1)
  const result = await store.query<{ day: string; on_demand: string | null; committed: string | null }>(
    `select usage_date::text as day,
            sum(billed_cost) filter (where coalesce(pricing_category, 'Standard') = 'Standard' and not (resource_id = any($1::text[])))::text as on_demand,
            sum(billed_cost) filter (where pricing_category = 'Committed')::text as committed
     from cost_line_items where ${condition.sql} and charge_category = 'Usage' group by usage_date`,
    [[...removed], ...condition.parameters],
  )
  const days = daysBetween(window.from, window.to)
  if (result.rows.length < Math.min(days, 7)) return undefined
  const onDemand = result.rows.map((row) => Number(row.on_demand ?? 0))
  // Days without rows are days without on-demand spend: the steady floor is then zero.
  const floor = result.rows.length < days ? 0 : Math.min(...onDemand)
  const committed = result.rows.reduce((sum, row) => sum + Number(row.committed ?? 0), 0)
  const total = onDemand.reduce((sum, value) => sum + value, 0) + committed
  const coverage = total > 0 ? committed / total : 1
  const monthly = floor * DAYS_PER_MONTH
  if (monthly < 100 || coverage > 0.8) return undefined
  return {
    kind: 'commitment',
    resourceId: null,
    entityRef: filters.entity ?? null,
    teamRef: filters.team ?? null,
    action: `commit to ${round(floor / 24)} per hour of compute (1-year savings plan)`,
    reason: `${Math.round(coverage * 100)}% of compute is covered by commitments; at least ${round(floor)} per day runs on demand every day`,
    monthlyCost: round(monthly),
    estimatedMonthlySavings: round(monthly * settings.commitmentDiscount),
  }
}
