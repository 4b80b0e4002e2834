import { McpServer } from '@modelcontextprotocol/server'
import { hasScope, type Identity } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import packageJson from '../package.json' with { type: 'json' }
import { registerCatalogResources } from './register-catalog-resources.ts'
import { registerPrompts } from './register-prompts.ts'
import { registerRegistryTools, type RegistryToolsOptions } from './register-registry-tools.ts'

export interface CreateMcpServerOptions {
  /** Entities per `resources/list` page. */
  resourcePageSize?: number
  /** Who makes each tool call; by default the identity the server is built for. */
  callerOf?: RegistryToolsOptions['callerOf']
}

const INSTRUCTIONS = `NEXT Portal: the software catalog of this organisation — services, APIs, resources, systems, teams and people — with its dependency graph and docs.
Tools answer who owns what, what depends on what, and what breaks if something goes down; pass entity references such as "checkout" or "component:default/checkout".
Resources: catalog://{kind}/{namespace}/{name} is an entity as JSON; docs://{kind}/{namespace}/{name} its docs.
Prompts: triage-incident, onboard-to-team, review-team-costs.
Actions that change production run only after an approval; they are never run directly.`

/**
 * An MCP server with every registry tool, resource and prompt the identity's scopes allow. A stdio connection
 * gets its own, for its operator; over HTTP instances are reused between requests with the same scopes (see
 * McpServerPool), each call running as the caller its request authenticated (`callerOf`).
 */
export function createMcpServer(platform: Pick<Platform, 'catalog' | 'tools' | 'approvals'>, identity: Identity, { resourcePageSize, callerOf }: CreateMcpServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'next-portal', title: 'NEXT Portal', version: packageJson.version }, { instructions: INSTRUCTIONS })
  const available = registerRegistryTools(server, { tools: platform.tools, identity, approvals: platform.approvals, callerOf })
  // Resources and prompts read the catalog, so they come with the scope that reads it.
  if (hasScope(identity, 'catalog:read')) {
    registerCatalogResources(server, { catalog: platform.catalog, pageSize: resourcePageSize })
    registerPrompts(server, { catalog: platform.catalog, tools: platform.tools, available })
  }
  return server
}
