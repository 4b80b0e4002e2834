import { randomUUID } from 'node:crypto'
import { ConflictError, ForbiddenError, NotFoundError, PortalError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { Identity } from '../identity.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { dependentsOf } from '../../graph/index/graph-traversals.ts'
import type { ToolRegistry } from '../../tools/tool-registry.ts'
import { Telemetry, type ApprovalMeasurement } from '../telemetry/telemetry.ts'
import { approvalRule, type ApprovalPolicy } from './approval-policy.ts'
import type { ApprovalFilter, ApprovalRepository, ApprovalRequest, AuditEntry } from './approval-repository.ts'

/** Where a request came from: the surface (web, slack, teams, mcp, cli) and its thread, if any. */
export interface RequestOrigin {
  surface: string
  threadId?: string
  /** Why it was asked, when a rule rather than a person asked (auto-remediation); shown with the summary. */
  reason?: string
}

export interface DecideOptions {
  id: string
  identity: Identity
  decision: 'approve' | 'deny'
  reason?: string
  surface: string
}

const BLAST_RADIUS_DEPTH = 3

/** The event other parts (surfaces, other replicas) follow to show a request's live state. */
export const APPROVAL_UPDATED = 'approval-updated'

/**
 * Approvals are data: a call to a tool that needs approval becomes a stored request (exactly which tool and
 * input, who asked, where, what it will do and to whom, who may approve, until when). A decision is checked
 * against policy, and once enough distinct people approved, the call runs exactly once: the step from
 * `pending` to `running` happens under the request's lock, so two clicks, two surfaces or two replicas cannot
 * both take it. Every step is appended to the audit log.
 */
export class Approvals {
  private readonly repository: ApprovalRepository
  private readonly index: CatalogIndex
  private readonly tools: ToolRegistry
  private readonly policy: ApprovalPolicy
  private readonly bus?: EventBus
  private readonly now: () => Date
  private readonly telemetry: Telemetry

  constructor(options: { repository: ApprovalRepository; index: CatalogIndex; tools: ToolRegistry; policy: ApprovalPolicy; bus?: EventBus; now?: () => Date; telemetry?: Telemetry }) {
    this.repository = options.repository
    this.index = options.index
    this.tools = options.tools
    this.policy = options.policy
    this.bus = options.bus
    this.now = options.now ?? (() => new Date())
    this.telemetry = options.telemetry ?? new Telemetry()
  }

  /** Stores a request for `toolName(input)`; the tool does not run. */
  async request(toolName: string, input: unknown, identity: Identity, origin: RequestOrigin): Promise<ApprovalRequest> {
    return this.telemetry.span('approval.request', { attributes: { 'portal.approval.tool': toolName, 'portal.surface': origin.surface, 'portal.caller': identity.subject } }, async (span) => {
      const request = await this.createRequest(toolName, input, identity, origin)
      span.setAttributes({ 'portal.approval.id': request.id, 'portal.approval.required': request.requiredApprovals, 'portal.approval.approvers': request.approvers.length, 'portal.approval.blast_radius': request.blastRadius.length, ...(request.target ? { 'portal.approval.target': request.target } : {}) })
      this.measure({ tool: toolName, action: 'requested' })
      return request
    })
  }

  private async createRequest(toolName: string, input: unknown, identity: Identity, origin: RequestOrigin): Promise<ApprovalRequest> {
    const tool = this.tools.get(toolName)
    if (!tool.approval) throw new PortalError('INVALID_INPUT', `${toolName} does not need approval; call it directly`)
    this.tools.checkScope(tool, { identity })
    const parsed = this.tools.parseInput(toolName, input)
    const described = (await tool.describeCall?.(parsed as never)) ?? { summary: `Run ${tool.title} (${toolName}) with ${JSON.stringify(parsed)}` }
    const target = described.target
    const rule = approvalRule(this.policy, this.index, { tool: toolName, target, requesterUser: identity.userRef })
    if (rule.approvers.length < rule.requiredApprovals) {
      throw new ForbiddenError(`No approval request was created: ${rule.approvers.length === 0 ? 'nobody' : `only ${rule.approvers.length} person(s)`} may approve ${toolName}${target ? ` on ${target}` : ''}, and ${rule.requiredApprovals} distinct approval(s) are needed. Give ${target ?? 'the entity'} an owning group with members, or add approvers to the approval policy (PORTAL_APPROVAL_POLICY).`)
    }
    const created = this.now()
    const request: ApprovalRequest = {
      id: `apr_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      tool: toolName,
      input: parsed,
      requester: identity.subject,
      ...(identity.userRef ? { requesterUser: identity.userRef } : {}),
      surface: origin.surface,
      ...(origin.threadId ? { threadId: origin.threadId } : {}),
      summary: origin.reason ? `${described.summary} Proposed because ${origin.reason}` : described.summary,
      ...(target ? { target } : {}),
      blastRadius: target && this.index.has(target) ? dependentsOf(this.index, target, BLAST_RADIUS_DEPTH).map(({ ref, depth, owners }) => ({ ref, depth, owners })) : [],
      approvers: rule.approvers,
      requiredApprovals: rule.requiredApprovals,
      policyReason: rule.reason,
      status: 'pending',
      expiresAt: new Date(created.getTime() + this.policy.expiresInMinutes * 60_000).toISOString(),
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
      decisions: [],
    }
    await this.repository.insert(request, { requestId: request.id, actor: identity.userRef ?? identity.subject, action: 'requested', detail: { tool: toolName, input: parsed, surface: origin.surface, threadId: origin.threadId, summary: request.summary, target, approvers: rule.approvers, requiredApprovals: rule.requiredApprovals } })
    await this.publish(request)
    return request
  }

  /** A request with its live state (a pending request past its expiry shows as expired). */
  async get(id: string): Promise<ApprovalRequest> {
    const request = await this.repository.get(id)
    if (!request) throw new NotFoundError(`No approval request ${id}`)
    return this.withExpiry(request)
  }

  async list(filter: Omit<ApprovalFilter, 'limit'> & { limit?: number } = {}): Promise<ApprovalRequest[]> {
    return (await this.repository.list({ ...filter, limit: filter.limit ?? 50 })).map((request) => this.withExpiry(request))
  }

  /**
   * Records a decision by someone policy allows; when it completes the approvals, runs the call (once) and
   * returns the request as it ended. Refused decisions are audited and answered with what was wrong.
   */
  async decide(options: DecideOptions): Promise<ApprovalRequest> {
    const { id, decision, surface, identity } = options
    return this.telemetry.span('approval.decide', { attributes: { 'portal.approval.id': id, 'portal.approval.decision': decision, 'portal.surface': surface, 'portal.caller': identity.subject } }, async (span) => {
      const decided = await this.recordDecision(options)
      span.setAttributes({ 'portal.approval.tool': decided.tool, 'portal.approval.status': decided.status, 'portal.approval.approvals': decided.decisions.filter((entry) => entry.decision === 'approve').length })
      return decided
    })
  }

  private async recordDecision({ id, identity, decision, reason, surface }: DecideOptions): Promise<ApprovalRequest> {
    const actor = identity.userRef ?? identity.subject
    let outcome: { run: boolean; request: ApprovalRequest }
    let tool = 'unknown'
    try {
      outcome = await this.repository.withLock(id, async (current, locked) => {
        if (!current) throw new NotFoundError(`No approval request ${id}`)
        tool = current.tool
        if (current.status === 'pending' && new Date(current.expiresAt) <= this.now()) {
          await locked.setStatus('expired')
          await locked.audit({ requestId: id, actor: 'approvals', action: 'expired', detail: { expiresAt: current.expiresAt } })
          return { run: false, request: { ...current, status: 'expired' as const } }
        }
        if (current.status !== 'pending') throw new ConflictError(`Approval request ${id} is already ${current.status}; nothing was changed`)
        if (!identity.userRef) throw new ForbiddenError(`Only a person in the catalog can decide on approval requests; ${identity.subject} is not one`)
        if (identity.userRef === current.requesterUser) throw new ForbiddenError(`${actor} asked for this and cannot approve or deny it; ask one of ${current.approvers.join(', ')}`)
        if (!current.approvers.includes(identity.userRef)) throw new ForbiddenError(`${actor} may not decide on this request. ${current.policyReason}: ${current.approvers.join(', ')}`)
        if (current.decisions.some((existing) => existing.approver === identity.userRef)) throw new ConflictError(`${actor} already decided on ${id}; a second approval must come from someone else`)
        await locked.addDecision({ approver: identity.userRef, decision, ...(reason ? { reason } : {}), surface })
        await locked.audit({ requestId: id, actor, action: decision === 'approve' ? 'approved' : 'denied', detail: { reason, surface } })
        const decisions = [...current.decisions, { approver: identity.userRef, decision, ...(reason ? { reason } : {}), surface, decidedAt: this.now().toISOString() }]
        if (decision === 'deny') {
          await locked.setStatus('denied')
          return { run: false, request: { ...current, decisions, status: 'denied' as const } }
        }
        const approvals = decisions.filter((entry) => entry.decision === 'approve').length
        if (approvals < current.requiredApprovals) return { run: false, request: { ...current, decisions } }
        // The only way into `running`: under the lock, from `pending`. A racing decision sees `running` and stops.
        await locked.setStatus('running')
        await locked.audit({ requestId: id, actor: 'approvals', action: 'run-started', detail: { tool: current.tool, input: current.input, approvals } })
        return { run: true, request: { ...current, decisions, status: 'running' as const } }
      })
    } catch (error) {
      if (error instanceof PortalError && error.code !== 'INTERNAL') {
        await this.repository.audit({ requestId: id, actor, action: 'decision-refused', detail: { decision, surface, why: error.message } })
        this.measure({ tool, action: 'refused' })
      }
      throw error
    }
    const { request: decided } = outcome
    if (decided.status === 'expired') this.measure({ tool, action: 'expired' }, decided)
    else this.measure({ tool, action: decision === 'approve' ? 'approved' : 'denied' }, decided.status === 'denied' ? decided : undefined)
    await this.publish(outcome.request)
    return outcome.run ? this.run(outcome.request) : outcome.request
  }

  /**
   * Approves a pending request on behalf of an operator's rule that marked its call safe to run without a
   * person (auto-remediation). The approval is recorded like a person's, with the rule as approver and
   * `automatic: true` in the audit log; it completes the request, which then runs once as after any approval.
   */
  async approveAutomatically({ id, rule, reason }: { id: string; rule: string; reason: string }): Promise<ApprovalRequest> {
    const approver = `rule:${rule}`
    const outcome = await this.repository.withLock(id, async (current, locked) => {
      if (!current) throw new NotFoundError(`No approval request ${id}`)
      if (current.status !== 'pending' || new Date(current.expiresAt) <= this.now()) throw new ConflictError(`Approval request ${id} is ${current.status === 'pending' ? 'expired' : current.status}; the rule ${rule} cannot approve it`)
      if (current.requester !== approver) throw new ForbiddenError(`${approver} may only approve what it proposed itself; ${id} was asked by ${current.requester}`)
      await locked.addDecision({ approver, decision: 'approve', reason, surface: 'auto-remediation' })
      await locked.audit({ requestId: id, actor: approver, action: 'approved', detail: { automatic: true, reason, surface: 'auto-remediation' } })
      await locked.setStatus('running')
      await locked.audit({ requestId: id, actor: 'approvals', action: 'run-started', detail: { tool: current.tool, input: current.input, approvals: 1, automatic: true } })
      return { ...current, status: 'running' as const, decisions: [...current.decisions, { approver, decision: 'approve' as const, reason, surface: 'auto-remediation', decidedAt: this.now().toISOString() }] }
    })
    await this.publish(outcome)
    return this.run(outcome)
  }

  /** The audit log, oldest first; read-only by construction (the store refuses updates and deletes). */
  async audit(filter: { requestId?: string; afterSeq?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.repository.readAudit({ ...filter, limit: filter.limit ?? 100 })
  }

  private async run(request: ApprovalRequest): Promise<ApprovalRequest> {
    // The approved call runs with the requester's name and only the scope the tool needs.
    const identity: Identity = { subject: `approval:${request.id}`, ...(request.requesterUser ? { userRef: request.requesterUser } : {}), scopes: new Set([this.tools.get(request.tool).scope]) }
    let finished: ApprovalRequest
    try {
      const { output } = await this.tools.runApproved(request.tool, request.input, { identity })
      finished = await this.finish(request.id, 'succeeded', { result: output })
    } catch (error) {
      finished = await this.finish(request.id, 'failed', { error: (error as Error).message })
    }
    this.measure({ tool: request.tool, action: finished.status === 'succeeded' ? 'succeeded' : 'failed' }, request)
    await this.publish(finished)
    return finished
  }

  /** With `ended`, the measurement carries how long the request took from being made to this end. */
  private measure(measurement: Omit<ApprovalMeasurement, 'seconds'>, ended?: ApprovalRequest): void {
    const seconds = ended ? Math.max(0, (this.now().getTime() - new Date(ended.createdAt).getTime()) / 1000) : undefined
    this.telemetry.record({ type: 'approval', ...measurement, ...(seconds !== undefined ? { seconds } : {}) })
  }

  private async finish(id: string, status: 'succeeded' | 'failed', outcome: { result?: unknown; error?: string }): Promise<ApprovalRequest> {
    await this.repository.withLock(id, async (_current, locked) => {
      await locked.setStatus(status, outcome)
      await locked.audit({ requestId: id, actor: 'approvals', action: status, detail: outcome.error ? { error: outcome.error } : { result: outcome.result } })
    })
    return (await this.repository.get(id))!
  }

  private withExpiry(request: ApprovalRequest): ApprovalRequest {
    return request.status === 'pending' && new Date(request.expiresAt) <= this.now() ? { ...request, status: 'expired' } : request
  }

  private async publish(request: ApprovalRequest): Promise<void> {
    await this.bus?.publish({ type: APPROVAL_UPDATED, payload: { id: request.id, status: request.status, threadId: request.threadId } })
  }
}
