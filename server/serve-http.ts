import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import type { Hono } from 'hono'

export interface RunningServer {
  url: string
  close(): Promise<void>
}

/** Node's listener for the Web-standard app; binds to loopback unless configured otherwise. */
export async function serveHttp(app: Hono, { host = '127.0.0.1', port = 3000 }: { host?: string; port?: number } = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: () => new Promise<void>((done) => (server as Server).close(() => done())),
      })
    }) as Server
    // Longer than clients' and load balancers' idle timeouts, so a client never reuses a socket the server has
    // just closed (a POST on it fails with ECONNRESET and is not retried).
    server.keepAliveTimeout = 65_000
    server.headersTimeout = 66_000
    server.once('error', reject)
  })
}
