import { createSeededRandom } from '../../graph/demo/seeded-random.ts'
import { loadSimulatedHistory } from './load-simulated-history.ts'
import { DEFAULT_PREDICTION_WEIGHTS, predictIncidents, type PredictionWeights } from './predict-incidents.ts'
import { FAULT_TYPES, type FaultType } from './signal-types.ts'
import { MemorySignalsRepository } from './signals-repository.ts'
import { indexTopology } from './topology.ts'
import { randomTopology } from './simulator/random-topology.ts'
import { simulateSignals } from './simulator/simulate-signals.ts'
import type { FaultSpec } from './simulator/fault-effects.ts'

const HOUR = 3_600_000

export interface PredictionCounts {
  truePositives: number
  falsePositives: number
  trueNegatives: number
  falseNegatives: number
}

export interface PredictionEvaluation extends PredictionCounts {
  /** Coming incidents whose fault had already begun at the forecast (trouble under way): found, and all. */
  underWay: { found: number; total: number }
  /** Per fault type, the coming service-incidents found and all of them. */
  byFaultType: Partial<Record<FaultType, { found: number; total: number }>>
}

/**
 * Scores incident prediction on simulated days it was never tuned on: each day (after a day of warm-up) has
 * a few faults of random types on a random topology; every `every` hours the forecast runs, and a service
 * with risk ≥ `threshold` counts as "predicted to have an incident in the next `horizon` hours". Truth: an
 * incident opens that concerns it (on it, or among the affected) within the horizon. Services already inside
 * an incident at that moment are not predictions and are left out.
 */
export async function evaluatePrediction({ days, seed, threshold = 0.5, horizonHours = 2, everyHours = 1, weights = DEFAULT_PREDICTION_WEIGHTS }: { days: number; seed: number; threshold?: number; horizonHours?: number; everyHours?: number; weights?: PredictionWeights }): Promise<PredictionEvaluation> {
  const counts: PredictionEvaluation = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0, underWay: { found: 0, total: 0 }, byFaultType: {} }
  const random = createSeededRandom({ seed })
  for (let day = 0; day < days; day++) {
    const { topology, resources } = randomTopology({ seed: seed * 100 + day, services: random.int(12, 30), resources: 4 })
    const index = indexTopology(topology)
    const start = new Date(Date.UTC(2026, 3, 1 + day))
    const services = topology.nodes.filter((node) => !resources.has(node) && index.callers.get(node)!.length > 0)
    const faults: FaultSpec[] = []
    for (let count = random.int(2, 4); count > 0; count--) {
      const type = random.pick(FAULT_TYPES)
      const entity = type === 'database-saturation' ? random.pick([...resources].filter((node) => index.callers.get(node)!.length > 0)) : random.pick(services)
      faults.push({ type, entity, at: new Date(start.getTime() + (26 + random.next() * 20) * HOUR), durationMinutes: type === 'memory-leak' ? 180 : 75 })
    }
    const history = simulateSignals({ topology, resources, seed: seed * 100 + day, start, durationMinutes: 48 * 60, stepMinutes: 5, faults, deploymentsPerDay: 1 })
    const signals = new MemorySignalsRepository()
    // Only what was known then is used: the forecast reads signals up to its own time.
    await loadSimulatedHistory(signals, history)
    for (let hour = 25; hour < 47; hour += everyHours) {
      const at = new Date(start.getTime() + hour * HOUR)
      const forecasts = await predictIncidents(signals, { topology, at, weights })
      const ongoing = new Set(history.incidents.filter((incident) => incident.startedAt <= at && (incident.resolvedAt ?? new Date(8.64e15)) > at).flatMap((incident) => (incident.attributes?.affected as string[]) ?? [incident.entity]))
      // Each service a coming incident concerns, with the fault behind it (the first, where two overlap).
      const coming = new Map<string, { type: FaultType; begun: boolean }>()
      for (const incident of history.incidents.filter((item) => item.startedAt > at && item.startedAt.getTime() <= at.getTime() + horizonHours * HOUR)) {
        const fault = history.truth.find((truth) => truth.incidentId === incident.id)!
        for (const entity of (incident.attributes?.affected as string[]) ?? [incident.entity]) if (!coming.has(entity)) coming.set(entity, { type: fault.type, begun: fault.at <= at })
      }
      for (const forecast of forecasts) {
        if (ongoing.has(forecast.entity)) continue
        const predicted = forecast.risk >= threshold
        const happened = coming.get(forecast.entity)
        if (happened) {
          const tally = (counts.byFaultType[happened.type] ??= { found: 0, total: 0 })
          tally.total++
          if (predicted) tally.found++
          if (happened.begun) {
            counts.underWay.total++
            if (predicted) counts.underWay.found++
          }
        }
        if (predicted && happened) counts.truePositives++
        else if (predicted) counts.falsePositives++
        else if (happened) counts.falseNegatives++
        else counts.trueNegatives++
      }
    }
  }
  return counts
}
