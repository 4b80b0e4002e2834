import { describe, expect, it } from 'vitest'
import { rankCauses } from './rank-causes.ts'
import { caseFromScenario, parseScenario, type Scenario } from './scenario.ts'

const minute = 60_000
const start = Date.parse('2026-03-03T08:00:00Z')
const iso = (step: number) => new Date(start + step * minute).toISOString()

/** A flat series with a little deterministic wiggle, stepping to `level × factor` from `from` on. */
function series(level: number, changes: Array<{ from: number; factor: number }> = [], length = 240): Array<[string, number]> {
  return Array.from({ length }, (_, step) => {
    const factor = changes.filter((change) => step >= change.from).reduce((product, change) => product * change.factor, 1)
    return [iso(step), level * factor * (1 + 0.02 * Math.sin(step * 1.7))]
  })
}

// web → checkout → payments → payments-db; web → search; reports → payments-db
const topology = {
  nodes: ['web', 'checkout', 'payments', 'payments-db', 'search', 'reports'],
  edges: [['web', 'checkout'], ['checkout', 'payments'], ['payments', 'payments-db'], ['web', 'search'], ['reports', 'payments-db']] as Array<[string, string]>,
}
const healthy = (node: string) => ({ latency_p95_ms: series(20 + node.length), error_rate: series(0.002), requests_per_s: series(50) })

function scenario(overrides: Partial<Record<string, Record<string, Array<[string, number]>>>>, extra: Partial<Scenario> = {}): Scenario {
  const metrics = Object.fromEntries(topology.nodes.map((node) => [node, { ...healthy(node), ...(overrides[node] ?? {}) }]))
  return parseScenario({ id: 'test', topology, metrics, incidentStart: iso(200), target: 'web', ...extra })
}

