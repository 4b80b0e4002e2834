import type { AuthInfo } from '@modelcontextprotocol/server'
import type { Identity } from '../core/identity.ts'

/**
 * The SDK carries a request's authentication as `AuthInfo` from the HTTP entry to the server factory; the
 * portal's identity rides in `extra`, so the factory builds the server for exactly who was authenticated.
 */
export function authInfoFor(identity: Identity, { token = '', resourceMetadataUrl, signal }: { token?: string; resourceMetadataUrl?: string; signal?: AbortSignal } = {}): AuthInfo {
  return { token, clientId: identity.subject, scopes: [...identity.scopes], ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}), extra: { identity, ...(signal ? { signal } : {}) } }
}

/** The HTTP entry's own cancellation of the request, when it tracks one (see InflightCalls). */
export function cancellationOf(authInfo: AuthInfo | undefined): AbortSignal | undefined {
  return authInfo?.extra?.signal as AbortSignal | undefined
}

export function identityOf(authInfo: AuthInfo | undefined): Identity {
  const identity = authInfo?.extra?.identity as Identity | undefined
  // Every request is authenticated before it reaches the SDK; a missing identity is a wiring fault.
  if (!identity) throw new Error('MCP request reached the server without an authenticated identity')
  return identity
}
