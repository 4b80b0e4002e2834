import { serve } from '@hono/node-server'
import { Client, InsufficientScopeError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { Hono } from 'hono'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToken, revokeToken } from '../core/auth/api-tokens.ts'
import { READ_SCOPES } from '../core/auth/parse-scopes.ts'
import { SCOPES } from '../core/identity.ts'
import { openTestStore, testEngines, type TestStore } from '../core/testing/test-store.ts'
import type { Platform } from '../platform/create-platform.ts'
import { defineTool } from '../tools/define-tool.ts'
import { createMcpRoutes, type McpRoutesOptions } from './create-mcp-routes.ts'
import { clientOptionsFor, PROTOCOL_REVISIONS, type ProtocolRevision } from './testing/connect-mcp-client.ts'
import { openTestPlatform } from './testing/test-platform.ts'

type Json = any
interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }
const callTool = (name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } })

/** A POST with full control of the headers, Host included (fetch does not let a caller set Host). */
function rawPost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }))
    })
    request.on('error', reject)
    request.end(JSON.stringify(body))
  })
}

/** The portal's MCP routes served by Node on 127.0.0.1 and an OS-chosen port, which the platform config then names. */
async function startServer(platform: Platform, options: McpRoutesOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  let app = new Hono()
  const server = serve({ fetch: (request, env) => app.fetch(request, env), hostname: '127.0.0.1', port: 0 }) as http.Server
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  // The default allowed Host and Origin follow the configured port, as under `portal start`.
  platform.config.port = port
  const controller = new AbortController()
  app = new Hono().route('/', createMcpRoutes(platform, { onError: () => {}, signal: controller.signal, ...options }))
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      controller.abort()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function connect(url: string, revision: ProtocolRevision, token?: string): Promise<Client> {
  const client = new Client({ name: 'http-test', version: '1.0.0' }, clientOptionsFor(revision))
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), token ? { authProvider: { token: async () => token } } : {}))
  return client
}

