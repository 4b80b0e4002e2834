import type { Queryable, Store } from '../store/store.ts'

export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'expired', 'running', 'succeeded', 'failed'] as const
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number]

export interface ApprovalDecision {
  approver: string
  decision: 'approve' | 'deny'
  reason?: string
  surface: string
  decidedAt: string
}

export interface BlastRadiusEntry {
  ref: string
  depth: number
  owners: string[]
}

/** A stored approval request: exactly what will run, for whom, who may allow it, and what became of it. */
export interface ApprovalRequest {
  id: string
  tool: string
  input: unknown
  /** The caller's subject, and the catalog user when known. */
  requester: string
  requesterUser?: string
  surface: string
  threadId?: string
  summary: string
  target?: string
  blastRadius: BlastRadiusEntry[]
  approvers: string[]
  requiredApprovals: number
  policyReason: string
  status: ApprovalStatus
  expiresAt: string
  createdAt: string
  updatedAt: string
  decisions: ApprovalDecision[]
  result?: unknown
  error?: string
}

export interface AuditEntry {
  seq: number
  at: string
  requestId?: string
  actor: string
  action: string
  detail: Record<string, unknown>
}

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'>

export interface ApprovalFilter {
  threadId?: string
  status?: ApprovalStatus
  tools?: string[]
  target?: string
  /** Created at or after this time (ISO). */
  since?: string
  limit: number
}

/** What a locked request may change while it is locked. */
export interface LockedRequest {
  addDecision(decision: Omit<ApprovalDecision, 'decidedAt'>): Promise<void>
  setStatus(status: ApprovalStatus, outcome?: { result?: unknown; error?: string }): Promise<void>
  audit(entry: NewAuditEntry): Promise<void>
}

/**
 * Storage of approval requests, decisions and the audit log. `withLock` is the one way to change a request:
 * it holds the request exclusively (a row lock in the store, so two replicas serialise too) while `work` reads
 * it and decides, so a state change can never be applied twice.
 */
export interface ApprovalRepository {
  insert(request: ApprovalRequest, audit: NewAuditEntry): Promise<void>
  get(id: string): Promise<ApprovalRequest | undefined>
  /** Newest first. */
  list(filter: ApprovalFilter): Promise<ApprovalRequest[]>
  withLock<T>(id: string, work: (current: ApprovalRequest | undefined, locked: LockedRequest) => Promise<T>): Promise<T>
  audit(entry: NewAuditEntry): Promise<void>
  readAudit(filter: { requestId?: string; afterSeq?: number; limit: number }): Promise<AuditEntry[]>
}

interface RequestRow {
  id: string
  tool: string
  input: unknown
  requester: string
  requester_user: string | null
  surface: string
  thread_id: string | null
  summary: string
  target: string | null
  blast_radius: unknown
  approvers: string[]
  required_approvals: number
  policy_reason: string
  status: ApprovalStatus
  expires_at: Date | string
  created_at: Date | string
  updated_at: Date | string
  result: unknown
  error: string | null
  decisions: unknown
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)
const iso = (value: Date | string) => new Date(value).toISOString()

const SELECT_REQUEST = `
  select r.*, coalesce((select jsonb_agg(jsonb_build_object('approver', d.approver, 'decision', d.decision, 'reason', d.reason, 'surface', d.surface, 'decidedAt', d.decided_at) order by d.decided_at, d.approver)
    from approval_decisions d where d.request_id = r.id), '[]'::jsonb) as decisions
  from approval_requests r`

