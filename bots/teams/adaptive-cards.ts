import type { ApprovalView, Card, EntityCard, EntityListCard, GraphCard, TableCard } from '../cards.ts'

/** Verbs of the approval card's `Action.Execute` buttons; `data.requestId` names the request. */
export const APPROVE_VERB = 'approve'
export const DENY_VERB = 'deny'

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive'

/** Universal Actions (`Action.Execute`) need schema 1.4; Teams renders up to 1.5. */
const VERSION = '1.5'
const MAX_ROWS = 60

type Element = Record<string, unknown>
export interface AdaptiveCard {
  type: 'AdaptiveCard'
  $schema: string
  version: string
  body: Element[]
  actions?: Element[]
  msteams?: { width: 'Full' }
}

export interface ApprovalCardOptions {
  destructive: boolean
  publicUrl?: string
}

const card = (body: Element[], actions: Element[] = []): AdaptiveCard => ({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: VERSION, body, ...(actions.length > 0 ? { actions } : {}), msteams: { width: 'Full' } })
// Adaptive Cards render a subset of Markdown in TextBlocks; catalog text is data, so its Markdown is neutralised.
const plain = (text: string) => text.replace(/([\\`*_[\]()#>~|])/g, '\\$1')
const title = (text: string): Element => ({ type: 'TextBlock', text: plain(text), size: 'Large', weight: 'Bolder', wrap: true })
const text = (value: string, extra: Element = {}): Element => ({ type: 'TextBlock', text: value, wrap: true, ...extra })
const facts = (pairs: Array<[string, string | undefined]>): Element => ({ type: 'FactSet', facts: pairs.filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => ({ title: key, value: value! })) })
const safeUrl = (url: string) => /^https?:\/\/[^\s]+$/.test(url)

function entityCard(entity: EntityCard, publicUrl?: string): AdaptiveCard {
  const body: Element[] = [title(entity.title), text([entity.entityKind, entity.type, entity.lifecycle].filter(Boolean).map((item) => plain(item!)).join(' · '), { isSubtle: true, spacing: 'None' })]
  if (entity.description) body.push(text(plain(entity.description)))
  body.push(facts([['Reference', plain(entity.ref)], ['Owner', entity.owner ? `${plain(entity.owner.title)} (${plain(entity.owner.ref)})` : undefined], ['System', entity.system ? plain(entity.system) : undefined], ['Tags', entity.tags.map(plain).join(', ')], ['Docs', entity.hasDocs ? 'TechDocs available' : undefined]]))
  const actions = entity.links.filter((link) => safeUrl(link.url)).slice(0, 5).map((link) => ({ type: 'Action.OpenUrl', title: link.title.slice(0, 60), url: link.url }))
  if (publicUrl) actions.push({ type: 'Action.OpenUrl', title: 'Catalog API', url: `${publicUrl}${entity.api}` })
  return card(body, actions)
}

function graphCard(graph: GraphCard): AdaptiveCard {
  const titles = new Map(graph.nodes.map((node) => [node.ref, node.title]))
  const rows = graph.edges.slice(0, MAX_ROWS).map((edge) => text(`${plain(titles.get(edge.from) ?? edge.from)} — *${plain(edge.relation)}* → ${plain(titles.get(edge.to) ?? edge.to)}`, { spacing: 'Small' }))
  const more = graph.edges.length > MAX_ROWS ? [text(`…and ${graph.edges.length - MAX_ROWS} more`, { isSubtle: true })] : []
  return card([title(graph.title), text(`${graph.nodes.length - 1} entities from ${plain(graph.root)}`, { isSubtle: true, spacing: 'None' }), ...(rows.length > 0 ? rows : [text('Nothing found.')]), ...more])
}

function listCard(list: EntityListCard): AdaptiveCard {
  const rows = list.items.slice(0, MAX_ROWS).map((item) => text(`${plain(item.title)} (${plain(item.ref)})`, { spacing: 'Small' }))
  return card([title(list.title), text(list.total > list.items.length ? `Showing ${list.items.length} of ${list.total}` : `${list.total} in all`, { isSubtle: true, spacing: 'None' }), ...(rows.length > 0 ? rows : [text('Nothing found.')])])
}

/** Adaptive Cards 1.5's Table element, a header row then one row per result. */
function tableCard(table: TableCard): AdaptiveCard {
  const row = (cells: string[], bold = false) => ({ type: 'TableRow', cells: cells.map((cell) => ({ type: 'TableCell', items: [text(plain(cell), bold ? { weight: 'Bolder' } : {})] })) })
  const body: Element[] = [title(table.title), { type: 'Table', firstRowAsHeader: true, columns: table.columns.map(() => ({ width: 1 })), rows: [row(table.columns, true), ...table.rows.slice(0, MAX_ROWS).map((item) => row(item.cells))] }]
  if (table.footer) body.push(text(plain(table.footer), { isSubtle: true }))
  return card(body)
}

const STATUS_TEXT: Record<ApprovalView['status'], string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  running: 'Approved; running',
  succeeded: 'Approved and done',
  failed: 'Approved, but the run failed',
  denied: 'Denied',
  expired: 'Expired without enough approvals',
}

/** An approval request, with `Action.Execute` Approve and Deny while it is pending. */
export function approvalAdaptiveCard(view: ApprovalView, { destructive, publicUrl }: ApprovalCardOptions): AdaptiveCard {
  const approvals = view.decisions.filter((decision) => decision.decision === 'approve').length
  const body: Element[] = [
    title(view.status === 'pending' ? 'Approval needed' : 'Approval request'),
    text(`**${plain(view.summary)}**`),
    text(STATUS_TEXT[view.status], { color: view.status === 'denied' || view.status === 'failed' ? 'Attention' : view.status === 'pending' ? 'Warning' : 'Good', weight: 'Bolder' }),
    facts([
      ['Requested by', `${plain(view.requesterUser ?? view.requester)} (on ${plain(view.surface)})`],
      ['Target', view.target ? plain(view.target) : undefined],
      ['Approvals', `${approvals} of ${view.requiredApprovals}`],
      ['Expires', view.expiresAt],
      ['Blast radius', view.blastRadius.length === 0 ? 'nothing depends on it' : `${view.blastRadius.length} dependent(s): ${view.blastRadius.slice(0, 8).map((entry) => plain(entry.ref)).join(', ')}`],
      ['Who may approve', `${plain(view.policyReason)}: ${view.approvers.slice(0, 20).map(plain).join(', ')}`],
    ]),
  ]
  for (const decision of view.decisions) body.push(text(`${decision.decision === 'approve' ? 'Approved' : 'Denied'} by ${plain(decision.approver)} on ${plain(decision.surface)}${decision.reason ? `: ${plain(decision.reason)}` : ''}`, { spacing: 'Small' }))
  if (view.status === 'succeeded') body.push(text(`Result: ${plain(JSON.stringify(view.result).slice(0, 1500))}`, { fontType: 'Monospace', size: 'Small' }))
  if (view.status === 'failed' && view.error) body.push(text(`Error: ${plain(view.error)}`, { color: 'Attention' }))
  body.push(text(`Request ${plain(view.id)}`, { isSubtle: true, size: 'Small' }))
  const actions: Element[] = []
  if (view.status === 'pending') {
    // Action.Execute has no confirmation dialog; a destructive change says so above its buttons instead.
    if (destructive) body.push(text(`Approving changes production${view.blastRadius.length > 0 ? `; ${view.blastRadius.length} entities depend on the target` : ''}.`, { color: 'Attention', weight: 'Bolder' }))
    actions.push({ type: 'Action.Execute', title: 'Approve', verb: APPROVE_VERB, data: { requestId: view.id }, style: 'positive' })
    actions.push({ type: 'Action.Execute', title: 'Deny', verb: DENY_VERB, data: { requestId: view.id }, style: 'destructive' })
  }
  if (publicUrl) actions.push({ type: 'Action.OpenUrl', title: 'Audit trail', url: `${publicUrl}/api/approvals/${view.id}` })
  return card(body, actions)
}

export function adaptiveCardFor(value: Card, options: { destructive: (tool: string) => boolean; publicUrl?: string }): AdaptiveCard {
  switch (value.kind) {
    case 'entity':
      return entityCard(value, options.publicUrl)
    case 'graph':
      return graphCard(value)
    case 'entity-list':
      return listCard(value)
    case 'table':
      return tableCard(value)
    case 'approval':
      return approvalAdaptiveCard(value.request, { destructive: options.destructive(value.request.tool), ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) })
  }
}
