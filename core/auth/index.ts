export { createToken, hashToken, listTokens, revokeToken, verifyToken, type CreateTokenOptions, type TokenInfo } from './api-tokens.ts'
export { parseScopes, READ_SCOPES } from './parse-scopes.ts'