function fromRow(row: RequestRow): ApprovalRequest {
  const decisions = (json(row.decisions) as Array<ApprovalDecision & { reason: string | null }>).map(({ reason, decidedAt, ...rest }) => ({ ...rest, ...(reason ? { reason } : {}), decidedAt: iso(decidedAt) }))
  return {
    id: row.id,
    tool: row.tool,
    input: json(row.input),
    requester: row.requester,
    ...(row.requester_user ? { requesterUser: row.requester_user } : {}),
    surface: row.surface,
    ...(row.thread_id ? { threadId: row.thread_id } : {}),
    summary: row.summary,
    ...(row.target ? { target: row.target } : {}),
    blastRadius: json(row.blast_radius) as BlastRadiusEntry[],
    approvers: row.approvers,
    requiredApprovals: Number(row.required_approvals),
    policyReason: row.policy_reason,
    status: row.status,
    expiresAt: iso(row.expires_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    decisions,
    ...(row.result !== null && row.result !== undefined ? { result: json(row.result) } : {}),
    ...(row.error ? { error: row.error } : {}),
  }
}

async function insertAudit(queryable: Queryable, entry: NewAuditEntry): Promise<void> {
  await queryable.query('insert into audit_log (request_id, actor, action, detail) values ($1, $2, $3, $4::jsonb)', [entry.requestId ?? null, entry.actor, entry.action, JSON.stringify(entry.detail)])
}

export class SqlApprovalRepository implements ApprovalRepository {
  constructor(private readonly store: Store) {}

  async insert(request: ApprovalRequest, audit: NewAuditEntry): Promise<void> {
    await this.store.transaction(async (transaction) => {
      await transaction.query(
        `insert into approval_requests (id, tool, input, requester, requester_user, surface, thread_id, summary, target, blast_radius, approvers, required_approvals, policy_reason, status, expires_at, created_at, updated_at)
         values ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::text[], $12, $13, $14, $15, $16, $16)`,
        [request.id, request.tool, JSON.stringify(request.input), request.requester, request.requesterUser ?? null, request.surface, request.threadId ?? null, request.summary, request.target ?? null, JSON.stringify(request.blastRadius), request.approvers, request.requiredApprovals, request.policyReason, request.status, request.expiresAt, request.createdAt],
      )
      await insertAudit(transaction, audit)
    })
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const { rows } = await this.store.query<RequestRow>(`${SELECT_REQUEST} where r.id = $1`, [id])
    return rows[0] ? fromRow(rows[0]) : undefined
  }

  async list({ threadId, status, tools, target, since, limit }: ApprovalFilter): Promise<ApprovalRequest[]> {
    const { rows } = await this.store.query<RequestRow>(
      `${SELECT_REQUEST} where ($1::text is null or r.thread_id = $1) and ($2::text is null or r.status = $2) and ($3::text[] is null or r.tool = any($3::text[]))
        and ($4::text is null or r.target = $4) and ($5::timestamptz is null or r.created_at >= $5) order by r.created_at desc, r.id limit $6`,
      [threadId ?? null, status ?? null, tools ?? null, target ?? null, since ?? null, limit],
    )
    return rows.map(fromRow)
  }

  async withLock<T>(id: string, work: (current: ApprovalRequest | undefined, locked: LockedRequest) => Promise<T>): Promise<T> {
    return this.store.transaction(async (transaction) => {
      await transaction.query('select 1 from approval_requests where id = $1 for update', [id])
      const { rows } = await transaction.query<RequestRow>(`${SELECT_REQUEST} where r.id = $1`, [id])
      return work(rows[0] ? fromRow(rows[0]) : undefined, {
        async addDecision(decision) {
          await transaction.query('insert into approval_decisions (request_id, approver, decision, reason, surface) values ($1, $2, $3, $4, $5)', [id, decision.approver, decision.decision, decision.reason ?? null, decision.surface])
        },
        async setStatus(status, outcome = {}) {
          await transaction.query(
            'update approval_requests set status = $2, updated_at = now(), result = coalesce($3::jsonb, result), error = coalesce($4, error) where id = $1',
            [id, status, outcome.result === undefined ? null : JSON.stringify(outcome.result), outcome.error ?? null],
          )
        },
        audit: (entry) => insertAudit(transaction, entry),
      })
    })
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    await insertAudit(this.store, entry)
  }

  async readAudit({ requestId, afterSeq = 0, limit }: { requestId?: string; afterSeq?: number; limit: number }): Promise<AuditEntry[]> {
    const { rows } = await this.store.query<{ seq: string | number; at: Date | string; request_id: string | null; actor: string; action: string; detail: unknown }>(
      'select seq, at, request_id, actor, action, detail from audit_log where ($1::text is null or request_id = $1) and seq > $2 order by seq limit $3',
      [requestId ?? null, afterSeq, limit],
    )
    return rows.map((row) => ({ seq: Number(row.seq), at: iso(row.at), ...(row.request_id ? { requestId: row.request_id } : {}), actor: row.actor, action: row.action, detail: json(row.detail) as Record<string, unknown> }))
  }
}

/** The same contract in memory, for a platform without a store (`--catalog`). Locks are per-request promise chains. */
export class MemoryApprovalRepository implements ApprovalRepository {
  private readonly requests = new Map<string, ApprovalRequest>()
  private readonly log: AuditEntry[] = []
  private readonly locks = new Map<string, Promise<unknown>>()

  async insert(request: ApprovalRequest, audit: NewAuditEntry): Promise<void> {
    this.requests.set(request.id, structuredClone(request))
    await this.audit({ ...audit })
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const request = this.requests.get(id)
    return request ? structuredClone(request) : undefined
  }

  async list({ threadId, status, tools, target, since, limit }: ApprovalFilter): Promise<ApprovalRequest[]> {
    return [...this.requests.values()]
      .filter((request) => (!threadId || request.threadId === threadId) && (!status || request.status === status) && (!tools || tools.includes(request.tool)) && (!target || request.target === target) && (!since || request.createdAt >= since))
      .reverse().slice(0, limit).map((request) => structuredClone(request))
  }

  async withLock<T>(id: string, work: (current: ApprovalRequest | undefined, locked: LockedRequest) => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve()
    const run = previous.catch(() => undefined).then(async () => {
      const original = this.requests.get(id)
      const draft = original ? structuredClone(original) : undefined
      const audits: NewAuditEntry[] = []
      const result = await work(draft ? structuredClone(draft) : undefined, {
        async addDecision(decision) {
          if (!draft) throw new Error(`No approval request ${id}`)
          if (draft.decisions.some((existing) => existing.approver === decision.approver)) throw new Error(`${decision.approver} already decided on ${id}`)
          draft.decisions.push({ ...decision, decidedAt: new Date().toISOString() })
        },
        async setStatus(status, outcome = {}) {
          if (!draft) throw new Error(`No approval request ${id}`)
          Object.assign(draft, { status, updatedAt: new Date().toISOString() }, outcome.result === undefined ? {} : { result: outcome.result }, outcome.error === undefined ? {} : { error: outcome.error })
        },
        async audit(entry) {
          audits.push(entry)
        },
      })
      // Like a transaction: the changes land only when `work` succeeds.
      if (draft) this.requests.set(id, draft)
      for (const entry of audits) await this.audit(entry)
      return result
    })
    this.locks.set(id, run)
    return run
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    this.log.push({ ...structuredClone(entry), seq: this.log.length + 1, at: new Date().toISOString() })
  }

  async readAudit({ requestId, afterSeq = 0, limit }: { requestId?: string; afterSeq?: number; limit: number }): Promise<AuditEntry[]> {
    return this.log.filter((entry) => entry.seq > afterSeq && (!requestId || entry.requestId === requestId)).slice(0, limit).map((entry) => structuredClone(entry))
  }
}
