import { rankCauses } from '../../tools/rca/rank-causes.ts'
import { FAULT_TYPES } from '../../tools/rca/signal-types.ts'
import { caseOf, incidentCases } from '../../tools/rca/simulator/incident-cases.ts'
import { ratio } from '../scoring.ts'
import { defineSuite, type Failure } from '../suite.ts'

/** 210 incidents: 30 of each fault type, each on its own random layered topology (12–40 services). */
export const RCA_CASES = { count: 210, seed: 2026 }

/**
 * Root-cause ranking on simulated incidents with known causes. The topologies are random layered graphs,
 * unlike the demo organisation's, and every fault type is equally represented. AC@k is the share of incidents
 * whose true cause is ranked within the top k.
 */
export const rcaSuite = defineSuite({
  name: 'rca',
  description: 'Root cause ranked first (AC@1) and in the top three (AC@3) on simulated incidents of seven fault types',
  thresholds: { 'AC@1': 0.8, 'AC@3': 0.95 },
  async run() {
    const failures: Failure[] = []
    let total = 0
    let first = 0
    let topThree = 0
    const byType = new Map<string, { total: number; first: number }>()
    for (const incident of incidentCases(RCA_CASES)) {
      const { candidates } = rankCauses(caseOf(incident))
      const rank = candidates.findIndex((candidate) => candidate.entity === incident.cause)
      total++
      const type = byType.get(incident.faultType) ?? { total: 0, first: 0 }
      type.total++
      if (rank === 0) {
        first++
        type.first++
      }
      if (rank >= 0 && rank < 3) topThree++
      byType.set(incident.faultType, type)
      if (rank !== 0) failures.push({ question: `${incident.id}: ${incident.faultType} on ${incident.cause}, noticed on ${incident.target}`, reason: rank === -1 ? 'cause not ranked' : `cause ranked ${rank + 1}`, expected: incident.cause, actual: candidates.slice(0, 3).map((candidate) => ({ entity: candidate.entity, score: candidate.score, evidence: candidate.evidence.slice(0, 3) })) })
    }
    return {
      metrics: {
        'AC@1': ratio(first, total),
        'AC@3': ratio(topThree, total),
        ...Object.fromEntries(FAULT_TYPES.map((type) => [`AC@1 ${type}`, ratio(byType.get(type)?.first ?? 0, byType.get(type)?.total ?? 0)])),
      },
      failures,
    }
  },
})
