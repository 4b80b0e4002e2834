import { jsonSchema, tool, type ToolSet } from 'ai'
import { approvalRequested } from '../core/approvals/approval-requested.ts'
import type { Approvals, RequestOrigin } from '../core/approvals/approvals.ts'
import type { Identity } from '../core/identity.ts'
import { PortalError } from '../core/errors.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'

/**
 * The registry as AI SDK tools: one adapter, no tool defined here. Errors become tool errors the model reads.
 * A tool that needs approval never runs here: calling it stores an approval request (who asked, where, what
 * exactly) that people allowed by policy decide on, on any surface.
 */
export function agentTools({ tools: registry, approvals }: { tools: ToolRegistry; approvals: Approvals }, identity: Identity, origin: RequestOrigin): ToolSet {
  const tools: ToolSet = {}
  for (const definition of registry.list()) {
    tools[definition.name] = tool({
      description: definition.description,
      inputSchema: jsonSchema(registry.jsonSchema(definition.name).input as never),
      execute: async (input: unknown, { abortSignal }: { abortSignal?: AbortSignal }) => {
        try {
          if (definition.approval) return approvalRequested(await approvals.request(definition.name, input, identity, origin))
          return (await registry.call(definition.name, input, { identity, signal: abortSignal })).output
        } catch (error) {
          // The model sees what was wrong and can correct itself or tell the user.
          if (error instanceof PortalError) throw new Error(`${error.code}: ${error.message}${error.issues.length ? ` (${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')})` : ''}`)
          throw error
        }
      },
    } as never)
  }
  return tools
}
