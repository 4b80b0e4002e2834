import type { Approvals } from '../../core/approvals/approvals.ts'
import type { RemediationConfig } from './remediation-config.ts'

export interface GuardResult {
  allowed: boolean
  reason: string
}

const HOUR = 60 * 60 * 1000

/**
 * Whether a playbook may act on an entity now: not inside a change freeze, not more than the allowed runs in
 * the last hour, and not after repeated failed verifications (the circuit breaker opens for an hour after
 * the last failure). Runs are the approvals service's requests, so every replica sees the same history.
 */
export async function checkGuards({ approvals, config, entity, playbook, now, beforeApproval = false }: {
  approvals: Approvals
  config: RemediationConfig
  entity: string
  playbook: string
  now: Date
  /** Asked before the run's request is approved (auto-remediation deciding whether to run without a person): it does not count itself yet. */
  beforeApproval?: boolean
}): Promise<GuardResult> {
  const freeze = config.freezes.find((window) => new Date(window.from) <= now && now < new Date(window.to) && (!window.entities || window.entities.includes(entity)))
  if (freeze) return { allowed: false, reason: `change freeze until ${freeze.to}: ${freeze.reason}` }
  const recent = await approvals.list({ tools: ['remediation_request', 'remediation_undo'], target: entity, since: new Date(now.getTime() - HOUR).toISOString(), limit: 200 })
  const ran = recent.filter((request) => ['running', 'succeeded', 'failed'].includes(request.status))
  // The run being checked is itself `running`, so it counts; before its approval it is counted here.
  const runs = ran.length + (beforeApproval ? 1 : 0)
  if (runs > config.limits.runsPerHour) return { allowed: false, reason: `${entity} had ${runs - 1} remediation runs in the last hour; the limit is ${config.limits.runsPerHour}` }
  const finished = ran.filter((request) => request.status !== 'running' && (request.input as { playbook?: string }).playbook === playbook)
  const latest = finished.slice(0, config.limits.failuresBeforeBreak)
  const failed = (request: (typeof finished)[number]) => request.status === 'failed' || (request.result as { verification?: { passed?: boolean | null } } | undefined)?.verification?.passed === false
  if (latest.length === config.limits.failuresBeforeBreak && latest.every(failed)) {
    return { allowed: false, reason: `circuit breaker open: the last ${latest.length} runs of ${playbook} on ${entity} failed their verification; it closes an hour after the last failure` }
  }
  return { allowed: true, reason: 'no freeze, within limits' }
}
