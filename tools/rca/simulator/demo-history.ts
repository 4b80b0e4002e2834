import type { FaultType } from '../signal-types.ts'
import { indexTopology, type Topology } from '../topology.ts'
import type { FaultSpec } from './fault-effects.ts'
import { simulateSignals, type SimulatedHistory } from './simulate-signals.ts'

const DAY = 86_400_000

/**
 * The faults of the demo's two weeks: one of each type, on the demo organisation's services where they exist
 * (any fitting node otherwise), the last one still going on at the end so that "why is checkout-api slow?" has
 * an answer now.
 */
const DEMO_FAULTS: Array<{ type: FaultType; preferred: string; day: number; hour: number; minutes: number }> = [
  { type: 'bad-deployment', preferred: 'component:default/cart-service', day: 2, hour: 14, minutes: 90 },
  { type: 'memory-leak', preferred: 'component:default/order-service', day: 4, hour: 9, minutes: 180 },
  { type: 'config-change', preferred: 'component:default/pricing-service', day: 6, hour: 11, minutes: 75 },
  { type: 'noisy-neighbour', preferred: 'component:default/analytics-ingest', day: 8, hour: 15, minutes: 90 },
  { type: 'expired-certificate', preferred: 'component:default/auth-service', day: 10, hour: 0, minutes: 120 },
  { type: 'slow-dependency', preferred: 'component:default/shipping-service', day: 11, hour: 16, minutes: 80 },
]
const FINAL_FAULT = { type: 'database-saturation' as const, preferred: 'resource:default/payments-db' }

export interface DemoHistoryOptions {
  topology: Topology
  resources: ReadonlySet<string>
  /** The end of the history (now, at start-up), rounded down to the step. */
  end: Date
  seed?: number
  days?: number
  stepMinutes?: number
}

export function simulateDemoHistory({ topology, resources, end, seed = 8, days = 14, stepMinutes = 5 }: DemoHistoryOptions): SimulatedHistory {
  const stepMs = stepMinutes * 60_000
  const endMs = Math.floor(end.getTime() / stepMs) * stepMs
  // The last sample is at the end itself.
  const start = new Date(endMs - days * DAY + stepMs)
  const dayStart = Math.floor(start.getTime() / DAY) * DAY + DAY
  const index = indexTopology(topology)
  const fits = (type: FaultType, node: string) => {
    if (type === 'database-saturation') return resources.has(node) && index.callers.get(node)!.length > 0
    if (resources.has(node)) return false
    if (type === 'noisy-neighbour') return index.callees.get(node)!.some((callee) => index.callers.get(callee)!.length >= 2)
    return index.callers.get(node)!.length > 0
  }
  const pick = (type: FaultType, preferred: string, used: Set<string>) => (topology.nodes.includes(preferred) && fits(type, preferred) ? preferred : topology.nodes.find((node) => !used.has(node) && fits(type, node)))
  const used = new Set<string>()
  const faults: FaultSpec[] = []
  for (const fault of DEMO_FAULTS) {
    const entity = pick(fault.type, fault.preferred, used)
    if (!entity || fault.day >= days) continue
    used.add(entity)
    faults.push({ type: fault.type, entity, at: new Date(dayStart + (fault.day - 1) * DAY + fault.hour * 3_600_000), durationMinutes: fault.minutes })
  }
  const final = pick(FINAL_FAULT.type, FINAL_FAULT.preferred, used)
  // Began two hours before the end and still going on.
  if (final) faults.push({ type: FINAL_FAULT.type, entity: final, at: new Date(endMs - 2 * 3_600_000), durationMinutes: 6 * 60, severity: 2 })
  return simulateSignals({ topology, resources, seed, start, durationMinutes: days * 1440, stepMinutes, faults })
}
