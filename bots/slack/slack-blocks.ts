import type { types } from '@slack/bolt'
import type { ApprovalView, Card, EntityCard, EntityListCard, GraphCard, TableCard } from '../cards.ts'

type KnownBlock = types.KnownBlock
type SectionBlock = types.SectionBlock
/** A message's blocks. */
export type SlackBlocks = KnownBlock[]

/** Button action ids; the button's value is the approval request's id. */
export const APPROVE_ACTION = 'approval_approve'
export const DENY_ACTION = 'approval_deny'

// Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks): beyond them Slack refuses the message.
const SECTION_TEXT_MAX = 3000
const HEADER_TEXT_MAX = 150
const CONTEXT_ELEMENTS_MAX = 10
const BLOCKS_MAX = 50

export interface ApprovalRenderOptions {
  /** Whether the tool changes things (its `destructiveHint`): Approve then asks for a confirmation. */
  destructive: boolean
  /** The portal's public URL, for links to the request and its audit trail. */
  publicUrl?: string
}

/**
 * Text from the catalog and tool results is data: `&`, `<` and `>` are escaped so that it can neither mention
 * `@channel` nor make links of its own.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

const truncate = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)
const code = (text: string) => `\`${escapeMrkdwn(text.replaceAll('`', "'"))}\``
const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, HEADER_TEXT_MAX), emoji: false } })
const context = (texts: string[]): KnownBlock => ({ type: 'context', elements: texts.slice(0, CONTEXT_ELEMENTS_MAX).map((text) => ({ type: 'mrkdwn', text: truncate(text, SECTION_TEXT_MAX) })) })
const link = (url: string, title: string) => (/^https?:\/\/[^\s|<>]+$/.test(url) ? `<${url}|${escapeMrkdwn(title.replaceAll('|', '/'))}>` : escapeMrkdwn(title))

/** Lines as sections, each within Slack's section text limit. */
function sections(lines: string[]): SectionBlock[] {
  const blocks: SectionBlock[] = []
  let current = ''
  for (const line of lines.map((item) => truncate(item, SECTION_TEXT_MAX))) {
    if (current !== '' && current.length + line.length + 1 > SECTION_TEXT_MAX) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } })
      current = ''
    }
    current = current === '' ? line : `${current}\n${line}`
  }
  if (current !== '') blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } })
  return blocks
}

function entityBlocks(card: EntityCard, publicUrl?: string): KnownBlock[] {
  const facts = [card.entityKind, card.type, card.lifecycle].filter(Boolean).map((fact) => escapeMrkdwn(fact!)).join(' · ')
  const blocks: KnownBlock[] = [header(card.title), ...sections([`*${facts}* ${code(card.ref)}`, ...(card.description ? [escapeMrkdwn(card.description)] : [])])]
  const fields = [
    ...(card.owner ? [`*Owner*\n${escapeMrkdwn(card.owner.title)} ${code(card.owner.ref)}`] : []),
    ...(card.system ? [`*System*\n${code(card.system)}`] : []),
    ...(card.hasDocs ? ['*Docs*\nTechDocs available'] : []),
  ]
  if (fields.length > 0) blocks.push({ type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) })
  if (card.links.length > 0) blocks.push(...sections([`*Links*: ${card.links.slice(0, 20).map((item) => link(item.url, item.title)).join(' · ')}`]))
  const footer = [...(card.tags.length > 0 ? [`Tags: ${card.tags.map(code).join(' ')}`] : []), publicUrl ? link(`${publicUrl}${card.api}`, 'Catalog API') : `Catalog API: ${code(card.api)}`]
  blocks.push(context(footer))
  return blocks
}

function graphBlocks(card: GraphCard): KnownBlock[] {
  const titles = new Map(card.nodes.map((node) => [node.ref, node.title]))
  const lines = card.edges.map((edge) => `• ${escapeMrkdwn(titles.get(edge.from) ?? edge.from)} ${code(edge.from)} — _${escapeMrkdwn(edge.relation)}_ → ${escapeMrkdwn(titles.get(edge.to) ?? edge.to)} ${code(edge.to)}`)
  const deepest = Math.max(0, ...card.nodes.map((node) => node.depth))
  return [header(card.title), ...sections(lines.length > 0 ? lines : ['_Nothing found._']).slice(0, BLOCKS_MAX - 3), context([`${card.nodes.length - 1} entities, up to ${deepest} hop(s) from ${code(card.root)}`])]
}

function listBlocks(card: EntityListCard): KnownBlock[] {
  const lines = card.items.map((item) => `• ${escapeMrkdwn(item.title)} ${code(item.ref)}`)
  return [header(card.title), ...sections(lines.length > 0 ? lines : ['_Nothing found._']).slice(0, BLOCKS_MAX - 3), context([card.total > card.items.length ? `Showing ${card.items.length} of ${card.total}` : `${card.total} in all`])]
}

/** Block Kit has no table: a row per line, the first column in bold, the others after it. */
function tableBlocks(card: TableCard): KnownBlock[] {
  const lines = card.rows.map((row) => `*${escapeMrkdwn(row.cells[0] ?? '')}* · ${row.cells.slice(1).map((cell, position) => `${escapeMrkdwn(card.columns[position + 1] ?? '')}: ${escapeMrkdwn(cell)}`).join(' · ')}`)
  return [header(card.title), ...sections(lines.length > 0 ? lines : ['_Nothing found._']).slice(0, BLOCKS_MAX - 3), ...(card.footer ? [context([escapeMrkdwn(card.footer)])] : [])]
}

