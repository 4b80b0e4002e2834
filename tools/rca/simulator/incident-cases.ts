import { createSeededRandom } from '../../../graph/demo/seeded-random.ts'
import { caseFromHistory, scenarioFromHistory, type RcaCase, type Scenario } from '../scenario.ts'
import { FAULT_TYPES, type FaultType } from '../signal-types.ts'
import { indexTopology } from '../topology.ts'
import { randomTopology } from './random-topology.ts'
import { simulateSignals, type SimulatedHistory } from './simulate-signals.ts'

export interface IncidentCase {
  id: string
  faultType: FaultType
  cause: string
  history: SimulatedHistory
  /** The topology's resources (databases, caches, queues); the other nodes are services. */
  resources: ReadonlySet<string>
  target: string
  incidentStart: Date
  from: Date
  to: Date
}

const HOUR = 3_600_000
const EPOCH = Date.UTC(2026, 2, 2)

/**
 * Simulated incidents with known causes, one fault type after another, each on its own random topology and at
 * a random time within two weeks (so seasonality differs). Analysis sees four hours before the incident opened
 * and fifteen minutes after — what an on-call engineer has when they start asking.
 */
export function* incidentCases({ count, seed, services = [12, 40], stepMinutes = 1 }: { count: number; seed: number; services?: [number, number]; stepMinutes?: number }): Generator<IncidentCase> {
  const random = createSeededRandom({ seed })
  let produced = 0
  for (let attempt = 0; produced < count && attempt < count * 4; attempt++) {
    const faultType = FAULT_TYPES[produced % FAULT_TYPES.length]!
    const caseSeed = seed * 1000 + attempt
    const size = random.int(services[0], services[1])
    const { topology, resources } = randomTopology({ seed: caseSeed, services: size, resources: Math.max(2, Math.round(size / 5)) })
    const index = indexTopology(topology)
    const servicesOnly = topology.nodes.filter((node) => !resources.has(node))
    const eligible = faultType === 'database-saturation' ? [...resources]
      : faultType === 'noisy-neighbour' ? servicesOnly.filter((node) => index.callees.get(node)!.some((callee) => index.callers.get(callee)!.length >= 2))
      : faultType === 'expired-certificate' ? topology.nodes.filter((node) => index.callers.get(node)!.length > 0)
      : servicesOnly.filter((node) => index.callers.get(node)!.length > 0 || random.chance(0.3))
    if (eligible.length === 0) continue
    const cause = random.pick(eligible)
    const start = new Date(EPOCH + random.int(0, 13) * 24 * HOUR + random.int(0, 23) * HOUR)
    const faultAt = new Date(start.getTime() + 6 * HOUR + random.int(0, 59) * 60_000)
    const history = simulateSignals({
      topology,
      resources,
      seed: caseSeed,
      start,
      durationMinutes: 9 * 60,
      stepMinutes,
      faults: [{ type: faultType, entity: cause, at: faultAt, durationMinutes: faultType === 'memory-leak' ? 180 : 90, severity: 0.8 + random.next() * 0.6 }],
      // More routine changes than usual: each is a distractor the ranking must see through.
      deploymentsPerDay: 1.2,
      configChangesPerDay: 0.3,
      // Some services are noisier than others.
      noise: 0.02 + random.next() * 0.05,
    })
    const incident = history.incidents[0]
    if (!incident) continue
    produced++
    yield {
      id: `rca-${seed}-${produced}`,
      faultType,
      cause,
      history,
      resources,
      target: incident.entity,
      incidentStart: incident.startedAt,
      from: new Date(incident.startedAt.getTime() - 4 * HOUR),
      to: new Date(incident.startedAt.getTime() + 15 * 60_000),
    }
  }
}

export function caseOf(incident: IncidentCase): RcaCase {
  return caseFromHistory(incident.history, { from: incident.from, to: incident.to, incidentStart: incident.incidentStart, target: incident.target })
}

export function scenarioOf(incident: IncidentCase): Scenario {
  return scenarioFromHistory(incident.history, { id: incident.id, from: incident.from, to: incident.to, incidentStart: incident.incidentStart, target: incident.target })
}
