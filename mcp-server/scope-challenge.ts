import { hasScope, type Identity } from '../core/identity.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'

export interface MissingScopes {
  scopes: string[]
  /** Why, for the challenge's `error_description`: which operation needs which scope. */
  description: string
}

/**
 * The scopes a JSON-RPC body needs that the identity lacks, or undefined. Checked before the SDK sees the
 * request so that a tool the caller is not shown in `tools/list` answers with the MCP authorization spec's
 * scope challenge (HTTP 403, `insufficient_scope`) rather than "tool not found". Every scope a batch needs
 * goes into one challenge, so the client steps up once.
 */
export function missingScopes(body: unknown, identity: Identity, tools: ToolRegistry): MissingScopes | undefined {
  const needs = new Map<string, string>()
  for (const message of Array.isArray(body) ? body : [body]) {
    if (typeof message !== 'object' || message === null || !('method' in message) || !('id' in message)) continue
    const { method, params } = message as { method: unknown; params?: { name?: unknown } }
    let scope: string | undefined
    let operation = String(method)
    if (method === 'tools/call' && typeof params?.name === 'string') {
      const tool = tools.list().find((item) => item.name === params.name)
      scope = tool?.scope
      operation = `tool ${params.name}`
    } else if (method === 'resources/read' || method === 'prompts/get') {
      scope = 'catalog:read'
    }
    if (scope && !hasScope(identity, scope) && !needs.has(scope)) needs.set(scope, operation)
  }
  if (needs.size === 0) return undefined
  const scopes = [...needs.keys()]
  return { scopes, description: `${[...needs].map(([scope, operation]) => `${operation} needs ${scope}`).join(', ')}; ${identity.subject} does not have ${scopes.length > 1 ? 'them' : 'it'}` }
}
