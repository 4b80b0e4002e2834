import { Client } from '@modelcontextprotocol/client'
import { InMemoryTransport } from '@modelcontextprotocol/server'
import type { Identity } from '../../core/identity.ts'
import type { Platform } from '../../platform/create-platform.ts'
import type { CreateMcpServerOptions } from '../create-mcp-server.ts'
import { serveMcpStdio } from '../serve-mcp-stdio.ts'

/** The protocol revisions the server serves: the last handshake-based one and the first per-request one. */
export const PROTOCOL_REVISIONS = ['2025-11-25', '2026-07-28'] as const
export type ProtocolRevision = (typeof PROTOCOL_REVISIONS)[number]

/** Client options that make the SDK client speak `revision`: the 2025 handshake, or pinned to 2026-07-28. */
export function clientOptionsFor(revision: ProtocolRevision) {
  return revision === '2025-11-25' ? {} : { versionNegotiation: { mode: { pin: revision } } }
}

/**
 * An SDK client connected to the portal's MCP server through linked in-memory transports, through the same
 * entry as stdio (`serveMcpStdio`), speaking the given protocol revision.
 */
export async function connectMcpClient(platform: Pick<Platform, 'catalog' | 'tools' | 'approvals'>, identity: Identity, { revision, ...serverOptions }: { revision: ProtocolRevision } & CreateMcpServerOptions): Promise<{ client: Client; close(): Promise<void> }> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  const server = serveMcpStdio(platform, { identity, transport: serverTransport, ...serverOptions })
  const client = new Client({ name: 'portal-test', version: '1.0.0' }, clientOptionsFor(revision))
  await client.connect(clientTransport)
  return {
    client,
    async close() {
      await client.close()
      await server.close()
    },
  }
}
