import type { CallToolResult } from '@modelcontextprotocol/server'
import type { Identity } from '../core/identity.ts'
import type { ToolDefinition } from '../tools/define-tool.ts'

export interface ApprovalRequest {
  tool: ToolDefinition
  /** The validated input: what exactly would run. */
  input: unknown
  identity: Identity
}

/**
 * What the MCP server does with a call to a tool that needs approval. It never runs the tool: the approvals
 * service (a later issue) will store an approval request and answer with where it waits; until then the
 * default below refuses with a result that says so.
 */
export type RequestApproval = (request: ApprovalRequest) => Promise<CallToolResult>

export const approvalsUnavailable: RequestApproval = async ({ tool }) => ({
  isError: true,
  content: [
    {
      type: 'text',
      text: `APPROVAL_REQUIRED: ${tool.name} changes things, so it runs only after an authorised person approves an approval request. This portal cannot create approval requests yet, and it never runs ${tool.name} directly over MCP. Tell the user what you would run and why; someone with access can run it through an approved change.`,
    },
  ],
})
