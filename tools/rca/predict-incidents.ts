import type { Topology } from './topology.ts'
import { indexTopology } from './topology.ts'
import type { SignalsRepository } from './signals-repository.ts'
import { recentAnomalies } from './recent-anomalies.ts'

export interface RiskForecast {
  entity: string
  /** 0 to 1: how likely an incident on it is in the coming hours. */
  risk: number
  reasons: string[]
}

const HOUR = 3_600_000
/** The error rate objective the budget is measured against (99% of requests succeed). */
const ERROR_OBJECTIVE = 0.01

function combine(parts: number[]): number {
  return 1 - parts.reduce((product, part) => product * (1 - Math.min(0.95, Math.max(0, part))), 1)
}

function slopePerHour(times: number[], values: number[]): number {
  const count = times.length
  if (count < 3) return 0
  const meanTime = times.reduce((sum, time) => sum + time, 0) / count
  const meanValue = values.reduce((sum, value) => sum + value, 0) / count
  let covariance = 0
  let variance = 0
  for (let position = 0; position < count; position++) {
    covariance += (times[position]! - meanTime) * (values[position]! - meanValue)
    variance += (times[position]! - meanTime) ** 2
  }
  return variance === 0 ? 0 : (covariance / variance) * HOUR
}

/**
 * The risk of an incident per entity in the coming hours, with the reasons: changes in the last six hours,
 * error-budget burn in the last hour, anomalies in the last two hours, memory that keeps growing, and the risk
 * of what it depends on (half of the riskiest dependency's).
 */
export async function predictIncidents(signals: SignalsRepository, { topology, at, entities }: { topology: Topology; at: Date; entities?: string[] }): Promise<RiskForecast[]> {
  const index = indexTopology(topology)
  const own = new Map<string, { parts: number[]; reasons: string[] }>(topology.nodes.map((node) => [node, { parts: [], reasons: [] }]))
  const changes = await signals.listEvents({ types: ['deployment', 'config-change'], from: new Date(at.getTime() - 6 * HOUR), to: at, limit: 5000 })
  for (const change of changes) {
    const entry = own.get(change.entity)
    if (!entry) continue
    const age = (at.getTime() - change.at.getTime()) / HOUR
    // Most bad changes show within the first hour; the risk fades after.
    entry.parts.push(0.15 * Math.exp(-age / 2))
    entry.reasons.push(`${change.type} ${age < 1 ? `${Math.round(age * 60)} min` : `${age.toFixed(1)} h`} ago: "${change.summary}"`)
  }
  const runs = await signals.metricRuns({ metrics: ['error_rate', 'memory_mb'], from: new Date(at.getTime() - 2 * HOUR), to: at })
  for (const run of runs) {
    const entry = own.get(run.entity)
    if (!entry || run.values.length === 0) continue
    const times = run.values.map((_, position) => run.start.getTime() + position * run.stepSeconds * 1000)
    if (run.metric === 'error_rate') {
      const lastHour = run.values.filter((_, position) => times[position]! >= at.getTime() - HOUR)
      const burn = lastHour.reduce((sum, value) => sum + value, 0) / Math.max(1, lastHour.length) / ERROR_OBJECTIVE
      if (burn > 1) {
        entry.parts.push(Math.min(0.6, 0.2 * burn))
        entry.reasons.push(`error budget burning at ${burn.toFixed(1)}× the sustainable rate over the last hour`)
      }
    } else {
      const slope = slopePerHour(times, run.values)
      const first = run.values[0]!
      if (first > 0 && slope / first > 0.15) {
        // A leak at this pace reaches a memory limit within hours.
        entry.parts.push(Math.min(0.8, (2 * slope) / first))
        entry.reasons.push(`memory growing ${((slope / first) * 100).toFixed(0)}% an hour`)
      }
    }
  }
  for (const anomaly of await recentAnomalies(signals, { from: new Date(at.getTime() - 2 * HOUR), to: at, limit: 1000 })) {
    const entry = own.get(anomaly.entity)
    if (!entry || entry.reasons.some((reason) => reason.startsWith(`anomaly in ${anomaly.metric}`))) continue
    entry.parts.push(0.1)
    entry.reasons.push(`anomaly in ${anomaly.metric} at ${anomaly.at.slice(11, 16)}`)
  }
  const risk = new Map(topology.nodes.map((node) => [node, combine(own.get(node)!.parts)]))
  // Risk flows from callees to callers; a few rounds settle it in any graph, cycles included.
  const inherited = new Map<string, { from: string; risk: number }>()
  for (let round = 0; round < 4; round++) {
    for (const node of topology.nodes) {
      let best: { from: string; risk: number } | undefined
      for (const callee of index.callees.get(node) ?? []) if (!best || risk.get(callee)! > best.risk) best = { from: callee, risk: risk.get(callee)! }
      if (best && best.risk * 0.5 > 0.05) inherited.set(node, best)
      risk.set(node, combine([...own.get(node)!.parts, (best?.risk ?? 0) * 0.5]))
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
