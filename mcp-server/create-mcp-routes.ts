import { createMcpHandler, DEFAULT_MAX_REQUEST_BODY_SIZE, isJsonContentType, PROTOCOL_VERSION_META_KEY, readRequestBody, type ServerContext } from '@modelcontextprotocol/server'
import { Hono, type Context } from 'hono'
import { READ_SCOPES } from '../core/auth/parse-scopes.ts'
import { SCOPES, type Scope } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import { authenticateRequest } from './authenticate-request.ts'
import { insufficientScopeResponse } from './bearer-challenge.ts'
import { createMcpServer, type CreateMcpServerOptions } from './create-mcp-server.ts'
import { dnsRebindingRejection, loopbackHosts, loopbackOrigins } from './dns-rebinding-guard.ts'
import { authInfoFor, cancellationOf, identityOf } from './identity-auth-info.ts'
import { InflightCalls, whenAnswered } from './inflight-calls.ts'
import { McpServerPool } from './mcp-server-pool.ts'
import { missingScopes } from './scope-challenge.ts'

export const MCP_PATH = '/mcp'
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource'

export interface McpRoutesOptions extends CreateMcpServerOptions {
  /** `Host` values served; default loopback on the configured port (`127.0.0.1:<port>`, `localhost:<port>`, `[::1]:<port>`). */
  allowedHosts?: readonly string[]
  /** Browser origins allowed; default the same loopback hosts over http. Requests without `Origin` pass. */
  allowedOrigins?: readonly string[]
  /** Serve requests without a token, with `anonymousScopes`, when they come from a loopback address. Off by default. */
  allowAnonymousLoopback?: boolean
  anonymousScopes?: readonly Scope[]
  /** The portal's public base URL when it sits behind a proxy, e.g. `https://portal.example.com`; default the request's own origin. */
  publicUrl?: string
  /** The peer's IP address; default the Node listener's socket (`@hono/node-server`). */
  peerAddress?: (context: Context) => string | undefined
  /** Aborting closes open MCP streams, so that the HTTP server can stop. */
  signal?: AbortSignal
  onError?: (error: Error) => void
}

/**
 * MCP over Streamable HTTP at `/mcp`, and its RFC 9728 protected-resource metadata, as routes to mount at the
 * root of the portal's Hono app. One endpoint serves both protocol revisions: the SDK's `createMcpHandler`
 * answers 2026-07-28 requests (versioned per request) and 2025-11-25 ones (initialize, then stateless), each
 * from a server built for the caller. In front of it, in this order: Host and Origin checks against DNS
 * rebinding (403), bearer-token authentication (401 with a challenge), and the scope challenge for an
 * operation the token may not perform (403 `insufficient_scope`).
 */
