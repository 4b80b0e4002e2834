import type { Candidate } from './rank-causes.ts'

/**
 * What kind of trouble a ranked cause shows, read from its evidence: what next steps suggest and what
 * auto-remediation rules match on (`rca-finding` triggers).
 */
export const FINDING_KINDS = ['deployment', 'config-change', 'memory-growth', 'expired-certificate', 'own-load', 'resource-saturation', 'latency'] as const
export type FindingKind = (typeof FINDING_KINDS)[number]

export function findingKinds(cause: Candidate): FindingKind[] {
  const kinds: FindingKind[] = []
  const evidence = cause.evidence.join('\n')
  // A change only counts as the cause's own: "deployment 3 min before …" lines.
  if (/^deployment /m.test(evidence)) kinds.push('deployment')
  if (/^config-change /m.test(evidence)) kinds.push('config-change')
  if (/^memory_mb/m.test(evidence)) kinds.push('memory-growth')
  if (/certificate/i.test(evidence)) kinds.push('expired-certificate')
  if (/load it generates itself/.test(evidence)) kinds.push('own-load')
  if (/^cpu_utilisation .*×/m.test(evidence) && cause.entity.startsWith('resource:')) kinds.push('resource-saturation')
  if (/^latency_p95_ms/m.test(evidence)) kinds.push('latency')
  return kinds
}
