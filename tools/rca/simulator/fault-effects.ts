import type { SeededRandom } from '../../../graph/demo/seeded-random.ts'
import type { FaultType, SignalEvent } from '../signal-types.ts'
import { nameOf, type TopologyIndex } from '../topology.ts'
import type { NodeMetrics } from './simulate-signals.ts'

export interface FaultSpec {
  type: FaultType
  /** The node at fault (for a noisy neighbour: the neighbour whose load crowds out the others). */
  entity: string
  at: Date
  durationMinutes: number
  /** Scales the fault's strength; 1 is a clear incident. */
  severity?: number
}

/** What active faults do to one node at one moment. */
export interface FaultEffect {
  loadFactor: number
  extraUtilisation: number
  latencyFactor: number
  extraErrors: number
  /** Memory growth per step, as a share of the node's normal memory. */
  leakPerStep: number
  /** An expired certificate: every TLS handshake to the node fails. */
  refusesConnections: boolean
}

const NO_EFFECT: FaultEffect = { loadFactor: 1, extraUtilisation: 0, latencyFactor: 1, extraErrors: 0, leakPerStep: 0, refusesConnections: false }

export function faultEffect(faults: readonly FaultSpec[], { time, stepMs }: { time: number; stepMs: number; resource: boolean }): FaultEffect {
  if (faults.length === 0) return NO_EFFECT
  const effect = { ...NO_EFFECT }
  for (const fault of faults) {
    const elapsed = time - fault.at.getTime()
    if (elapsed < 0 || elapsed >= fault.durationMinutes * 60_000) continue
    const severity = fault.severity ?? 1
    // Most faults build up over minutes rather than switching on.
    const ramp = Math.min(1, (elapsed + stepMs) / 600_000)
    switch (fault.type) {
      case 'bad-deployment':
        effect.latencyFactor *= 1 + 1.2 * severity
        effect.extraErrors += 0.08 * severity
        break
      case 'database-saturation':
        effect.extraUtilisation += 0.6 * severity * ramp
        break
      case 'slow-dependency':
        effect.latencyFactor *= 1 + 4 * severity * ramp
        break
      case 'memory-leak':
        // Reaches the memory limit in about 90 minutes at severity 1.
        effect.leakPerStep += ((0.8 / 90) * severity * stepMs) / 60_000
        break
      case 'config-change':
        effect.extraErrors += 0.15 * severity
        effect.latencyFactor *= 1.3
        break
      case 'noisy-neighbour':
        effect.loadFactor *= 1 + 5 * severity * ramp
        break
      case 'expired-certificate':
        effect.refusesConnections = true
        break
    }
  }
  return effect
}

const NEW_PATTERNS: Record<FaultType, { self?: string[]; callers?: string[] }> = {
  'bad-deployment': { self: ["TypeError: Cannot read properties of undefined (reading 'items') in OrderHandler", 'NullPointerException at RequestMapper.map'] },
  'database-saturation': { self: ['slow query: sequential scan on orders took 4.2 s', 'too many connections (max_connections reached)'], callers: ['timeout acquiring a connection to {entity} from the pool'] },
  'slow-dependency': { callers: ['upstream {entity} timed out after 2000 ms'] },
  'memory-leak': { self: ['GC overhead limit exceeded', 'container OOMKilled: memory limit exceeded'] },
  'config-change': { self: ['invalid configuration: connection_pool.max_size=2 is below the minimum of 8', 'feature flag payload failed schema validation'] },
  'noisy-neighbour': { callers: ['timeout calling {entity}: queue full'] },
  'expired-certificate': { callers: ['x509: certificate has expired or is not yet valid while calling {entity}'] },
}

/** The changes that start a fault and the new error-log patterns its symptoms produce, where they show. */
export function faultEvents({ fault, id, topology, random, stepMinutes, metrics, healthy, start }: {
  fault: FaultSpec
  id: string
  topology: TopologyIndex
  random: SeededRandom
  stepMinutes: number
  metrics: Map<string, NodeMetrics>
  healthy: Map<string, NodeMetrics>
  start: number
}): SignalEvent[] {
  const events: SignalEvent[] = []
  const at = fault.at
  if (fault.type === 'bad-deployment') events.push({ id: `${id}-deploy`, entity: fault.entity, type: 'deployment', at, summary: `Deployed ${nameOf(fault.entity)} v2.${random.int(0, 40)}.0`, source: 'simulator', attributes: { fault: id } })
  if (fault.type === 'config-change') events.push({ id: `${id}-config`, entity: fault.entity, type: 'config-change', at, summary: `Config change on ${nameOf(fault.entity)}: set connection_pool.max_size=2`, source: 'simulator', attributes: { fault: id } })
  const stepMs = stepMinutes * 60_000
  const first = Math.max(0, Math.floor((at.getTime() - start) / stepMs))
  const last = Math.floor((at.getTime() + (fault.durationMinutes + 15) * 60_000 - start) / stepMs)
  const every = Math.max(1, Math.round(5 / stepMinutes))
  const patterns = NEW_PATTERNS[fault.type]
  const emit = (entity: string, pattern: string) => {
    const series = metrics.get(entity)
    const normal = healthy.get(entity)
    if (!series || !normal) return
    const length = series.error_rate.length
    for (let step = first; step <= Math.min(last, length - 1); step += every) {
      // A log line shows only where the symptom is: more errors, slower answers or memory pressure than normal.
      const hurt = series.error_rate[step]! > normal.error_rate[step]! + 0.01 || series.latency_p95_ms[step]! > normal.latency_p95_ms[step]! * 1.3 || series.memory_mb[step]! > normal.memory_mb[step]! * 1.35
      if (!hurt) continue
      const time = new Date(start + step * stepMs)
      events.push({ id: `${id}-log-${entity}-${step}-${pattern.length}`, entity, type: 'log', at: time, summary: pattern.replaceAll('{entity}', nameOf(fault.entity)), source: 'simulator', attributes: { level: 'error', count: random.int(3, 60), fault: id } })
    }
  }
  for (const pattern of patterns.self ?? []) emit(fault.entity, pattern)
  // A noisy neighbour crowds out a shared callee: the neighbour's fellow callers see it time out.
  const reached = fault.type === 'noisy-neighbour' ? (topology.callees.get(fault.entity) ?? []) : [fault.entity]
  for (const target of reached) {
    for (const caller of topology.callers.get(target) ?? []) {
      if (caller === fault.entity) continue
      for (const pattern of patterns.callers ?? []) emit(caller, pattern.replaceAll('{entity}', nameOf(target)))
    }
  }
  return events
}
