import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { InMemoryTransport } from '@modelcontextprotocol/server'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { localOperator } from '../core/identity.ts'
import { serveMcpStdio } from './serve-mcp-stdio.ts'
import { clientOptionsFor, PROTOCOL_REVISIONS } from './testing/connect-mcp-client.ts'
import { openTestPlatform } from './testing/test-platform.ts'

type Json = any
const root = path.resolve(import.meta.dirname, '..')

describe.each(PROTOCOL_REVISIONS)('MCP over stdio, protocol revision %s', (revision) => {
  it('serves a child process: tools, a call, a resource and a prompt, then exits when stdin closes', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', path.join(root, 'mcp-server/testing/stdio-entry.ts')], cwd: root, stderr: 'pipe' })
    let stderr = ''
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)))
    const client = new Client({ name: 'stdio-test', version: '1.0.0' }, clientOptionsFor(revision))
    await client.connect(transport)
    const pid = transport.pid!
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(revision)
      expect(client.getServerVersion()?.name).toBe('next-portal')
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toContain('graph_dependents')
      const result: Json = await client.callTool({ name: 'graph_dependents', arguments: { ref: 'payments-db' } })
      expect(result.structuredContent.ref).toBe('resource:default/payments-db')
      expect(result.structuredContent.owners).toEqual(expect.arrayContaining(['group:default/fraud', 'group:default/payments']))
      const entity: Json = await client.readResource({ uri: 'catalog://group/default/payments' })
      expect(JSON.parse(entity.contents[0].text).spec.profile.displayName).toBe('Payments Team')
      const prompt = await client.getPrompt({ name: 'review-team-costs', arguments: { team: 'fraud' } })
      expect((prompt.messages[0]!.content as Json).text).toContain('group:default/fraud')
    } finally {
      await client.close()
    }
    // The entry closes the platform and exits on its own once stdin is closed.
    await expect.poll(() => isRunning(pid), { timeout: 10_000 }).toBe(false)
    expect(stderr).toBe('')
  }, 60_000)
})

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('serveMcpStdio', () => {
  it('resolves `closed` when the client goes away, so that `portal mcp` can close the platform and exit', async () => {
    const platform = await openTestPlatform()
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
    const server = serveMcpStdio(platform, { identity: localOperator(), transport: serverTransport })
    const client = new Client({ name: 'closing', version: '1.0.0' })
    await client.connect(clientTransport)
    let closed = false
    void server.closed.then(() => (closed = true))
    await client.listTools()
    expect(closed).toBe(false)
    await client.close()
    await expect.poll(() => closed).toBe(true)
    await platform.close()
  })
})
