import type { Topology } from './topology.ts'
import { indexTopology } from './topology.ts'
import { CERTIFICATE_EXPIRY_METRIC } from './signal-types.ts'
import type { SignalsRepository } from './signals-repository.ts'
import { seriesByEntity, type Series } from './scenario.ts'

export interface RiskForecast {
  entity: string
  /** 0 to 1: how likely an incident on it is in the coming hours. */
  risk: number
  reasons: string[]
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** "Now" is the last half hour; a shorter window is noise, a longer one dilutes a trend that just began. */
const RECENT = 30 * MINUTE
/** The alerting thresholds incidents open at (latency 1.5× normal, errors 4 points above): risk grows toward them. */
const LATENCY_BREACH = 1.5
const ERROR_BREACH = 0.04
/** The hours ahead a forecast is about; a certificate expiring within them (or just after) is near-certain trouble. */
const HORIZON_HOURS = 2
/** A certificate expiring within a day is worth a line even when it is not yet urgent. */
const CERTIFICATE_WARNING_HOURS = 24
/** Utilisation beyond which queueing makes latency climb steeply. */
const SATURATION = 0.85

export interface PredictionWeights {
  /** How much of a dependency's risk its callers inherit. */
  inherited: number
  /** The risk of a change in the last hour with no symptoms yet (most bad changes show within minutes). */
  change: number
}

export const DEFAULT_PREDICTION_WEIGHTS: PredictionWeights = { inherited: 0.7, change: 0.1 }

const clamp = (value: number) => Math.min(1, Math.max(0, value))
const percent = (ratio: number) => `${Math.round((ratio - 1) * 100)}%`

function combine(parts: number[]): number {
  return 1 - parts.reduce((product, part) => product * (1 - Math.min(0.95, Math.max(0, part))), 1)
}

function within(series: Series | undefined, from: number, to: number): number[] {
  if (!series) return []
  const out: number[] = []
  series.times.forEach((time, position) => {
    if (time > from && time <= to && Number.isFinite(series.values[position])) out.push(series.values[position]!)
  })
  return out
}

function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Least-squares slope per hour and the share of variance the line explains. */
function trend(times: number[], values: number[]): { slope: number; fit: number } {
  const count = times.length
  if (count < 4) return { slope: 0, fit: 0 }
  const meanTime = times.reduce((sum, time) => sum + time, 0) / count
  const meanValue = values.reduce((sum, value) => sum + value, 0) / count
  let covariance = 0
  let timeVariance = 0
  let valueVariance = 0
  for (let position = 0; position < count; position++) {
    covariance += (times[position]! - meanTime) * (values[position]! - meanValue)
    timeVariance += (times[position]! - meanTime) ** 2
    valueVariance += (values[position]! - meanValue) ** 2
  }
  if (timeVariance === 0 || valueVariance === 0) return { slope: 0, fit: 0 }
  return { slope: (covariance / timeVariance) * HOUR, fit: covariance ** 2 / (timeVariance * valueVariance) }
}

/**
 * The risk of an incident per entity in the next hours, with the reasons. It looks for trouble already under way
 * that has not yet reached the alerting thresholds, judged against the entity's own normal (the same half hour
 * yesterday and three hours ago, whichever is higher, so seasonality and weekly shifts do not count):
 * - latency and error rate climbing toward the thresholds (error-budget burn against its normal);
 * - load above yesterday's, projected onto yesterday's next two hours: a peak that would saturate it;
 * - memory growing steadily, projected two hours ahead (a leak reaching its limit);
 * - a TLS certificate about to expire (`cert_expiry_timestamp`, as the blackbox exporter reports it);
 * - a change in the last hour (weak alone: most bad changes show within minutes, and then the symptoms count);
 * - the risk of what it depends on (callers inherit a share of their riskiest dependency's).
 * Faults that strike without warning (a bad deployment, an expired certificate) cannot be foreseen from these.
 */
export async function predictIncidents(signals: SignalsRepository, { topology, at, entities, weights = DEFAULT_PREDICTION_WEIGHTS }: { topology: Topology; at: Date; entities?: string[]; weights?: PredictionWeights }): Promise<RiskForecast[]> {
  const now = at.getTime()
  const index = indexTopology(topology)
  const own = new Map<string, { parts: number[]; reasons: string[] }>(topology.nodes.map((node) => [node, { parts: [], reasons: [] }]))
  const series = seriesByEntity(await signals.metricRuns({ metrics: ['latency_p95_ms', 'error_rate', 'cpu_utilisation', 'memory_mb', CERTIFICATE_EXPIRY_METRIC], from: new Date(now - DAY - 3 * HOUR), to: at }))
  for (const [entity, byMetric] of series) {
    const entry = own.get(entity)
    if (!entry) continue
    const recent = (metric: string) => mean(within(byMetric.get(metric), now - RECENT, now))
    const normal = (metric: string) => {
      const levels = [mean(within(byMetric.get(metric), now - DAY - RECENT, now - DAY)), mean(within(byMetric.get(metric), now - 3 * HOUR - RECENT, now - 3 * HOUR))].filter((level): level is number => level !== undefined)
      return levels.length === 0 ? undefined : Math.max(...levels)
    }
    const latency = recent('latency_p95_ms')
    const latencyNormal = normal('latency_p95_ms')
    if (latency !== undefined && latencyNormal) {
      const ratio = latency / latencyNormal
      const part = clamp((ratio - 1.15) / (LATENCY_BREACH - 1.15))
      if (part > 0) {
        entry.parts.push(0.85 * part)
        entry.reasons.push(`p95 latency ${percent(ratio)} above its normal over the last 30 min (incidents open at +50%)`)
      }
    }
    const errors = recent('error_rate')
    const errorsNormal = normal('error_rate')
    if (errors !== undefined && errorsNormal !== undefined) {
      const burn = (errors - errorsNormal) / ERROR_BREACH
      const part = clamp((burn - 0.25) / 0.75)
      if (part > 0) {
        entry.parts.push(0.85 * part)
        entry.reasons.push(`error budget burning: errors ${((errors - errorsNormal) * 100).toFixed(1)} points above its normal (incidents open at +4)`)
      }
    }
    const load = recent('cpu_utilisation')
    const loadYesterday = mean(within(byMetric.get('cpu_utilisation'), now - DAY - RECENT, now - DAY))
    const peakAhead = within(byMetric.get('cpu_utilisation'), now - DAY, now - DAY + HORIZON_HOURS * HOUR)
    if (load !== undefined && loadYesterday && peakAhead.length > 0) {
      const ratio = load / loadYesterday
      const projected = Math.max(load, Math.max(...peakAhead) * ratio)
      const part = ratio > 1.1 ? clamp((projected - SATURATION) / (1 - SATURATION)) : 0
      if (part > 0) {
        entry.parts.push(0.8 * part)
        entry.reasons.push(`load ${percent(ratio)} above yesterday's: at the next two hours' peak that is ${Math.round(Math.min(projected, 1.5) * 100)}% utilisation`)
      }
    }
    const memory = byMetric.get('memory_mb')
    // Memory has no daily rhythm to speak of: yesterday's level, or three hours ago without a yesterday.
    const memoryNormal = mean(within(memory, now - DAY - 2 * HOUR, now - DAY)) ?? mean(within(memory, now - 3 * HOUR - RECENT, now - 3 * HOUR))
    if (memory && memoryNormal) {
      const times: number[] = []
      const values: number[] = []
      memory.times.forEach((time, position) => {
        if (time > now - 90 * MINUTE && time <= now) (times.push(time), values.push(memory.values[position]!))
      })
      const { slope, fit } = trend(times, values)
      const growth = (2 * slope) / memoryNormal
      const above = (values.at(-1) ?? memoryNormal) / memoryNormal
      // A steady climb (the line explains most of the variance) that would add 40% in two hours: a leak.
      const part = fit > 0.6 ? clamp((growth + above - 1 - 0.2) / 0.4) : 0
      if (part > 0) {
        entry.parts.push(0.9 * part)
        entry.reasons.push(`memory growing ${Math.round((slope / memoryNormal) * 100)}% of its normal an hour, now ${percent(above)} above normal`)
      }
    }
  }
  for (const [entity, byMetric] of series) {
    const entry = own.get(entity)
    const expiry = byMetric.get(CERTIFICATE_EXPIRY_METRIC)?.values.at(-1)
    if (!entry || expiry === undefined) continue
    // Seconds since the epoch, as probe_ssl_earliest_cert_expiry reports it; one already expired is trouble now, not coming.
    const hoursLeft = (expiry * 1000 - now) / HOUR
    if (hoursLeft <= 0 || hoursLeft > CERTIFICATE_WARNING_HOURS) continue
    entry.parts.push(hoursLeft <= HORIZON_HOURS + 1 ? 0.9 : 0.2)
    entry.reasons.push(`TLS certificate expires in ${hoursLeft < 1 ? `${Math.round(hoursLeft * 60)} min` : `${hoursLeft.toFixed(1)} h`} (${new Date(expiry * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC)`)
  }
  for (const change of await signals.listEvents({ types: ['deployment', 'config-change'], from: new Date(now - HOUR), to: at, limit: 5000 })) {
    const entry = own.get(change.entity)
    if (!entry) continue
    const minutes = Math.round((now - change.at.getTime()) / MINUTE)
    entry.parts.push(weights.change)
    entry.reasons.push(`${change.type} ${minutes} min ago: "${change.summary}"`)
  }
  // Symptoms near an incident that is open (or just resolved) belong to it: they are not a new incident coming.
  const known = new Map<string, string>()
  for (const incident of await signals.listIncidents({ from: new Date(now - HOUR), to: at, limit: 500 })) {
    if (incident.startedAt.getTime() > now) continue
    let frontier = new Set([incident.entity, ...((incident.attributes?.affected as string[] | undefined) ?? [])])
    for (let hop = 0; hop <= 2; hop++) {
      const next = new Set<string>()
      for (const node of frontier) {
        if (!known.has(node)) known.set(node, incident.id)
        for (const neighbour of [...(index.callers.get(node) ?? []), ...(index.callees.get(node) ?? [])]) if (!known.has(neighbour)) next.add(neighbour)
      }
      frontier = next
    }
  }
  for (const [node, incidentId] of known) {
    const entry = own.get(node)
    if (!entry || entry.parts.length === 0) continue
    entry.parts = entry.parts.map((part) => part * 0.2)
    entry.reasons.push(`its symptoms are near incident ${incidentId}, which is open or just resolved`)
  }
  const risk = new Map(topology.nodes.map((node) => [node, combine(own.get(node)!.parts)]))
  // Risk flows from callees to callers; a few rounds settle it in any graph, cycles included.
  const inherited = new Map<string, { from: string; risk: number }>()
  for (let round = 0; round < 4; round++) {
    for (const node of topology.nodes) {
      let best: { from: string; risk: number } | undefined
      for (const callee of index.callees.get(node) ?? []) if (!best || risk.get(callee)! > best.risk) best = { from: callee, risk: risk.get(callee)! }
      if (best && best.risk * weights.inherited > 0.05) inherited.set(node, best)
      risk.set(node, combine([...own.get(node)!.parts, (best?.risk ?? 0) * weights.inherited]))
    }
  }
  const wanted = entities ? new Set(entities) : undefined
  return topology.nodes
    .filter((node) => !wanted || wanted.has(node))
    .map((node) => {
      const reasons = [...own.get(node)!.reasons]
      const from = inherited.get(node)
      if (from) reasons.push(`depends on ${from.from} (risk ${from.risk.toFixed(2)})`)
      return { entity: node, risk: Math.round(risk.get(node)! * 1000) / 1000, reasons }
    })
    .sort((left, right) => right.risk - left.risk || left.entity.localeCompare(right.entity))
}