describe.each(testEngines)('MCP over Streamable HTTP, tokens on %s', (engine) => {
  let test: TestStore
  let platform: Platform
  let server: { url: string; close(): Promise<void> }
  const tokens: Record<string, string> = {}
  const waits: AbortSignal[] = []

  beforeAll(async () => {
    test = await openTestStore(engine)
    platform = await openTestPlatform({ store: test.store })
    platform.tools.register(
      defineTool({
        name: 'test_count',
        title: 'Count',
        description: 'Counts to `to`, reporting progress.',
        input: z.object({ to: z.number().int().min(1).max(5) }),
        output: z.object({ counted: z.number().int() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        scope: 'graph:read',
        approval: false,
        async execute({ to }, context) {
          for (let step = 1; step <= to; step++) context.reportProgress?.(step, to, `counted ${step}`)
          return { counted: to }
        },
      }),
    )
    platform.tools.register(
      defineTool({
        name: 'test_whoami',
        title: 'Who am I',
        description: 'Names the caller.',
        input: z.object({}),
        output: z.object({ subject: z.string() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        scope: 'catalog:read',
        approval: false,
        async execute(_input, context) {
          return { subject: context.identity.subject }
        },
      }),
    )
    platform.tools.register(
      defineTool({
        name: 'test_wait',
        title: 'Wait',
        description: 'Reports progress, then waits until cancelled.',
        input: z.object({}),
        output: z.object({ cancelled: z.boolean() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        scope: 'graph:read',
        approval: false,
        async execute(_input, context) {
          waits.push(context.signal!)
          context.reportProgress?.(1)
          await new Promise((resolve) => context.signal?.addEventListener('abort', resolve, { once: true }))
          return { cancelled: true }
        },
      }),
    )
    tokens.reader = (await createToken(test.store, { name: 'catalog-reader', scopes: ['catalog:read'] })).token
    tokens.operator = (await createToken(test.store, { name: 'operator', scopes: [...SCOPES], subject: 'user:default/ada' })).token
    server = await startServer(platform)
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
    await test?.close()
  })

  it('publishes RFC 9728 protected-resource metadata', async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-protected-resource`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ resource: `${server.url}/mcp`, resource_name: 'NEXT Portal', bearer_methods_supported: ['header'], scopes_supported: [...SCOPES] })
    expect((await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`)).status).toBe(200)
  })

  it('answers a request without a token with 401 and where to find the metadata', async () => {
    const response = await rawPost(`${server.url}/mcp`, INITIALIZE)
    expect(response.status).toBe(401)
    expect(response.headers['www-authenticate']).toBe(`Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource"`)
    expect(JSON.parse(response.body).error_description).toContain('portal token create')
  })

  it('answers a bad token with 401 invalid_token', async () => {
    for (const authorization of ['Bearer np_not-a-token', 'Basic dXNlcjpwYXNz']) {
      const response = await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization })
      expect(response.status).toBe(401)
      expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"$/)
    }
  })

  it.each(PROTOCOL_REVISIONS)('serves a token holder over %s: only the tools its scopes allow', async (revision) => {
    const client = await connect(server.url, revision, tokens.reader)
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(revision)
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(platform.tools.list().filter((tool) => tool.scope === 'catalog:read').map((tool) => tool.name))
      const result: Json = await client.callTool({ name: 'catalog_who_owns', arguments: { ref: 'payments-db' } })
      expect(result.structuredContent.owners[0].ref).toBe('group:default/payments')
      const entity: Json = await client.readResource({ uri: 'catalog://resource/default/payments-db' })
      expect(JSON.parse(entity.contents[0].text).metadata.name).toBe('payments-db')
    } finally {
      await client.close()
    }
  })

  it.each(PROTOCOL_REVISIONS)('streams progress notifications over HTTP (%s)', async (revision) => {
    const client = await connect(server.url, revision, tokens.operator)
    try {
      const progress: Json[] = []
      const result: Json = await client.callTool({ name: 'test_count', arguments: { to: 2 } }, { onprogress: (update) => progress.push(update) })
      expect(result.structuredContent).toEqual({ counted: 2 })
      expect(progress).toEqual([{ progress: 1, total: 2, message: 'counted 1' }, { progress: 2, total: 2, message: 'counted 2' }])
    } finally {
      await client.close()
    }
  })

  it.each(PROTOCOL_REVISIONS)('aborts the tool signal when the client cancels over HTTP (%s)', async (revision) => {
    const client = await connect(server.url, revision, tokens.operator)
    try {
      const controller = new AbortController()
      await expect(client.callTool({ name: 'test_wait', arguments: {} }, { signal: controller.signal, onprogress: () => controller.abort('user cancelled') })).rejects.toThrow()
      await expect.poll(() => waits.at(-1)?.aborted).toBe(true)
    } finally {
      await client.close()
    }
  })

  it.each(PROTOCOL_REVISIONS)('runs every call as its own caller, though callers with the same scopes share server instances (%s)', async (revision) => {
    const grace = (await createToken(test.store, { name: `grace-${revision}`, scopes: ['catalog:read'], subject: 'user:default/grace' })).token
    const linus = (await createToken(test.store, { name: `linus-${revision}`, scopes: ['catalog:read'], subject: 'user:default/linus' })).token
    const clients = await Promise.all([connect(server.url, revision, grace), connect(server.url, revision, linus)])
    try {
      const calls = Array.from({ length: 20 }, (_, turn) => clients[turn % 2]!.callTool({ name: 'test_whoami', arguments: {} }))
      const subjects = (await Promise.all(calls)).map((result: Json) => result.structuredContent.subject)
      expect(subjects).toEqual(Array.from({ length: 20 }, (_, turn) => (turn % 2 === 0 ? 'user:default/grace' : 'user:default/linus')))
    } finally {
      await Promise.all(clients.map((client) => client.close()))
    }
  })

  it('challenges a call the token lacks the scope for: 403 insufficient_scope naming the scope', async () => {
    const response = await rawPost(`${server.url}/mcp`, callTool('graph_dependencies', { ref: 'web' }), { authorization: `Bearer ${tokens.reader}` })
    expect(response.status).toBe(403)
    const challenge = response.headers['www-authenticate']!
    expect(challenge).toMatch(/^Bearer error="insufficient_scope"/)
    expect(challenge).toContain('scope="graph:read"')
    expect(challenge).toContain(`resource_metadata="${server.url}/.well-known/oauth-protected-resource"`)
    expect(challenge).toContain('error_description="tool graph_dependencies needs graph:read; token:catalog-reader does not have it"')
    // A batch asks for every missing scope at once, so that the client steps up once.
    const batch = await rawPost(`${server.url}/mcp`, [callTool('graph_dependencies', { ref: 'web' }), { ...callTool('test_count', { to: 1 }), id: 3 }, { ...callTool('catalog_get_entity', { ref: 'web' }), id: 4 }], { authorization: `Bearer ${tokens.reader}` })
    expect(batch.headers['www-authenticate']).toContain('scope="graph:read"')
  })

  it('surfaces the challenge to the SDK client as InsufficientScopeError', async () => {
    const client = await connect(server.url, '2026-07-28', tokens.reader)
    try {
      const failure = await client.callTool({ name: 'graph_dependents', arguments: { ref: 'payments-db' } }).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(InsufficientScopeError)
      expect((failure as InsufficientScopeError).requiredScope).toBe('graph:read')
    } finally {
      await client.close()
    }
  })

  it('refuses a Host or Origin it was not configured for (DNS rebinding) with 403', async () => {
    const authorization = `Bearer ${tokens.operator}`
    const port = new URL(server.url).port
    expect((await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization, host: `evil.example:${port}` })).status).toBe(403)
    expect((await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization, host: `localhost:${Number(port) + 1}` })).status).toBe(403)
    const badOrigin = await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization, origin: 'http://evil.example' })
    expect(badOrigin.status).toBe(403)
    expect(JSON.parse(badOrigin.body).error.message).toContain('Origin "http://evil.example" is not allowed')
    expect((await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization, origin: 'null' })).status).toBe(403)
    // The hosts and origins allowed by default: loopback on the configured port.
    expect((await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization, host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200)
  })

  it('refuses a revoked token from the next request on', async () => {
    const { token } = await createToken(test.store, { name: 'to-revoke', scopes: ['catalog:read'] })
    const client = await connect(server.url, '2026-07-28', token)
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(0)
      await revokeToken(test.store, 'to-revoke')
      await expect(client.callTool({ name: 'catalog_get_entity', arguments: { ref: 'component:web' } })).rejects.toThrow()
      const response = await rawPost(`${server.url}/mcp`, INITIALIZE, { authorization: `Bearer ${token}` })
      expect(response.status).toBe(401)
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"')
    } finally {
      await client.close()
    }
  })

  describe('anonymous loopback, when the operator turns it on', () => {
    let anonymous: { url: string; close(): Promise<void> }
    beforeAll(async () => {
      anonymous = await startServer(platform, { allowAnonymousLoopback: true })
    })
    afterAll(async () => {
      await anonymous?.close()
    })

    it.each(PROTOCOL_REVISIONS)('serves a tokenless local client with read scopes only (%s)', async (revision) => {
      const client = await connect(anonymous.url, revision)
      try {
        const { tools } = await client.listTools()
        expect(tools.map((tool) => tool.name)).toEqual(platform.tools.list().filter((tool) => READ_SCOPES.includes(tool.scope)).map((tool) => tool.name))
        expect(((await client.callTool({ name: 'graph_dependents', arguments: { ref: 'payments-db' } })) as Json).structuredContent.ref).toBe('resource:default/payments-db')
      } finally {
        await client.close()
      }
    })

    it('still refuses a bad token, and a tokenless caller that is not on loopback', async () => {
      expect((await rawPost(`${anonymous.url}/mcp`, INITIALIZE, { authorization: 'Bearer np_revoked-or-wrong' })).status).toBe(401)
      // Without a Node socket there is no loopback peer to trust.
      const app = createMcpRoutes(platform, { allowAnonymousLoopback: true, allowedHosts: ['example.test'] })
      const response = await app.request('http://example.test/mcp', { method: 'POST', headers: { host: 'example.test', 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(INITIALIZE) })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer resource_metadata="http://example.test/.well-known/oauth-protected-resource"')
      const fromLoopback = createMcpRoutes(platform, { allowAnonymousLoopback: true, allowedHosts: ['example.test'], peerAddress: () => '::ffff:127.0.0.1' })
      expect((await fromLoopback.request('http://example.test/mcp', { method: 'POST', headers: { host: 'example.test', 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(INITIALIZE) })).status).toBe(200)
    })
  })
})
