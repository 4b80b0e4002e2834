import type { FindingKind } from '../rca/finding-kinds.ts'

/**
 * Which built-in playbook addresses an RCA finding, for "fix it" after a root-cause analysis: a change just
 * before the symptoms is rolled back; memory that grew is relieved by new pods. Other findings (an expired
 * certificate, a noisy neighbour, a saturated database, a slow dependency) need a person or an operator's
 * playbook, so none is chosen for them.
 */
export function playbookForFinding(kinds: readonly FindingKind[]): { playbook: 'rollback' | 'restart'; why: string } | undefined {
  if (kinds.includes('deployment') || kinds.includes('config-change')) return { playbook: 'rollback', why: 'a change came just before its symptoms' }
  if (kinds.includes('memory-growth')) return { playbook: 'restart', why: 'its memory grew before the symptoms' }
  return undefined
}
