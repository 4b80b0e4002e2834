import { useEffect, useState } from 'react'
import type { ApprovalView, Card, EntityCard, EntityListCard, TableCard } from '../../../bots/cards.ts'
import { decide, fetchApproval, type ApprovalState } from '../api.ts'
import { GraphCardView } from './GraphCardView.tsx'

/** One card from the chat service; everything in it is data from the catalog or a tool, shown as text. */
export function CardView({ card, user, onAsk }: { card: Card; user: string | undefined; onAsk: (question: string) => void }) {
  switch (card.kind) {
    case 'entity':
      return <EntityCardView card={card} onAsk={onAsk} />
    case 'graph':
      return <GraphCardView card={card} onAsk={onAsk} />
    case 'entity-list':
      return <EntityListCardView card={card} onAsk={onAsk} />
    case 'approval':
      return <ApprovalCardView initial={card.request} user={user} />
    case 'table':
      return <TableCardView card={card} onAsk={onAsk} />
  }
}

/** Figures as a table, with the chart column drawn as bars (scaled to the largest value). */
function TableCardView({ card, onAsk }: { card: TableCard; onAsk: (question: string) => void }) {
  const largest = Math.max(0, ...(card.chart?.values ?? []).map((value) => Math.abs(value)))
  return (
    <section className="card table" data-testid="table-card">
      <h3>{card.title}</h3>
      <table>
        <thead>
          <tr>
            {card.columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
            {card.chart ? <th aria-hidden="true" /> : null}
          </tr>
        </thead>
        <tbody>
          {card.rows.map((row, position) => (
            <tr key={position}>
              {row.cells.map((cell, column) => (
                <td key={column} className={column > 0 && /^[−+$\d]/.test(cell) ? 'number' : undefined}>
                  {column === 0 && row.ref ? (
                    <button type="button" className="ref" onClick={() => onAsk(`tell me about ${row.ref}`)}>
                      {cell}
                    </button>
                  ) : (
                    cell
                  )}
                </td>
              ))}
              {card.chart ? (
                <td className="bar-cell">
                  <span className="bar" style={{ width: `${largest > 0 ? (Math.abs(card.chart.values[position] ?? 0) / largest) * 100 : 0}%` }} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {card.footer ? <p className="note">{card.footer}</p> : null}
    </section>
  )
}

function EntityCardView({ card, onAsk }: { card: EntityCard; onAsk: (question: string) => void }) {
  return (
    <section className="card entity" data-testid="entity-card">
      <header>
        <span className="kind">{[card.lifecycle, card.type, card.entityKind].filter(Boolean).join(' ')}</span>
        <h3>{card.title}</h3>
        <code>{card.ref}</code>
      </header>
      {card.description ? <p>{card.description}</p> : null}
      <dl>
        {card.owner ? (
          <>
            <dt>Owner</dt>
            <dd>
              <button type="button" className="ref" onClick={() => onAsk(`who is on ${card.owner!.ref}?`)}>
                {card.owner.title}
              </button>
            </dd>
          </>
        ) : null}
        {card.system ? (
          <>
            <dt>System</dt>
            <dd>{card.system}</dd>
          </>
        ) : null}
        {card.tags.length ? (
          <>
            <dt>Tags</dt>
            <dd>{card.tags.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <footer>
        {card.links.map((link) => (
          <a key={link.url} href={link.url} target="_blank" rel="noreferrer noopener">
            {link.title}
          </a>
        ))}
        {card.hasDocs ? (
          <button type="button" className="secondary" onClick={() => onAsk(`show the docs of ${card.ref}`)}>
            Docs
          </button>
        ) : null}
        <button type="button" className="secondary" onClick={() => onAsk(`what does ${card.ref} depend on?`)}>
          Dependencies
        </button>
        <a href={card.api} target="_blank" rel="noreferrer">
          Catalog entry
        </a>
      </footer>
    </section>
  )
}

function EntityListCardView({ card, onAsk }: { card: EntityListCard; onAsk: (question: string) => void }) {
  return (
    <section className="card list" data-testid="list-card">
      <h3>
        {card.title} <span className="count">({card.total})</span>
      </h3>
      <ul>
        {card.items.map((item) => (
          <li key={item.ref}>
            <button type="button" className="ref" onClick={() => onAsk(`tell me about ${item.ref}`)}>
              {item.title}
            </button>{' '}
            <span className="kind">{item.entityKind}</span>
          </li>
        ))}
      </ul>
      {card.total > card.items.length ? <p className="note">Showing {card.items.length} of {card.total}.</p> : null}
    </section>
  )
}

const LIVE = new Set(['pending', 'approved', 'running'])

/** An approval request with its live state; Approve and Deny only for those policy allows. */
function ApprovalCardView({ initial, user }: { initial: ApprovalView; user: string | undefined }) {
  const [state, setState] = useState<ApprovalState>({ request: initial, canDecide: false })
  const [problem, setProblem] = useState<string>()
  const [reason, setReason] = useState('')
  const [sending, setSending] = useState(false)
  const request = state.request

  useEffect(() => {
    let stopped = false
    const refresh = () =>
      fetchApproval(initial.id, user).then(
        (next) => !stopped && setState(next),
        (error: Error) => !stopped && setProblem(error.message),
      )
    void refresh()
    // Decisions can come from other people and other surfaces: follow the request while it can still change.
    const timer = setInterval(() => {
      if (LIVE.has(state.request.status)) void refresh()
    }, 1500)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [initial.id, user, state.request.status])

  const send = async (decision: 'approve' | 'deny') => {
    setSending(true)
    setProblem(undefined)
    try {
      setState(await decide(request.id, user, decision, reason || undefined))
    } catch (error) {
      setProblem((error as Error).message)
    } finally {
      setSending(false)
    }
  }

  const approvals = request.decisions.filter((decision) => decision.decision === 'approve').length
  return (
    <section className={`card approval status-${request.status}`} data-testid="approval-card" data-status={request.status}>
      <header>
        <span className="kind">Approval request</span>
        <h3>{request.summary}</h3>
        <span className={`badge ${request.status}`} data-testid="approval-status">
          {request.status}
        </span>
      </header>
      <dl>
        <dt>Requested by</dt>
        <dd>{request.requesterUser ?? request.requester}</dd>
        <dt>Approvals</dt>
        <dd>
          {approvals} of {request.requiredApprovals} — {request.policyReason}
        </dd>
        <dt>May approve</dt>
        <dd>{request.approvers.map((ref) => ref.replace(/^user:default\//, '')).join(', ')}</dd>
        {request.blastRadius.length ? (
          <>
            <dt>Blast radius</dt>
            <dd>{request.blastRadius.map((entry) => entry.ref).join(', ')}</dd>
          </>
        ) : null}
        <dt>Expires</dt>
        <dd>{new Date(request.expiresAt).toLocaleString()}</dd>
      </dl>
      {request.decisions.length ? (
        <ul className="decisions">
          {request.decisions.map((decision) => (
            <li key={decision.approver}>
              {decision.approver.replace(/^user:default\//, '')} {decision.decision === 'approve' ? 'approved' : 'denied'} on {decision.surface}
              {decision.reason ? `: “${decision.reason}”` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {request.status === 'succeeded' ? (
        <p className="result" data-testid="approval-result">
          Done. {describeResult(request.result)}
        </p>
      ) : null}
      {request.status === 'failed' ? <p className="error">It ran and failed: {request.error}</p> : null}
      {state.canDecide ? (
        <div className="decide">
          <input aria-label="Reason (optional)" placeholder="Reason (optional)" value={reason} onChange={(event) => setReason(event.target.value)} maxLength={1000} />
          <button type="button" disabled={sending} onClick={() => void send('approve')}>
            Approve
          </button>
          <button type="button" className="danger" disabled={sending} onClick={() => void send('deny')}>
            Deny
          </button>
        </div>
      ) : request.status === 'pending' ? (
        <p className="note">{user ? 'Waiting for someone allowed to approve.' : 'Pick yourself above to approve or deny, if you may.'}</p>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  )
}

function describeResult(result: unknown): string {
  const output = result as { playbook?: string; entity?: string; executor?: string; after?: { replicas?: number; readyReplicas?: number; revision?: string }; verification?: { check: string; passed: boolean | null } } | undefined
  if (!output?.verification) return ''
  const state = output.after ? ` Now ${output.after.readyReplicas} of ${output.after.replicas} pods ready${output.after.revision ? `, revision ${output.after.revision}` : ''}.` : ''
  const verdict = output.verification.passed === null ? 'none configured' : output.verification.passed ? 'passed' : 'failed'
  return `${output.playbook} of ${output.entity} (${output.executor}).${state} Verification (${output.verification.check}): ${verdict}.`
}
