import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import type { FindingKind } from '../../tools/rca/finding-kinds.ts'
import { playbookForFinding } from '../../tools/remediation/playbook-for-finding.ts'
import { linkEntities, resolveMention } from './entity-linker.ts'
import type { PlannedCall } from './plan-question.ts'
import type { ToolOutcome } from './write-answer.ts'

/** "fix it", "ok, please fix that", "can you remediate cart-service?": a request to act on what is wrong. */
const FIX_REQUEST = /^\s*(?:(?:ok(?:ay)?|yes|so|then|great|thanks)[,!.]?\s+)*(?:please\s+)?(?:can you\s+|could you\s+|go ahead and\s+)?(?:please\s+)?(?:fix|remediate|mitigate|repair)\b(?<rest>[^?.!]{0,60})[?.!]*\s*(?:please[.!]*)?\s*$/i

export function isFixRequest(question: string): boolean {
  return FIX_REQUEST.test(question)
}

/**
 * What "fix it" is about: an entity named in it, else what the previous root-cause analysis was about (its
 * entity or incident), else the entity the conversation was about. The first step is always a fresh RCA, so
 * the fix follows the signals as they are now, not as the earlier answer described them.
 */
export function fixFirstStep(question: string, { index, previousCall, previousRefs }: { index: CatalogIndex; previousCall?: PlannedCall; previousRefs: string[] }): PlannedCall | undefined {
  const rest = FIX_REQUEST.exec(question)?.groups?.rest ?? ''
  for (const mention of linkEntities(index, rest)) {
    const resolved = resolveMention(mention, { onlyKinds: ['component', 'resource'], preferKinds: ['component'] }, index)
    if (resolved && 'ref' in resolved) return { toolName: 'rca_analyze', input: { ref: resolved.ref } }
  }
  if (previousCall?.toolName === 'rca_analyze') return { toolName: 'rca_analyze', input: { ...previousCall.input } }
  const subject = previousRefs.find((ref) => ref.startsWith('component:') || ref.startsWith('resource:'))
  return subject ? { toolName: 'rca_analyze', input: { ref: subject } } : undefined
}

/**
 * The step after the RCA: the playbook that addresses its finding, requested on the likely cause (it becomes
 * an approval request); or, when none fits, undefined, and the answer says what the RCA found and suggests.
 */
export function fixNextStep(outcomes: ToolOutcome[], index: CatalogIndex): PlannedCall | undefined {
  if (outcomes.some((outcome) => outcome.toolName === 'remediation_request')) return undefined
  const rca = outcomes.findLast((outcome) => outcome.toolName === 'rca_analyze' && outcome.output)
  const cause = (rca?.output as { likelyCause?: { entity: string; kinds?: FindingKind[] } } | undefined)?.likelyCause
  if (!cause || !cause.entity.startsWith('component:') || !index.has(cause.entity)) return undefined
  const chosen = playbookForFinding(cause.kinds ?? [])
  return chosen ? { toolName: 'remediation_request', input: { playbook: chosen.playbook, entity: cause.entity } } : undefined
}

/** Said after the RCA when no playbook fits its finding, so the person knows why nothing was requested. */
export function noFitNote(outcomes: ToolOutcome[]): string | undefined {
  if (outcomes.some((outcome) => outcome.toolName === 'remediation_request')) return undefined
  const rca = outcomes.findLast((outcome) => outcome.toolName === 'rca_analyze')
  if (!rca?.output) return undefined
  const cause = (rca.output as { likelyCause?: { entity: string } }).likelyCause
  return cause ? `No remediation playbook fits this finding, so I requested nothing: the next steps above need a person (or an operator playbook).` : 'With no likely cause there is nothing I can safely fix; I requested nothing.'
}

/**
 * The answer's first line once the fix was requested: what the RCA found and why this playbook, so that the
 * approval that follows makes sense without repeating the whole analysis.
 */
export function fixLead(outcomes: ToolOutcome[]): { text: string; rest: ToolOutcome[] } | undefined {
  const request = outcomes.find((outcome) => outcome.toolName === 'remediation_request')
  const rca = outcomes.findLast((outcome) => outcome.toolName === 'rca_analyze' && outcome.output)
  const cause = (rca?.output as { likelyCause?: { entity: string; confidence: string; kinds?: FindingKind[] } } | undefined)?.likelyCause
  if (!request || !cause) return undefined
  const chosen = playbookForFinding(cause.kinds ?? [])
  if (!chosen) return undefined
  return { text: `The root-cause analysis names ${cause.entity} (${cause.confidence} confidence): ${chosen.why}, so the fix is a ${chosen.playbook}.`, rest: outcomes.filter((outcome) => outcome !== rca) }
}
