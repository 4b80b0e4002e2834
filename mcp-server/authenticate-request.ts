import type { Identity, Scope } from '../core/identity.ts'
import { verifyToken } from '../core/auth/api-tokens.ts'
import type { Queryable } from '../core/store/store.ts'
import { invalidTokenResponse, missingTokenResponse } from './bearer-challenge.ts'

export interface AuthenticateOptions {
  /** Where tokens live; without a store (an in-memory catalog) no token can be valid. */
  store?: Queryable
  resourceMetadataUrl: string
  /** Let requests without a token through, with `anonymousScopes`, when they come from this machine. */
  allowAnonymousLoopback: boolean
  anonymousScopes: readonly Scope[]
  /** The peer's IP address as the listener saw it (never a header a client could write). */
  peerAddress?: string
}

export type Authentication = { identity: Identity; token?: string } | { refusal: Response }

/**
 * Who is calling, from the bearer token; or the 401 to answer with. A token that was sent but is bad is
 * refused even when anonymous loopback is on, so that a revoked token never quietly becomes anonymous.
 */
export async function authenticateRequest(request: Request, { store, resourceMetadataUrl, allowAnonymousLoopback, anonymousScopes, peerAddress }: AuthenticateOptions): Promise<Authentication> {
  const header = request.headers.get('authorization')
  if (header === null || header.trim() === '') {
    if (allowAnonymousLoopback && isLoopback(peerAddress)) return { identity: { subject: 'anonymous-loopback', scopes: new Set(anonymousScopes) } }
    return { refusal: missingTokenResponse(resourceMetadataUrl) }
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) return { refusal: invalidTokenResponse(resourceMetadataUrl, 'The Authorization header must be: Bearer <token>') }
  const token = match[1]!
  const identity = store ? await verifyToken(store, token) : undefined
  if (!identity) return { refusal: invalidTokenResponse(resourceMetadataUrl, 'The token is unknown or revoked') }
  return { identity, token }
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain)
}
