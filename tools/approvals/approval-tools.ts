import { z } from 'zod'
import type { Approvals } from '../../core/approvals/approvals.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'

const auditEntrySchema = z.object({ seq: z.number().int(), at: z.string(), requestId: z.string().optional(), actor: z.string(), action: z.string(), detail: z.record(z.string(), z.unknown()) })

/** Reading the approvals trail; nothing here changes it (the store refuses edits to the audit log). */
export function approvalTools({ approvals }: { approvals: Approvals }): ToolDefinition[] {
  const auditLog = defineTool({
    name: 'audit_log',
    title: 'Audit log of approvals and actions',
    description: 'The append-only record of every approval request, decision, run and result, oldest first; filter by request, continue after a sequence number with afterSeq.',
    input: z.object({
      requestId: z.string().min(1).max(100).optional().describe('Only the entries of this approval request'),
      afterSeq: z.number().int().min(0).default(0).describe('Entries after this sequence number (to continue a listing)'),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ entries: z.array(auditEntrySchema) }),
    annotations: READ_ONLY,
    scope: 'audit:read',
    approval: false,
    examples: ['show the audit log', 'who approved the last restart?', 'who approved the restart of search-service', 'who approved scaling checkout-api', 'what actions were run after approval?', 'audit trail of approval requests', 'which approval requests were denied?', 'history of approvals and who decided', 'when was payments-api restarted and who approved it', "who signed off on scaling order-service", "who ran the last rollback", "approval decisions this week", "what was approved yesterday", "who denied the restart request", "audit history for request apr_0123456789abcdef0123", "show the approvals trail", "who approved which remediations", "full log of remediation decisions", "compliance needs the record of approvals and runs", "approval history of apr_0123456789abcdef0123", "which actions were taken recently"],
    async execute({ requestId, afterSeq, limit }) {
      return { entries: await approvals.audit({ requestId, afterSeq, limit }) }
    },
    render: ({ entries }) => (entries.length === 0 ? 'The audit log has no entries.' : entries.map((entry) => `#${entry.seq} ${entry.at} ${entry.actor} ${entry.action}${entry.requestId ? ` ${entry.requestId}` : ''}`).join('\n')),
  })
  return [auditLog]
}
