export { createMcpRoutes, MCP_PATH, PROTECTED_RESOURCE_METADATA_PATH, type McpRoutesOptions } from './create-mcp-routes.ts'
export { createMcpServer, type CreateMcpServerOptions } from './create-mcp-server.ts'
export { serveMcpStdio, type McpStdioServer, type ServeMcpStdioOptions } from './serve-mcp-stdio.ts'
export { createToken, listTokens, revokeToken, verifyToken, type TokenInfo } from '../core/auth/index.ts'
