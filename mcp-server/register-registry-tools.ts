import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server'
import { hasScope, type Identity } from '../core/identity.ts'
import type { ToolContext } from '../tools/define-tool.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'
import { registrySchema } from './registry-schema.ts'
import { z } from 'zod'
import { approvalRequested, approvalRequestedSchema, renderApprovalRequested } from '../core/approvals/approval-requested.ts'
import type { Approvals } from '../core/approvals/approvals.ts'
import { toolErrorResult } from './tool-error-result.ts'

/** Who makes a call, and what else cancels it besides the protocol's own cancellation. */
export interface Caller {
  identity: Identity
  signal?: AbortSignal
}

export interface RegistryToolsOptions {
  tools: ToolRegistry
  /** Decides which tools are listed. */
  identity: Identity
  approvals: Approvals
  /** The caller of one call; by default `identity` (a stdio connection). Over HTTP each request brings its own. */
  callerOf?: (context: ServerContext) => Caller
}

/**
 * Every registry tool the identity may call, as an MCP tool: its name, title, description, the registry's
 * JSON Schemas, and its annotations. A call runs through `ToolRegistry.call` (scope, input and output
 * checks) and answers with `structuredContent` plus text; a failure is an `isError` result. Tools that need
 * approval never run here: a call stores an approval request, and the result is that request (so such a tool's
 * output schema over MCP is the request's). Returns the names registered.
 */
export function registerRegistryTools(server: McpServer, { tools, identity, approvals, callerOf = () => ({ identity }) }: RegistryToolsOptions): string[] {
  const registered: string[] = []
  for (const tool of tools.list()) {
    // A caller is shown only what it may call; over HTTP a call to a hidden tool meets a scope challenge first.
    if (!hasScope(identity, tool.scope)) continue
    const schemas = tools.jsonSchema(tool.name)
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: registrySchema(schemas.input),
        outputSchema: registrySchema(tool.approval ? APPROVAL_REQUESTED_SCHEMA : schemas.output),
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (input, context): Promise<CallToolResult> => {
        try {
          const caller = callerOf(context)
          if (tool.approval) {
            const requested = approvalRequested(await approvals.request(tool.name, input, caller.identity, { surface: 'mcp' }))
            return { content: textContent(requested, renderApprovalRequested(requested)), structuredContent: requested as Record<string, unknown> }
          }
          const signal = caller.signal ? AbortSignal.any([context.mcpReq.signal, caller.signal]) : context.mcpReq.signal
          const result = await tools.call(tool.name, input, { identity: caller.identity, signal, reportProgress: progressReporter(context) })
          return { content: textContent(result.output, result.text), structuredContent: result.output as Record<string, unknown> }
        } catch (error) {
          return toolErrorResult(tool.name, error)
        }
      },
    )
    registered.push(tool.name)
  }
  return registered
}

const APPROVAL_REQUESTED_SCHEMA = z.toJSONSchema(approvalRequestedSchema, { io: 'output' }) as Record<string, unknown>

/**
 * The readable rendering first, then the JSON: clients that show the model only `content` (many do, and
 * the spec asks for the serialized structured result for them) still get every field.
 */
function textContent(output: unknown, text: string): CallToolResult['content'] {
  const json = JSON.stringify(output)
  return text === json ? [{ type: 'text', text }] : [{ type: 'text', text }, { type: 'text', text: json }]
}

/** Forwards a tool's progress as `notifications/progress`, only when the caller asked with a progress token. */
function progressReporter(context: ServerContext): ToolContext['reportProgress'] {
  const progressToken = context.mcpReq._meta?.progressToken
  if (progressToken === undefined) return undefined
  return (progress, total, message) => {
    // A call whose exchange has ended reports nothing: its server instance may be serving someone else by now.
    if (context.mcpReq.signal.aborted) return
    const params = { progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) }
    // Progress is advisory: a notification that cannot be delivered must not fail the call.
    context.mcpReq.notify({ method: 'notifications/progress', params }).catch(() => {})
  }
}
