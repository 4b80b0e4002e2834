// The MCP Inspector's CLI (`@modelcontextprotocol/inspector --cli`), the tool people reach for to poke at an MCP
// server, against the portal over stdio and over Streamable HTTP. It runs from node_modules with this Node (no
// npx download), with a private HOME so that it neither reads nor writes the user's ~/.mcp-inspector, and with
// --stored-auth-only so that it never starts an interactive OAuth flow (which would open a browser).
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToken } from '../../core/auth/api-tokens.ts'
import { openTestStore, type TestStore } from '../../core/testing/test-store.ts'
import type { Platform } from '../../platform/create-platform.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { serveHttp, type RunningServer } from '../../server/serve-http.ts'
import { openTestPlatform } from '../testing/test-platform.ts'

type Json = any
const root = path.resolve(import.meta.dirname, '../..')
const fixture = path.join(root, 'test/fixtures/backstage/all.yaml')
const inspector = path.join(root, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js')
const portalStdio = ['--', process.execPath, path.join(root, 'bin/portal.js'), '--catalog', fixture, 'mcp']

let home: string
let test: TestStore
let platform: Platform
let server: RunningServer
let token: string

interface InspectorRun {
  code: number
  /** The one JSON object `--format json` prints: `{"result": ...}` or `{"error": ...}`. */
  output: Json
  stderr: string
}

/** Runs the Inspector CLI with `args`, JSON output, and reads what it printed. */
function inspect(args: string[]): Promise<InspectorRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: home, USERPROFILE: home, MCP_CATALOG_PATH: path.join(home, 'catalog.json'), MCP_CLIENT_CONFIG_PATH: path.join(home, 'client.json'), BROWSER: 'none', NO_COLOR: '1' }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [inspector, '--cli', '--format', 'json', '--connect-timeout', '20000', ...args], { cwd: home, env, timeout: 45_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      const text = (stdout.trim() || stderr.trim().split('\n').at(-1)) ?? ''
      try {
        resolve({ code, output: JSON.parse(text), stderr })
      } catch {
        reject(new Error(`the Inspector printed no JSON (exit ${code}):\nstdout: ${stdout}\nstderr: ${stderr}`))
      }
    })
  })
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'portal-inspector-'))
  test = await openTestStore('pglite')
  platform = await openTestPlatform({ store: test.store })
  token = (await createToken(test.store, { name: 'inspector', scopes: ['catalog:read'] })).token
  server = await serveHttp(createHttpApp(platform), { port: 0 })
})
afterAll(async () => {
  await server?.close()
  await platform?.close()
  await test?.close()
  if (home) await rm(home, { recursive: true, force: true })
})

describe('MCP Inspector CLI over stdio (bin/portal.js --catalog <fixture> mcp)', () => {
  it('lists every registry tool with its schemas and annotations', async () => {
    const { code, output } = await inspect(['--method', 'tools/list', ...portalStdio])
    expect(code).toBe(0)
    const tools: Json[] = output.result.tools
    // `--catalog` runs without a store, so the tools that need one (cost) are not there.
    expect(tools.map((tool) => tool.name)).toEqual(platform.tools.list().filter((tool) => tool.scope !== 'cost:read').map((tool) => tool.name))
    const whoOwns = tools.find((tool) => tool.name === 'catalog_who_owns')
    expect(whoOwns.inputSchema).toEqual(platform.tools.jsonSchema('catalog_who_owns').input)
    expect(whoOwns.outputSchema).toEqual(platform.tools.jsonSchema('catalog_who_owns').output)
    expect(whoOwns.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false })
  })

  it('calls catalog_who_owns and prints the structured result', async () => {
    const { code, output } = await inspect(['--method', 'tools/call', '--tool-name', 'catalog_who_owns', '--tool-args-json', '{"ref":"example-website"}', ...portalStdio])
    expect(code).toBe(0)
    expect(output.result.isError ?? false).toBe(false)
    expect(output.result.structuredContent).toMatchObject({ ref: 'component:default/example-website', owners: [{ ref: 'group:default/guests' }] })
    expect(output.result.content[0].text).toBe('component:default/example-website is owned by guests (group:default/guests); members: guest')
  })
})

describe('MCP Inspector CLI over Streamable HTTP with a bearer token', () => {
  const http = () => ['--transport', 'http', '--server-url', `${server.url}/mcp`, '--stored-auth-only']
  const bearer = () => ['--header', `Authorization: Bearer ${token}`]

  it("lists only the tools the token's scopes allow", async () => {
    const { code, output } = await inspect([...http(), ...bearer(), '--method', 'tools/list'])
    expect(code).toBe(0)
    expect(output.result.tools.map((tool: Json) => tool.name)).toEqual(platform.tools.list().filter((tool) => tool.scope === 'catalog:read').map((tool) => tool.name))
  })

  // legacy: the 2025-11-25 handshake; modern: 2026-07-28, whose results carry the server's identity in _meta.
  it.each([
    ['legacy', undefined],
    ['modern', { name: 'next-portal', title: 'NEXT Portal', version: expect.any(String) }],
  ])('calls catalog_who_owns in the %s protocol era', async (era, serverInfo) => {
    const { code, output } = await inspect([...http(), ...bearer(), '--protocol-era', era, '--method', 'tools/call', '--tool-name', 'catalog_who_owns', '--tool-args-json', '{"ref":"payments-db"}'])
    expect(code).toBe(0)
    expect(output.result.structuredContent.owners.map((owner: Json) => owner.ref)).toEqual(['group:default/payments'])
    expect(output.result._meta?.['io.modelcontextprotocol/serverInfo']).toEqual(serverInfo)
  })

  it('reads an entity resource', async () => {
    const { code, output } = await inspect([...http(), ...bearer(), '--method', 'resources/read', '--uri', 'catalog://resource/default/payments-db'])
    expect(code).toBe(0)
    expect(output.result.contents[0].mimeType).toBe('application/json')
    expect(JSON.parse(output.result.contents[0].text)).toEqual(platform.catalog.index.get('resource:default/payments-db'))
  })

  it('without a token: fails fast with auth_required (no interactive OAuth), naming how to get a token', async () => {
    const { code, output } = await inspect([...http(), '--method', 'tools/list'])
    expect(code).not.toBe(0)
    expect(output.error.code).toBe('auth_required')
    expect(output.error.message).toContain('portal token create')
  })
})
