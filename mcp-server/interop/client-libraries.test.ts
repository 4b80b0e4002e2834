// Two MCP client libraries that the portal did not write, each connecting the way its users would: the Vercel
// AI SDK's MCP client (`@ai-sdk/mcp`) over Streamable HTTP, and LangChain's adapters (`@langchain/mcp-adapters`,
// on the v1 `@modelcontextprotocol/sdk` client) over Streamable HTTP and over stdio through `bin/portal.js`.
import { createMCPClient } from '@ai-sdk/mcp'
import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider'
import { MultiServerMCPClient } from '@langchain/mcp-adapters'
import { generateText, stepCountIs } from 'ai'
import { MockLanguageModelV4 } from 'ai/test'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToken } from '../../core/auth/api-tokens.ts'
import type { Scope } from '../../core/identity.ts'
import { openTestStore, type TestStore } from '../../core/testing/test-store.ts'
import type { Platform } from '../../platform/create-platform.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { serveHttp, type RunningServer } from '../../server/serve-http.ts'
import { openTestPlatform } from '../testing/test-platform.ts'

type Json = any
const root = path.resolve(import.meta.dirname, '../..')
const fixture = path.join(root, 'test/fixtures/backstage/all.yaml')
const READER_SCOPES: Scope[] = ['catalog:read', 'graph:read']
const NO_USAGE = { inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: undefined, text: undefined, reasoning: undefined } }

/** The text of MCP or LangChain content blocks, joined. */
const textOf = (content: unknown): string => (typeof content === 'string' ? content : (content as Array<{ text?: string }>).map((block) => block.text ?? '').join('\n'))

let test: TestStore
let platform: Platform
let server: RunningServer
const tokens: Record<'reader' | 'catalogOnly', string> = { reader: '', catalogOnly: '' }
let mcpUrl: string
const toolsFor = (scopes: readonly Scope[]) => platform.tools.list().filter((tool) => scopes.includes(tool.scope)).map((tool) => tool.name)

// The whole portal HTTP app (as `portal start` serves it) on loopback and an OS-chosen port, over SMALL_ORG.
beforeAll(async () => {
  test = await openTestStore('pglite')
  platform = await openTestPlatform({ store: test.store })
  tokens.reader = (await createToken(test.store, { name: 'interop-reader', scopes: READER_SCOPES })).token
  tokens.catalogOnly = (await createToken(test.store, { name: 'interop-catalog', scopes: ['catalog:read'] })).token
  server = await serveHttp(createHttpApp(platform), { port: 0 })
  mcpUrl = `${server.url}/mcp`
})
afterAll(async () => {
  await server?.close()
  await platform?.close()
  await test?.close()
})

describe('@ai-sdk/mcp (Vercel AI SDK) over Streamable HTTP', () => {
  const connect = (token: string, protocolVersionDiscovery = true) =>
    createMCPClient({ transport: { type: 'http', url: mcpUrl, headers: { Authorization: `Bearer ${token}` } }, protocolVersionDiscovery, clientName: 'portal-interop' })

  // With discovery the client probes `server/discover` (2026-07-28); without it, it runs the 2025 initialize handshake.
  it.each([
    ['2026-07-28', true],
    ['2025-11-25', false],
  ] as const)('negotiates %s, turns the tools into AI SDK tools and executes catalog_who_owns', async (revision, discovery) => {
    const client = await connect(tokens.reader, discovery)
    try {
      expect(client.initializeResult.protocolVersion).toBe(revision)
      expect(client.serverInfo.name).toBe('next-portal')
      const tools = await client.tools()
      expect(Object.keys(tools)).toEqual(toolsFor(READER_SCOPES))
      const result: Json = await tools.catalog_who_owns!.execute!({ ref: 'payments-db' }, { toolCallId: 'call-1', messages: [], context: undefined })
      expect(result.isError).toBe(false)
      expect(result.structuredContent.ref).toBe('resource:default/payments-db')
      expect(result.structuredContent.owners.map((owner: Json) => owner.ref)).toEqual(['group:default/payments'])
      expect(result.content[0].text).toContain('owned by Payments Team (group:default/payments)')
    } finally {
      await client.close()
    }
  })

  it("runs in generateText's tool loop: the model sees the portal's schemas and the tool result comes back from the portal", async () => {
    const client = await connect(tokens.reader)
    try {
      const tools = await client.tools()
      const answer: LanguageModelV4GenerateResult = { content: [{ type: 'text', text: 'Payments Team owns it.' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: NO_USAGE, warnings: [] }
      const call: LanguageModelV4GenerateResult = {
        content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'graph_dependents', input: JSON.stringify({ ref: 'payments-db', depth: 2 }) }],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: NO_USAGE,
        warnings: [],
      }
      const model = new MockLanguageModelV4({ doGenerate: [call, answer] })
      const result = await generateText({ model, tools, prompt: 'What breaks if payments-db goes down?', stopWhen: stepCountIs(3) })
      const offered = model.doGenerateCalls[0]!.tools!.find((tool) => tool.name === 'graph_dependents') as Json
      expect(offered.inputSchema).toMatchObject({ type: 'object', required: ['ref'], properties: { ref: { type: 'string' }, depth: { type: 'integer' } } })
      const toolResult: Json = result.steps[0]!.toolResults[0]
      expect(toolResult.toolName).toBe('graph_dependents')
      const direct = await platform.tools.call('graph_dependents', { ref: 'payments-db', depth: 2 }, { identity: { subject: 'test', scopes: new Set(READER_SCOPES) } })
      expect(toolResult.output.structuredContent).toEqual(direct.output)
      expect(result.text).toBe('Payments Team owns it.')
    } finally {
      await client.close()
    }
  })

  it("lists only the token's tools, and surfaces the 403 insufficient_scope for any other", async () => {
    const client = await connect(tokens.catalogOnly)
    try {
      expect(Object.keys(await client.tools())).toEqual(toolsFor(['catalog:read']))
      await expect(client.callTool({ name: 'graph_dependents', arguments: { ref: 'payments-db' } })).rejects.toThrow(/HTTP 403.*insufficient_scope.*graph:read/s)
    } finally {
      await client.close()
    }
  })

  it('returns a tool error as an isError result with the suggestion, and refuses a bad token with 401', async () => {
    const client = await connect(tokens.reader)
    try {
      const result: Json = await client.callTool({ name: 'catalog_who_owns', arguments: { ref: 'paymnts-db' } })
      expect(result.isError).toBe(true)
      expect(textOf(result.content)).toContain('did you mean resource:default/payments-db?')
    } finally {
      await client.close()
    }
    await expect(connect('np_not-a-token')).rejects.toThrow(/HTTP 401.*invalid_token/s)
  })
})

