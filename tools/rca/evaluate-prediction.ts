import { createSeededRandom } from '../../graph/demo/seeded-random.ts'
import { loadSimulatedHistory } from './load-simulated-history.ts'
import { predictIncidents } from './predict-incidents.ts'
import { FAULT_TYPES } from './signal-types.ts'
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

/**
 * Scores incident prediction on simulated days it was never tuned on: each day (after a day of warm-up) has
 * a few faults of random types on a random topology; every `every` hours the forecast runs, and a service
 * with risk ≥ `threshold` counts as "predicted to have an incident in the next `horizon` hours". Truth: an
 * incident opens that concerns it (on it, or among the affected) within the horizon. Services already inside
 * an incident at that moment are not predictions and are left out.
 */
export async function evaluatePrediction({ days, seed, threshold = 0.5, horizonHours = 2, everyHours = 1 }: { days: number; seed: number; threshold?: number; horizonHours?: number; everyHours?: number }): Promise<PredictionCounts> {
  const counts: PredictionCounts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 }
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
      const forecasts = await predictIncidents(signals, { topology, at })
      const ongoing = new Set(history.incidents.filter((incident) => incident.startedAt <= at && (incident.resolvedAt ?? new Date(8.64e15)) > at).flatMap((incident) => (incident.attributes?.affected as string[]) ?? [incident.entity]))
      const coming = new Set(history.incidents.filter((incident) => incident.startedAt > at && incident.startedAt.getTime() <= at.getTime() + horizonHours * HOUR).flatMap((incident) => (incident.attributes?.affected as string[]) ?? [incident.entity]))
      for (const forecast of forecasts) {
        if (ongoing.has(forecast.entity)) continue
        const predicted = forecast.risk >= threshold
        const happened = coming.has(forecast.entity)
        if (predicted && happened) counts.truePositives++
        else if (predicted) counts.falsePositives++
        else if (happened) counts.falseNegatives++
        else counts.trueNegatives++
      }
    }
  }
  return counts
}
