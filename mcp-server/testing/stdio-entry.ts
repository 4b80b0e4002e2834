// A child process for the stdio test: serves MCP on this process's stdin and stdout over a platform on
// SMALL_ORG, as the operator, until the client closes stdin. Run with `node --import tsx`.
import { localOperator } from '../../core/identity.ts'
import { serveMcpStdio } from '../serve-mcp-stdio.ts'
import { openTestPlatform } from './test-platform.ts'

const platform = await openTestPlatform()
const server = serveMcpStdio(platform, { identity: localOperator('stdio-test') })
await server.closed
await platform.close()