describe('@langchain/mcp-adapters (LangChain) MultiServerMCPClient', () => {
  const overHttp = (token: string) => new MultiServerMCPClient({ mcpServers: { portal: { url: mcpUrl, headers: { Authorization: `Bearer ${token}` }, automaticSSEFallback: false } }, onConnectionError: 'throw' })

  it('over Streamable HTTP with an Authorization header: lists the tools and invokes catalog_who_owns as a tool call', async () => {
    const client = overHttp(tokens.reader)
    try {
      const tools = await client.getTools()
      expect(tools.map((tool) => tool.name)).toEqual(toolsFor(READER_SCOPES))
      const whoOwns = tools.find((tool) => tool.name === 'catalog_who_owns')!
      expect(whoOwns.description).toBe(platform.tools.get('catalog_who_owns').description)
      const message: Json = await whoOwns.invoke({ type: 'tool_call', id: 'call-1', name: 'catalog_who_owns', args: { ref: 'payments-db' } })
      expect(message.status).toBe('success')
      expect(message.tool_call_id).toBe('call-1')
      expect(textOf(message.content)).toContain('owned by Payments Team (group:default/payments)')
      // The structured result travels beside the text, as the artifact.
      const structured = message.artifact.find((item: Json) => item.type === 'mcp_structured_content')
      expect(structured.data.owners.map((owner: Json) => owner.ref)).toEqual(['group:default/payments'])
    } finally {
      await client.close()
    }
  })

  it("validates arguments against the portal's input schema, and raises a tool error with the suggestion", async () => {
    const client = overHttp(tokens.reader)
    try {
      const tools = await client.getTools()
      // depth has maximum 20 in the portal's JSON Schema; LangChain checks it before anything is sent.
      await expect(tools.find((tool) => tool.name === 'graph_dependencies')!.invoke({ ref: 'web', depth: 99 })).rejects.toThrow(/did not match expected schema/)
      expect(textOf(await tools.find((tool) => tool.name === 'graph_dependencies')!.invoke({ ref: 'web', depth: 1 }))).toContain('component:default/web')
      await expect(tools.find((tool) => tool.name === 'catalog_who_owns')!.invoke({ ref: 'paymnts-db' })).rejects.toThrow(/NOT_FOUND: No entity "paymnts-db".*did you mean resource:default\/payments-db/s)
    } finally {
      await client.close()
    }
  })

  it('refuses to connect with a bad token, naming the authentication failure', async () => {
    const client = overHttp('np_not-a-token')
    try {
      await expect(client.getTools()).rejects.toThrow(/Authentication failed.*invalid_token/s)
    } finally {
      await client.close().catch(() => {})
    }
  })

  it('over stdio, starting `node bin/portal.js --catalog <fixture> mcp` as an assistant would', async () => {
    const client = new MultiServerMCPClient({
      mcpServers: { portal: { transport: 'stdio', command: process.execPath, args: [path.join(root, 'bin/portal.js'), '--catalog', fixture, 'mcp'], cwd: root, stderr: 'ignore' } },
      onConnectionError: 'throw',
    })
    try {
      const tools = await client.getTools()
      // stdio runs as the operator: every registry tool.
      // `--catalog` runs without a store, so the tools that need one (cost) are not there.
      expect(tools.map((tool) => tool.name)).toEqual(platform.tools.list().filter((tool) => tool.scope !== 'cost:read').map((tool) => tool.name))
      const message: Json = await tools.find((tool) => tool.name === 'catalog_who_owns')!.invoke({ type: 'tool_call', id: 'call-2', name: 'catalog_who_owns', args: { ref: 'example-website' } })
      expect(textOf(message.content)).toContain('component:default/example-website is owned by guests (group:default/guests)')
      expect(message.artifact.find((item: Json) => item.type === 'mcp_structured_content').data.owners[0].ref).toBe('group:default/guests')
      const dependents = await tools.find((tool) => tool.name === 'graph_dependents')!.invoke({ ref: 'artists-db' })
      expect(textOf(dependents)).toContain('artists-db')
    } finally {
      await client.close()
    }
  }, 60_000)
})

