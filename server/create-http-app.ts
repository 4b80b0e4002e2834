import { Hono } from 'hono'
import type { Platform } from '../platform/create-platform.ts'
import { backstageCatalogRoutes } from './backstage-catalog-routes.ts'
import { createMetrics } from './metrics.ts'
import { requestTelemetry } from './request-telemetry.ts'
import { toolRoutes } from './tool-routes.ts'
import { backstageSearchRoutes } from './backstage-search-routes.ts'
import { signalRoutes } from './signal-routes.ts'
import { createMcpRoutes } from '../mcp-server/index.ts'
import { chatRoutes } from '../web-chat/chat-routes.ts'
import { staticRoutes } from '../web-chat/static-routes.ts'
import { createSlackApp, type SlackSurface } from '../bots/slack/index.ts'
import { createTeamsSurface, type TeamsSurface } from '../bots/teams/index.ts'

/** The portal's HTTP surface over Web-standard Request/Response; Node's listener lives in `serve-http.ts`. */
export function createHttpApp(platform: Platform, { signal, slack, teams }: { signal?: AbortSignal; slack?: SlackSurface; teams?: TeamsSurface } = {}): Hono {
  const app = new Hono()
  const metrics = createMetrics(platform)

  app.use(requestTelemetry({ telemetry: platform.telemetry, metrics }))

  app.get('/healthz', (context) => context.json({ status: 'ok' }))
  app.get('/readyz', async (context) => {
    try {
      await platform.store?.query('select 1')
      return context.json({ status: 'ready', entities: platform.catalog.index.size })
    } catch (error) {
      return context.json({ status: 'unavailable', reason: (error as Error).message }, 503)
    }
  })
  app.get('/metrics', async (context) => context.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }))
  app.route('/api/catalog', backstageCatalogRoutes({ catalog: platform.catalog }))
  app.route('/api/tools', toolRoutes({ tools: platform.tools }))
  app.route('/api/search', backstageSearchRoutes({ tools: platform.tools }))
  // Slack in HTTP mode (signed requests); Socket Mode connects from the process instead (see `portal start`).
  const slackRoutes = (slack ?? (platform.config.slack?.mode === 'http' ? createSlackApp(platform) : undefined))?.routes
  if (slackRoutes) app.route('/slack', slackRoutes)
  // Teams (Bot Framework) before the web chat's /api routes, whose cross-site check is for browsers.
  const teamsRoutes = (teams ?? (platform.config.teams ? createTeamsSurface(platform) : undefined))?.routes
  if (teamsRoutes) app.route('/api/messages', teamsRoutes)
  app.route('/api/signals', signalRoutes({ signals: platform.signals, index: platform.catalog.index, token: platform.config.webhookToken, pagerDutySecret: platform.config.pagerDutyWebhookSecret, bus: platform.bus }))
  // The web chat: its API (/api/chat, /api/approvals) and the page at /.
  app.route('/api', chatRoutes(platform))
  app.route('/', staticRoutes())
  // /mcp and /.well-known/oauth-protected-resource; Host, Origin and token checks apply to /mcp only.
  app.route('/', createMcpRoutes(platform, { ...platform.config.mcp, signal }))
  app.notFound((context) => context.json({ error: { name: 'NotFoundError', message: `No route ${context.req.method} ${new URL(context.req.url).pathname}` }, response: { statusCode: 404 } }, 404))
  return app
}
