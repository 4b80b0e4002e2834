import { z } from 'zod'
import type { ApprovalRequest } from './approval-repository.ts'

/**
 * What a caller gets back when it calls a tool that needs approval (from the agent, MCP or HTTP): the stored
 * request, not a result. Nothing has run yet.
 */
export const approvalRequestedSchema = z.object({
  approvalRequest: z.object({
    id: z.string(),
    tool: z.string(),
    input: z.unknown(),
    status: z.string(),
    summary: z.string(),
    target: z.string().optional(),
    approvers: z.array(z.string()),
    requiredApprovals: z.number().int(),
    expiresAt: z.string(),
    blastRadius: z.array(z.object({ ref: z.string(), depth: z.number().int(), owners: z.array(z.string()) })),
  }),
})

export type ApprovalRequested = z.output<typeof approvalRequestedSchema>

export function approvalRequested({ id, tool, input, status, summary, target, approvers, requiredApprovals, expiresAt, blastRadius }: ApprovalRequest): ApprovalRequested {
  return { approvalRequest: { id, tool, input, status, summary, ...(target ? { target } : {}), approvers, requiredApprovals, expiresAt, blastRadius } }
}

/** The same in words, for text surfaces. */
export function renderApprovalRequested({ approvalRequest: request }: ApprovalRequested): string {
  return `Approval requested (${request.id}); nothing has run yet. ${request.summary} It needs ${request.requiredApprovals === 1 ? 'one approval' : `${request.requiredApprovals} approvals from different people`} from: ${request.approvers.join(', ')}. Expires at ${request.expiresAt}.`
}
