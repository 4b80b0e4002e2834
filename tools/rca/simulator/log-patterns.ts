import type { SeededRandom } from '../../../graph/demo/seeded-random.ts'
import type { SignalEvent } from '../signal-types.ts'
import type { Topology } from '../topology.ts'

/** Errors every service logs now and then; a pattern RCA has seen before is not news. */
export const ROUTINE_PATTERNS = ['client closed request before the response was sent', 'retrying request after 503 from upstream', 'rate limited by upstream (429)', 'context canceled by caller', 'connection reset by peer']

export function routineLogPatterns({ topology, random, start, durationMinutes }: { topology: Topology; random: SeededRandom; start: number; durationMinutes: number }): SignalEvent[] {
  const events: SignalEvent[] = []
  const hours = Math.max(1, Math.round(durationMinutes / 60))
  for (const node of topology.nodes) {
    // Each service has a habit: a couple of patterns it logs a few times a day.
    const habits = random.sample(ROUTINE_PATTERNS, 2)
    for (let hour = 0; hour < hours; hour++) {
      if (!random.chance(0.25)) continue
      const at = new Date(start + (hour + random.next()) * 3_600_000)
      if (at.getTime() >= start + durationMinutes * 60_000) continue
      events.push({ id: `log-${node}-${at.getTime()}`, entity: node, type: 'log', at, summary: random.pick(habits), source: 'simulator', attributes: { level: 'error', count: random.int(1, 5) } })
    }
  }
  return events
}
