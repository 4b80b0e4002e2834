import { bearerAuthChallengeResponse, OAuthError, OAuthErrorCode } from '@modelcontextprotocol/server'

/**
 * 401 for a request without a token: `WWW-Authenticate: Bearer resource_metadata="…"`, without an error code
 * (RFC 6750 §3.1: a request that carried no credentials gets none), and a body that says how to get a token.
 */
export function missingTokenResponse(resourceMetadataUrl: string): Response {
  return Response.json(
    { error: 'unauthorized', error_description: 'This endpoint needs a bearer token (Authorization: Bearer np_…). An operator creates one with: portal token create --name <name> --scopes <scopes>' },
    { status: 401, headers: { 'WWW-Authenticate': `Bearer resource_metadata="${resourceMetadataUrl}"` } },
  )
}

/** 401 `error="invalid_token"` for a token that is unknown, malformed or revoked. */
export function invalidTokenResponse(resourceMetadataUrl: string, description: string): Response {
  return bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InvalidToken, description), { resourceMetadataUrl })
}

/** 403 `error="insufficient_scope", scope="…"`: the MCP authorization spec's runtime scope challenge. */
export function insufficientScopeResponse(resourceMetadataUrl: string, scopes: readonly string[], description: string): Response {
  return bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InsufficientScope, description), { requiredScopes: [...scopes], resourceMetadataUrl })
}
