import type { McpServer } from '@modelcontextprotocol/server'

/**
 * Idle MCP server instances for reuse, by key. Over HTTP every exchange needs an instance that is not serving
 * another one, and building one (every tool, resource and prompt registered) costs more than most tool calls;
 * so an instance goes back here when its exchange's transport closes and serves a later exchange with the same
 * key. The key must fix everything an instance was built from (the HTTP routes use the protocol era and the
 * scopes that decide which tools are listed); who calls comes with each request, never with the instance.
 */
export class McpServerPool {
  private readonly idle = new Map<string, McpServer[]>()

  constructor(private readonly maxIdlePerKey = 64) {}

  acquire(key: string, build: () => McpServer): McpServer {
    const server = this.idle.get(key)?.pop() ?? build()
    let released = false
    // The SDK keeps and restores a factory instance's `onclose` around each exchange, and calls it after the
    // transport is gone, so the instance is free to serve again. Both HTTP paths may close twice: count once.
    server.server.onclose = () => {
      if (released) return
      released = true
      const servers = this.idle.get(key) ?? this.idle.set(key, []).get(key)!
      if (servers.length < this.maxIdlePerKey) servers.push(server)
    }
    return server
  }

  /** Idle instances, for tests and metrics. */
  get size(): number {
    let size = 0
    for (const servers of this.idle.values()) size += servers.length
    return size
  }
}
