import { createMcpHandler, McpServer } from '@modelcontextprotocol/server'
import { z } from 'zod'
import { roundTo, type BenchResult } from './benchmark.ts'

const REVISION = '2026-07-28'

/**
 * What the MCP SDK alone costs per `tools/call`: a server with one tool that echoes its input, its web-standard
 * handler called in this process (no sockets, no HTTP parsing, no auth, no platform), measured in CPU time. A
 * single server process can answer at most a million over that many calls a second, whatever the portal adds.
 */
export async function mcpSdkFloor(calls: number): Promise<BenchResult> {
  const server = new McpServer({ name: 'sdk-floor', version: '1.0.0' })
  server.registerTool('echo', { description: 'Returns its input.', inputSchema: z.object({ ref: z.string() }) }, async ({ ref }) => ({ content: [{ type: 'text', text: ref }] }))
  const handler = createMcpHandler(() => server)
  const call = async (id: number) => {
    const _meta = { 'io.modelcontextprotocol/protocolVersion': REVISION, 'io.modelcontextprotocol/clientInfo': { name: 'portal-bench', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} }
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { ref: `component:default/service-${id}` }, _meta } })
    const headers = { host: '127.0.0.1', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': REVISION, 'mcp-method': 'tools/call', 'mcp-name': 'echo' }
    const response = await handler.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', body, headers }))
    const text = await response.text()
    if (response.status !== 200 || !text.includes(`service-${id}`)) throw new Error(`the SDK floor's call ${id} failed: ${response.status} ${text.slice(0, 200)}`)
  }
  try {
    // Two warm-up rounds: the first calls run unoptimised code.
    for (let id = 0; id < 2 * calls; id++) await call(id)
    const cpuBefore = process.cpuUsage()
    for (let id = 0; id < calls; id++) await call(id)
    const cpu = process.cpuUsage(cpuBefore)
    const cpuMicroseconds = (cpu.user + cpu.system) / calls
    return { revision: REVISION, calls, cpuMicrosecondsPerCall: roundTo(cpuMicroseconds, 1), callsPerSecondPerProcessAtMost: Math.round(1_000_000 / cpuMicroseconds) }
  } finally {
    await handler.close()
  }
}