export function createMcpRoutes(platform: Pick<Platform, 'config' | 'store' | 'catalog' | 'tools' | 'approvals'>, options: McpRoutesOptions = {}): Hono {
  const {
    allowedHosts,
    allowedOrigins,
    allowAnonymousLoopback = false,
    anonymousScopes = READ_SCOPES,
    publicUrl,
    peerAddress = nodePeerAddress,
    signal,
    onError,
    ...serverOptions
  } = options
  // Instances are reused per protocol era and scope set: the scopes fix which tools are listed, and each call
  // runs as the caller its own request authenticated, cancelled by that request.
  const pool = new McpServerPool()
  const callerOf = (context: ServerContext) => ({ identity: identityOf(context.http?.authInfo), signal: cancellationOf(context.http?.authInfo) })
  const handler = createMcpHandler(
    (context) => {
      const { scopes } = identityOf(context.authInfo)
      const key = `${context.era} ${[...scopes].sort().join(' ')}`
      return pool.acquire(key, () => createMcpServer(platform, { subject: `mcp-http-${context.era}`, scopes }, { ...serverOptions, callerOf }))
    },
    { onerror: onError },
  )
  const inflight = new InflightCalls()
  signal?.addEventListener('abort', () => void handler.close(), { once: true })
  const baseUrl = (request: Request) => (publicUrl ? new URL(publicUrl).origin : new URL(request.url).origin)
  const metadataUrl = (request: Request) => `${baseUrl(request)}${PROTECTED_RESOURCE_METADATA_PATH}`

  const app = new Hono()
  // RFC 9728 puts the document for `<origin>/mcp` at the path-suffixed name; the bare name is what the challenges point to.
  for (const path of [PROTECTED_RESOURCE_METADATA_PATH, `${PROTECTED_RESOURCE_METADATA_PATH}${MCP_PATH}`]) {
    app.get(path, (context) =>
      context.json(
        {
          resource: `${baseUrl(context.req.raw)}${MCP_PATH}`,
          resource_name: 'NEXT Portal',
          bearer_methods_supported: ['header'],
          scopes_supported: [...SCOPES],
        },
        200,
        { 'Access-Control-Allow-Origin': '*' },
      ),
    )
  }

  app.all(MCP_PATH, async (context) => {
    const request = context.req.raw
    // By default loopback on the port this request came in on (the configured one, or the one the OS chose for PORT=0).
    const port = nodeLocalPort(context) ?? platform.config.port
    const rejection = dnsRebindingRejection(request, { allowedHosts: allowedHosts ?? loopbackHosts(port), allowedOrigins: allowedOrigins ?? loopbackOrigins(port) })
    if (rejection) return context.json({ jsonrpc: '2.0', error: { code: -32000, message: `Forbidden: ${rejection}` }, id: null }, 403)

    const authentication = await authenticateRequest(request, { store: platform.store, resourceMetadataUrl: metadataUrl(request), allowAnonymousLoopback, anonymousScopes, peerAddress: peerAddress(context) })
    if ('refusal' in authentication) return authentication.refusal
    const { identity, token } = authentication

    let parsedBody: unknown
    // What the SDK is given: this request, or, once its body has been read here, a copy carrying that body.
    let forwarded = request
    if (request.method === 'POST' && isJsonContentType(request.headers.get('content-type'))) {
      const body = await readRequestBody(request, DEFAULT_MAX_REQUEST_BODY_SIZE)
      if (body.tooLarge) return context.json({ jsonrpc: '2.0', error: { code: -32000, message: `The request body is larger than ${DEFAULT_MAX_REQUEST_BODY_SIZE} bytes` }, id: null }, 413)
      try {
        parsedBody = JSON.parse(body.text)
      } catch {
        // The SDK answers a body it cannot parse with the protocol's own error, so it gets the text again.
        forwarded = new Request(request.url, { method: request.method, headers: request.headers, body: body.text, signal: request.signal })
      }
      const missing = parsedBody === undefined ? undefined : missingScopes(parsedBody, identity, platform.tools)
      if (missing) return insufficientScopeResponse(metadataUrl(request), missing.scopes, missing.description)
    }

    // A 2025-era cancellation names a call that another request is running; reach it through `inflight`. A
    // 2026-07-28 call (its envelope names the revision) is cancelled by closing its own request instead.
    const caller = token ?? identity.subject
    const message = typeof parsedBody === 'object' && parsedBody !== null && !Array.isArray(parsedBody) ? (parsedBody as { id?: unknown; method?: unknown; params?: { requestId?: unknown; reason?: unknown; _meta?: Record<string, unknown> } }) : undefined
    if (message?.method === 'notifications/cancelled') inflight.cancel(caller, message.params?.requestId, message.params?.reason)
    const legacyCall = message?.method === 'tools/call' && message.id !== undefined && message.params?._meta?.[PROTOCOL_VERSION_META_KEY] === undefined
    const call = legacyCall ? inflight.track(caller, message.id) : undefined
    const authInfo = authInfoFor(identity, { token, resourceMetadataUrl: metadataUrl(request), signal: call ? AbortSignal.any([request.signal, call.signal]) : request.signal })
    try {
      const response = await handler.fetch(forwarded, { authInfo, ...(parsedBody !== undefined ? { parsedBody } : {}) })
      return call ? whenAnswered(response, call.release, request.signal) : response
    } catch (error) {
      call?.release()
      throw error
    }
  })
  return app
}

/** The remote address of the socket under `@hono/node-server` (its `env.incoming`); undefined elsewhere. */
function nodeLocalPort(context: Context): number | undefined {
  const env = context.env as { incoming?: { socket?: { localPort?: number } }; server?: { incoming?: { socket?: { localPort?: number } } } } | undefined
  return (env?.server?.incoming ?? env?.incoming)?.socket?.localPort
}

function nodePeerAddress(context: Context): string | undefined {
  const env = context.env as { incoming?: { socket?: { remoteAddress?: string } }; server?: { incoming?: { socket?: { remoteAddress?: string } } } } | undefined
  return (env?.server?.incoming ?? env?.incoming)?.socket?.remoteAddress
}
