import type { FaultTruth, Incident } from '../signal-types.ts'
import type { TopologyIndex } from '../topology.ts'
import type { NodeMetrics } from './simulate-signals.ts'

/**
 * Opens the incident each fault led to, as alerting would: where a node's latency or error rate breaches its
 * objective (against the fault-free twin) for a few steps in a row. The incident is on the most upstream node
 * that breached — the one users notice — and starts when that node breached.
 */
export function openIncidents({ topology, metrics, healthy, truth, start, stepMs, length, seed }: {
  topology: TopologyIndex
  metrics: Map<string, NodeMetrics>
  healthy: Map<string, NodeMetrics>
  truth: FaultTruth[]
  start: number
  stepMs: number
  length: number
  seed: number
}): Incident[] {
  const incidents: Incident[] = []
  const needed = Math.max(2, Math.round(180_000 / stepMs))
  for (const fault of truth) {
    const first = Math.max(0, Math.floor((fault.at.getTime() - start) / stepMs))
    const last = Math.min(length - 1, Math.ceil((fault.endsAt.getTime() + 30 * 60_000 - start) / stepMs))
    const breaches: Array<{ node: string; startStep: number; endStep: number; latencyRatio: number; errorRate: number; callers: number }> = []
    for (const node of topology.nodes) {
      const series = metrics.get(node)!
      const normal = healthy.get(node)!
      let run = 0
      let startStep = -1
      let endStep = -1
      let latencyRatio = 1
      let errorRate = 0
      for (let step = first; step <= last; step++) {
        const ratio = series.latency_p95_ms[step]! / normal.latency_p95_ms[step]!
        const slow = ratio > 1.5 && series.latency_p95_ms[step]! > normal.latency_p95_ms[step]! + 15
        const failing = series.error_rate[step]! > normal.error_rate[step]! + 0.04
        run = slow || failing ? run + 1 : 0
        if (run >= needed) {
          if (startStep === -1) startStep = step - needed + 1
          endStep = step
          latencyRatio = Math.max(latencyRatio, ratio)
          errorRate = Math.max(errorRate, series.error_rate[step]!)
        }
      }
      if (startStep !== -1) breaches.push({ node, startStep, endStep, latencyRatio, errorRate, callers: topology.callers.get(node)!.length })
    }
    if (breaches.length === 0) continue
    const upstream = breaches.filter((breach) => !breaches.some((other) => topology.callers.get(breach.node)!.includes(other.node)))
    const chosen = upstream.sort((left, right) => left.callers - right.callers || left.startStep - right.startStep || left.node.localeCompare(right.node))[0]!
    const id = `inc-${seed}-${incidents.length + 1}`
    const slow = chosen.latencyRatio >= 1.5
    const name = chosen.node.slice(chosen.node.lastIndexOf('/') + 1)
    const title = slow ? `${name}: p95 latency ${chosen.latencyRatio.toFixed(1)}× normal` : `${name}: error rate ${(chosen.errorRate * 100).toFixed(0)}%`
    const severity = chosen.errorRate > 0.2 || chosen.latencyRatio > 5 ? 'critical' : chosen.errorRate > 0.08 || chosen.latencyRatio > 2.5 ? 'major' : 'minor'
    incidents.push({
      id,
      entity: chosen.node,
      title,
      severity,
      // Still breaching at the end of the history: the incident is open.
      ...(chosen.endStep >= length - 2 ? { status: 'open' as const } : { status: 'resolved' as const, resolvedAt: new Date(start + (chosen.endStep + 1) * stepMs) }),
      startedAt: new Date(start + chosen.startStep * stepMs),
      source: 'simulator',
      attributes: { symptom: slow ? 'latency' : 'errors', affected: breaches.map((breach) => breach.node) },
    })
    fault.incidentId = id
  }
  return incidents
}
