import { jsonSchema, tool, type ToolSet } from 'ai'
import type { Identity } from '../core/identity.ts'
import { PortalError } from '../core/errors.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'

/** The registry as AI SDK tools: one adapter, no tool defined here. Errors become tool errors the model reads. */
export function agentTools(registry: ToolRegistry, identity: Identity): ToolSet {
  const tools: ToolSet = {}
  for (const definition of registry.list()) {
    tools[definition.name] = tool({
      description: definition.description,
      inputSchema: jsonSchema(registry.jsonSchema(definition.name).input as never),
      needsApproval: definition.approval,
      execute: async (input: unknown, { abortSignal }: { abortSignal?: AbortSignal }) => {
        try {
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
