import type { Transport } from '@modelcontextprotocol/server'
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio'
import type { Identity } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import { createMcpServer, type CreateMcpServerOptions } from './create-mcp-server.ts'

export interface ServeMcpStdioOptions extends CreateMcpServerOptions {
  /** Who the client acts as. Over stdio the operator who started the process; its scopes decide the tools. */
  identity: Identity
  /** Another transport than this process's stdin and stdout (tests pass an in-memory one). */
  transport?: Transport
  onError?: (error: Error) => void
}

export interface McpStdioServer {
  /** Resolves when the client has gone (stdin closed), so the caller can close the platform and exit. */
  closed: Promise<void>
  close(): Promise<void>
}

/**
 * Serves MCP over stdio for `portal mcp`. The SDK's entry decides the protocol era from the client's first
 * message (a 2025 `initialize` or a 2026-07-28 `server/discover`) and builds the server from the same
 * factory for either. Stdout carries only protocol messages; anything to say goes to stderr.
 */
export function serveMcpStdio(platform: Pick<Platform, 'catalog' | 'tools' | 'approvals'>, { identity, transport = new StdioServerTransport(), onError = (error) => process.stderr.write(`portal mcp: ${error.message}\n`), ...options }: ServeMcpStdioOptions): McpStdioServer {
  const handle = serveStdio(() => createMcpServer(platform, identity, options), { transport, onerror: onError })
  let markClosed!: () => void
  const closed = new Promise<void>((resolve) => (markClosed = resolve))
  // serveStdio owns the transport's onclose; chain after it to learn that the connection ended.
  const ownClose = transport.onclose
  transport.onclose = () => {
    ownClose?.()
    markClosed()
  }
  return {
    closed,
    async close() {
      await handle.close()
      markClosed()
    },
  }
}
