import { describe, expect, it } from 'vitest'
import type { ApprovalView, GraphCard } from '../cards.ts'
import { approvalBlocks, cardBlocks, escapeMrkdwn } from './slack-blocks.ts'

const render = { destructive: () => true }

describe('Block Kit renderings', () => {
  it('shows catalog text as data: no mentions or links of its own', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.example|click>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;')
    const blocks = cardBlocks({ kind: 'entity', id: 'e', ref: 'component:default/x', title: 'X', entityKind: 'Component', description: 'Ping <!here> now', tags: [], links: [{ url: 'javascript:alert(1)', title: 'bad' }, { url: 'https://ok.example/a', title: 'Runbook' }], hasDocs: false, api: '/api/catalog/entities/by-name/component/default/x' }, render)
    const text = JSON.stringify(blocks)
    expect(text).not.toContain('<!here>')
    expect(text).not.toContain('javascript:')
    expect(text).toContain('<https://ok.example/a|Runbook>')
  })

  it('keeps a large graph within Slack limits (3000 characters a section, 50 blocks a message)', () => {
    const nodes = Array.from({ length: 400 }, (_, index) => ({ ref: `component:default/service-${index}`, title: `Service ${index}`, entityKind: 'component', depth: 1 }))
    const card: GraphCard = { kind: 'graph', id: 'g', title: 'What breaks', root: 'resource:default/db', nodes: [{ ref: 'resource:default/db', title: 'DB', entityKind: 'resource', depth: 0 }, ...nodes], edges: nodes.map((node) => ({ from: node.ref, to: 'resource:default/db', relation: 'dependsOn' })) }
    const blocks = cardBlocks(card, render) as Array<{ type: string; text?: { text: string } }>
    expect(blocks.length).toBeLessThanOrEqual(50)
    expect(blocks.length).toBeGreaterThan(3)
    for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000)
  })

  it('offers buttons only while a request is pending, and asks to confirm a destructive approval', () => {
    const view: ApprovalView = { id: 'apr_1', tool: 'remediation_request', summary: 'Restart cart-service', target: 'component:default/cart-service', blastRadius: [], approvers: ['user:default/a'], requiredApprovals: 1, policyReason: 'Owners approve', status: 'pending', expiresAt: '2026-01-01T10:00:00.000Z', createdAt: '2026-01-01T09:00:00.000Z', decisions: [], requester: 'slack:U1', surface: 'slack' }
    const actions = (blocks: unknown[]) => blocks.find((block) => (block as { type: string }).type === 'actions') as { elements: Array<{ confirm?: unknown }> } | undefined
    expect(actions(approvalBlocks(view, { destructive: true }))!.elements[0]!.confirm).toBeDefined()
    expect(actions(approvalBlocks(view, { destructive: false }))!.elements[0]!.confirm).toBeUndefined()
    expect(actions(approvalBlocks({ ...view, status: 'denied', decisions: [{ approver: 'user:default/a', decision: 'deny', surface: 'web', decidedAt: '2026-01-01T09:10:00.000Z' }] }, { destructive: true }))).toBeUndefined()
    expect(JSON.stringify(approvalBlocks(view, { destructive: true, publicUrl: 'https://portal.example' }))).toContain('<https://portal.example/api/approvals/apr_1|Audit trail of apr_1>')
  })

  it('renders a table card as one line per row, escaping its cells', () => {
    const blocks = cardBlocks({ kind: 'table', id: 't', title: 'Spend by service', columns: ['service', 'cost'], rows: [{ cells: ['cart-service', '$10.00'] }, { cells: ['<!channel>', '$2.00'] }], footer: 'Total $12.00' }, render)
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Spend by service', emoji: false } })
    expect((blocks[1] as { text: { text: string } }).text.text).toBe('*cart-service* · cost: $10.00\n*&lt;!channel&gt;* · cost: $2.00')
    expect(JSON.stringify(blocks.at(-1))).toContain('Total $12.00')
  })
})