const STATUS_TEXT: Record<ApprovalView['status'], string> = {
  pending: ':hourglass_flowing_sand: Waiting for approval',
  approved: ':white_check_mark: Approved',
  running: ':gear: Approved; running',
  succeeded: ':white_check_mark: Approved and done',
  failed: ':x: Approved, but the run failed',
  denied: ':no_entry: Denied',
  expired: ':alarm_clock: Expired without enough approvals',
}

/** An approval request: what will run, on what, its blast radius, who may approve, decisions so far and the outcome. */
export function approvalBlocks(view: ApprovalView, { destructive, publicUrl }: ApprovalRenderOptions): KnownBlock[] {
  const approvals = view.decisions.filter((decision) => decision.decision === 'approve').length
  const blocks: KnownBlock[] = [header(view.status === 'pending' ? 'Approval needed' : 'Approval request'), ...sections([`*${escapeMrkdwn(view.summary)}*`, STATUS_TEXT[view.status]])]
  blocks.push({
    type: 'section',
    fields: [
      `*Requested by*\n${escapeMrkdwn(view.requesterUser ?? view.requester)} (on ${escapeMrkdwn(view.surface)})`,
      `*Target*\n${view.target ? code(view.target) : '—'}`,
      `*Approvals*\n${approvals} of ${view.requiredApprovals}`,
      `*Expires*\n<!date^${Math.floor(Date.parse(view.expiresAt) / 1000)}^{date_short_pretty} {time}|${view.expiresAt}>`,
    ].map((text) => ({ type: 'mrkdwn', text })),
  })
  const radius = view.blastRadius.length === 0 ? 'nothing depends on it' : `${view.blastRadius.length} dependent(s): ${view.blastRadius.slice(0, 8).map((entry) => code(entry.ref)).join(', ')}${view.blastRadius.length > 8 ? '…' : ''}`
  blocks.push(...sections([`*Blast radius*: ${radius}`, `*Who may approve* (${escapeMrkdwn(view.policyReason)}): ${view.approvers.slice(0, 20).map(code).join(', ')}`]))
  if (view.decisions.length > 0) blocks.push(...sections(view.decisions.map((decision) => `${decision.decision === 'approve' ? ':white_check_mark: Approved' : ':no_entry: Denied'} by ${code(decision.approver)} on ${escapeMrkdwn(decision.surface)}${decision.reason ? `: ${escapeMrkdwn(decision.reason)}` : ''}`)))
  if (view.status === 'succeeded') blocks.push(...sections([`*Result*\n\`\`\`${escapeMrkdwn(truncate(JSON.stringify(view.result, null, 1), 2800))}\`\`\``]))
  if (view.status === 'failed' && view.error) blocks.push(...sections([`*Error*: ${escapeMrkdwn(view.error)}`]))
  if (view.status === 'pending') {
    blocks.push({
      type: 'actions',
      block_id: `approval:${view.id}`,
      elements: [
        {
          type: 'button', action_id: APPROVE_ACTION, value: view.id, style: 'primary', text: { type: 'plain_text', text: 'Approve' },
          ...(destructive ? { confirm: { title: { type: 'plain_text', text: 'Approve this change?' }, text: { type: 'mrkdwn', text: truncate(`${escapeMrkdwn(view.summary)}. It changes production${view.blastRadius.length > 0 ? ` and ${view.blastRadius.length} entities depend on it` : ''}.`, 300) }, confirm: { type: 'plain_text', text: 'Approve' }, deny: { type: 'plain_text', text: 'Cancel' }, style: 'danger' } } : {}),
        },
        {
          type: 'button', action_id: DENY_ACTION, value: view.id, style: 'danger', text: { type: 'plain_text', text: 'Deny' },
          confirm: { title: { type: 'plain_text', text: 'Deny this request?' }, text: { type: 'mrkdwn', text: 'The request ends; asking again creates a new one.' }, confirm: { type: 'plain_text', text: 'Deny' }, deny: { type: 'plain_text', text: 'Cancel' } },
        },
      ],
    })
  }
  const audit = publicUrl ? link(`${publicUrl}/api/approvals/${view.id}`, `Audit trail of ${view.id}`) : `Audit trail: ${code(`portal tool audit_log --input '{"requestId":"${view.id}"}'`)}`
  blocks.push(context([`Request ${code(view.id)}`, audit]))
  return blocks.slice(0, BLOCKS_MAX)
}

/** The fallback text Slack shows in notifications and to screen readers. */
export function cardText(card: Card): string {
  switch (card.kind) {
    case 'entity':
      return `${card.title} (${card.ref})`
    case 'graph':
    case 'entity-list':
    case 'table':
      return card.title
    case 'approval':
      return `Approval request ${card.request.id}: ${card.request.summary} (${card.request.status})`
  }
}

export function cardBlocks(card: Card, options: { destructive: (tool: string) => boolean; publicUrl?: string }): KnownBlock[] {
  switch (card.kind) {
    case 'entity':
      return entityBlocks(card, options.publicUrl)
    case 'graph':
      return graphBlocks(card)
    case 'entity-list':
      return listBlocks(card)
    case 'table':
      return tableBlocks(card)
    case 'approval':
      return approvalBlocks(card.request, { destructive: options.destructive(card.request.tool), publicUrl: options.publicUrl })
  }
}
