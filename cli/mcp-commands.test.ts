import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.ts'
import { captureIo, waitForServerUrl } from './testing/capture-io.ts'

const root = path.resolve(import.meta.dirname, '..')
const fixture = path.join(root, 'test/fixtures/backstage/all.yaml')
type Json = any


describe('portal mcp (stdio), as an assistant starts it', () => {
  it('lists and calls the registry tools through bin/portal.js', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(root, 'bin/portal.js'), '--catalog', fixture, 'mcp'], cwd: root, stderr: 'pipe' })
    const client = new Client({ name: 'cli-test', version: '1.0.0' })
    await client.connect(transport)
    try {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['catalog_who_owns', 'graph_dependents']))
      const result: Json = await client.callTool({ name: 'catalog_who_owns', arguments: { ref: 'example-website' } })
      expect(result.structuredContent.owners[0].ref).toBe('group:default/guests')
    } finally {
      await client.close()
    }
  }, 60_000)
})

describe('portal token and /mcp over HTTP', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-token-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('creates a token shown once, which /mcp accepts until it is revoked', async () => {
    const env = { PORTAL_DATA_DIR: directory, PORT: '0', PORTAL_DEMO: 'false' }
    const created = captureIo(env, root)
    expect(await runCli(['token', 'create', '--name', 'laptop', '--scopes', 'catalog:read,graph:read', '--json'], created.io)).toBe(0)
    const { token, scopes } = JSON.parse(created.stdout())
    expect(token).toMatch(/^np_/)
    expect(scopes).toEqual(['catalog:read', 'graph:read'])
    const badScope = captureIo(env, root)
    expect(await runCli(['token', 'create', '--name', 'other', '--scopes', 'catalog:read,root:everything'], badScope.io)).toBe(1)
    expect(badScope.stderr()).toContain('root:everything')

    const controller = new AbortController()
    const server = captureIo(env, root)
    const running = runCli(['start'], server.io, { signal: controller.signal })
    const url = await waitForServerUrl(server.stdout, 600)
    try {
      const anonymous = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer .*resource_metadata=/)
      const client = new Client({ name: 'http-test', version: '1.0.0' })
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
      const { tools } = await client.listTools()
      // Only the tools the token's scopes allow are listed.
      expect(tools.map((tool) => tool.name).sort()).toEqual(['catalog_get_entity', 'catalog_query', 'catalog_validate', 'catalog_who_owns', 'graph_cycles', 'graph_dependencies', 'graph_dependents', 'graph_owned_by', 'graph_parts', 'graph_path', 'migration_report'])
      await client.close()
    } finally {
      controller.abort()
      expect(await running).toBe(0)
    }
    const revoked = captureIo(env, root)
    expect(await runCli(['token', 'revoke', 'laptop'], revoked.io)).toBe(0)
    expect(revoked.stdout()).toContain('Revoked "laptop"')
    const listed = captureIo(env, root)
    await runCli(['token', 'list', '--json'], listed.io)
    expect(JSON.parse(listed.stdout())).toEqual([expect.objectContaining({ name: 'laptop', revokedAt: expect.any(String) })])
  })
})
