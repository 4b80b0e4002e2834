import type { CallToolResult } from '@modelcontextprotocol/server'
import { PortalError, type ErrorCode } from '../core/errors.ts'

// What the caller can do next, by error code: the message says what was wrong, this says what to change.
const NEXT_STEP: Record<ErrorCode, (tool: string) => string> = {
  INVALID_INPUT: (tool) => `Correct the arguments to match the input schema of ${tool} and call it again.`,
  NOT_FOUND: () => 'Check the name or reference; catalog_query finds entities by kind, owner or text.',
  FORBIDDEN: () => 'The token in use lacks that scope; ask an operator for a token that has it.',
  UNAUTHENTICATED: () => 'Connect with a valid token.',
  CONFLICT: () => 'Read the current state and retry with input that takes it into account.',
  APPROVAL_REQUIRED: () => 'This action runs only after an approval; request one instead of calling it directly.',
  INTERNAL: () => 'This is a fault in the portal, not in the input; calling again will not help. Tell the portal operator.',
}

/**
 * A failed tool call as an MCP `isError` result, so the model sees what to fix instead of a protocol error:
 * the error code, the message, each problem with where it is, and the next step. Errors the portal did not
 * anticipate are reported to `onUnexpected` and shown without internals.
 */
export function toolErrorResult(tool: string, error: unknown, { onUnexpected = (failure: unknown) => console.error(`MCP tool ${tool} failed:`, failure) } = {}): CallToolResult {
  if (!(error instanceof PortalError)) {
    onUnexpected(error)
    return errorText(`INTERNAL: ${tool} failed unexpectedly.\n${NEXT_STEP.INTERNAL(tool)}`)
  }
  // Issues the message already spells out are not repeated.
  const issues = error.issues.filter((issue) => !error.message.includes(issue.message))
  const lines = [`${error.code}: ${error.message}`]
  if (issues.length > 0) lines.push('Problems:', ...issues.map((issue) => `- ${issue.path}: ${issue.message}`))
  lines.push(NEXT_STEP[error.code](tool))
  return errorText(lines.join('\n'))
}

function errorText(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] }
}