describe('rankCauses', () => {
  it('names the deepest node whose symptoms began first, with the onset order as evidence', () => {
    const { candidates } = rankCauses(caseFromScenario(scenario({
      'payments-db': { latency_p95_ms: series(5, [{ from: 190, factor: 8 }]), error_rate: series(0.002), requests_per_s: series(50) },
      payments: { latency_p95_ms: series(28, [{ from: 192, factor: 3 }]), error_rate: series(0.002), requests_per_s: series(50) },
      checkout: { latency_p95_ms: series(40, [{ from: 194, factor: 2.5 }]), error_rate: series(0.002), requests_per_s: series(50) },
      web: { latency_p95_ms: series(60, [{ from: 196, factor: 2 }]), error_rate: series(0.002), requests_per_s: series(50) },
    })))
    expect(candidates.map((candidate) => candidate.entity).slice(0, 4)).toEqual(['payments-db', 'payments', 'checkout', 'web'])
    expect(candidates[0]!.evidence.join('\n')).toMatch(/latency_p95_ms 8\.\d× its baseline/)
    expect(candidates[0]!.evidence).toContain('its symptoms began first (11:10), before the 3 affected nodes it explains')
    expect(candidates[0]!.evidence).toContain('explains 4 of 4 anomalous nodes (they depend on it)')
    expect(candidates.map((candidate) => candidate.entity)).not.toContain('search')
  })

  it('prefers the service changed just before its symptoms over one that merely shares them', () => {
    const both = {
      payments: { latency_p95_ms: series(28, [{ from: 192, factor: 3 }]), error_rate: series(0.002, [{ from: 192, factor: 40 }]), requests_per_s: series(50) },
      checkout: { latency_p95_ms: series(40, [{ from: 192, factor: 2.5 }]), error_rate: series(0.002, [{ from: 192, factor: 30 }]), requests_per_s: series(50) },
      web: { latency_p95_ms: series(60, [{ from: 194, factor: 2 }]), error_rate: series(0.002, [{ from: 194, factor: 20 }]), requests_per_s: series(50) },
    }
    const withoutChange = rankCauses(caseFromScenario(scenario(both)))
    const withChange = rankCauses(caseFromScenario(scenario(both, { events: [{ entity: 'checkout', type: 'deployment', at: iso(191), summary: 'Deployed checkout v2.3.0' }] })))
    expect(withoutChange.candidates[0]!.entity).toBe('payments')
    expect(withChange.candidates[0]!.entity).toBe('checkout')
    expect(withChange.candidates[0]!.evidence).toContain('deployment 1 min before its symptoms began: "Deployed checkout v2.3.0" at 11:11')
  })

  it('finds a noisy neighbour: the caller whose own load rose first, outside the target\'s dependencies', () => {
    const { candidates } = rankCauses(caseFromScenario(scenario({
      reports: { requests_per_s: series(50, [{ from: 185, factor: 5 }]), latency_p95_ms: series(30), error_rate: series(0.002) },
      'payments-db': { requests_per_s: series(120, [{ from: 186, factor: 2.5 }]), latency_p95_ms: series(5, [{ from: 188, factor: 6 }]), error_rate: series(0.002) },
      payments: { latency_p95_ms: series(28, [{ from: 190, factor: 2 }]), error_rate: series(0.002), requests_per_s: series(50) },
      checkout: { latency_p95_ms: series(40, [{ from: 192, factor: 1.8 }]), error_rate: series(0.002), requests_per_s: series(50) },
      web: { latency_p95_ms: series(60, [{ from: 194, factor: 1.6 }]), error_rate: series(0.002), requests_per_s: series(50) },
    })))
    expect(candidates[0]!.entity).toBe('reports')
    expect(candidates[0]!.evidence.join('\n')).toMatch(/load it generates itself/)
  })

  it('credits the node that new error logs of its callers name', () => {
    const { candidates } = rankCauses(caseFromScenario(scenario({
      payments: { requests_per_s: series(50, [{ from: 190, factor: 0.05 }]), latency_p95_ms: series(28), error_rate: series(0.002) },
      checkout: { error_rate: series(0.002, [{ from: 191, factor: 300 }]), latency_p95_ms: series(40), requests_per_s: series(50) },
      web: { error_rate: series(0.002, [{ from: 193, factor: 200 }]), latency_p95_ms: series(60), requests_per_s: series(50) },
    }, { events: [{ entity: 'checkout', type: 'log', at: iso(191), summary: 'x509: certificate has expired or is not yet valid while calling payments' }] })))
    expect(candidates[0]!.entity).toBe('payments')
    expect(candidates[0]!.evidence).toContain('named in new errors of checkout: "x509: certificate has expired or is not yet valid while calling payments"')
  })

  it('finds the incident start from the target when none is given, and returns nothing for a quiet system', () => {
    const quiet = rankCauses(caseFromScenario(scenario({}, { incidentStart: undefined })))
    expect(quiet.candidates).toEqual([])
    const noisy = rankCauses(caseFromScenario(scenario({ web: { latency_p95_ms: series(60, [{ from: 200, factor: 3 }]), error_rate: series(0.002), requests_per_s: series(50) } }, { incidentStart: undefined })))
    expect(noisy.incidentStart).toBe(start + 200 * minute)
    expect(noisy.candidates[0]!.entity).toBe('web')
  })
})

describe('parseScenario', () => {
  it('names what is wrong and where', () => {
    expect(() => parseScenario({ id: 'x', topology: { nodes: ['a'], edges: [['a', 'b']] }, metrics: { a: { latency: [['yesterday', 1]] } }, target: 'c' })).toThrow(
      expect.objectContaining({ issues: expect.arrayContaining([
        { path: 'metrics.a.latency.0.0', message: 'must be an ISO 8601 time, e.g. "2026-03-02T10:00:00Z"' },
        { path: 'topology.edges.0.1', message: '"b" is not in topology.nodes' },
        { path: 'target', message: '"c" is not in topology.nodes' },
      ]) }),
    )
  })
})
