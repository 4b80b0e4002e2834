import { CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder'
import { Hono, type Context } from 'hono'
import type { TeamsConfig } from '../../core/config.ts'
import { InputError, PortalError } from '../../core/errors.ts'
import type { Platform } from '../../platform/create-platform.ts'
import { errorResponse } from '../../server/error-response.ts'
import { ApprovalFollowers } from '../approval-followers.ts'
import { approvalCard } from '../cards.ts'
import { adaptiveCardFor, type AdaptiveCard } from './adaptive-cards.ts'
import { teamsBot, type TeamsCardMessage } from './teams-bot.ts'

export interface TeamsSurface {
  /** `POST /` for `/api/messages`. */
  routes: Hono
  /** Resolves when no approval card update is under way. */
  settled(): Promise<void>
  stop(): Promise<void>
}

/** Activities are small; Teams caps a message at about 28 KB. */
const MAX_BODY_BYTES = 1024 * 1024

/**
 * The Teams surface. Its route (`POST /api/messages`) hands Bot Framework activities to the real
 * `CloudAdapter`, which authenticates them (a JWT from the Bot Framework for the configured app id; none in
 * local mode, without an app id) and replies through the Bot Connector at the activity's `serviceUrl`. The
 * adapter speaks Express-like request and response objects; the route translates them from and to Web
 * `Request`/`Response`.
 */
export function createTeamsSurface(platform: Platform, { config = platform.config.teams }: { config?: TeamsConfig } = {}): TeamsSurface {
  if (!config) throw new Error('Teams is not configured: set MICROSOFT_APP_ID (and a password or managed identity), or TEAMS_ENABLED=true for local mode')
  const authentication = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId,
  })
  const adapter = new CloudAdapter(authentication)
  adapter.onTurnError = async (context, error) => {
    console.error('Teams turn failed:', error)
    await context.sendActivity(`Something went wrong while answering: ${error.message}. Try again, or rephrase the question.`)
  }
  const publicUrl = platform.config.mcp.publicUrl?.replace(/\/$/, '')
  const render = { destructive: (tool: string) => platform.tools.get(tool).annotations?.destructiveHint === true, ...(publicUrl ? { publicUrl } : {}) }
  // Approval cards follow their request wherever it is decided: the bot updates them proactively.
  const approvalCards = new ApprovalFollowers<TeamsCardMessage, AdaptiveCard>({
    approvals: platform.approvals,
    bus: platform.bus,
    key: (message) => `${message.reference.conversation?.id}:${message.activityId}`,
    render: (request) => adaptiveCardFor(approvalCard(request), render),
    update: (message, card) =>
      adapter.continueConversationAsync(config.appId ?? '', message.reference, async (context) => {
        await context.updateActivity({ id: message.activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] })
      }),
  })
  const logic = teamsBot(platform, { approvalCards, render })

  const app = new Hono()
  app.post('/', async (context) => {
    // Without an app id nothing proves who sent an activity, nor that its serviceUrl (where the roster, and so
    // people's e-mails, are read) is Microsoft's: local mode is for the Emulator on this machine only.
    if (!config.appId && !isLoopback(peerAddress(context))) return errorResponse(context, new PortalError('FORBIDDEN', 'Teams runs in local mode (TEAMS_ENABLED without MICROSOFT_APP_ID) and answers only callers on loopback; set MICROSOFT_APP_ID to serve Teams'))
    if (Number(context.req.header('content-length') ?? 0) > MAX_BODY_BYTES) return errorResponse(context, new InputError(`The activity is over ${MAX_BODY_BYTES} bytes`))
    const body = await context.req.json().catch(() => undefined)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorResponse(context, new InputError('The body must be a Bot Framework activity as a JSON object', { issues: [{ path: 'body', message: 'expected a JSON object' }] }))
    const reply = new AdapterResponse()
    await adapter.process({ method: 'POST', headers: Object.fromEntries(context.req.raw.headers), body }, reply, logic)
    return reply.toResponse()
  })
  return {
    routes: app,
    settled: () => approvalCards.settled(),
    stop: async () => {
      await approvalCards.settled()
      approvalCards.close()
    },
  }
}

/** The peer's address under `@hono/node-server` (its `env.incoming`); undefined elsewhere. */
function peerAddress(context: Context): string | undefined {
  return (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress
}

// The same test as the MCP server's anonymous-loopback check; adapters do not import each other.
function isLoopback(address: string | undefined): boolean {
  const plain = address?.replace(/^::ffff:/, '')
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain ?? '')
}

/** The response object the adapter writes to, collected into a Web Response. */
class AdapterResponse {
  socket = undefined
  private statusCode = 200
  private readonly headers = new Headers()
  private body: unknown

  status(code: number): this {
    this.statusCode = code
    return this
  }

  header(name: string, value: unknown): this {
    this.headers.set(name, String(value))
    return this
  }

  send(body: unknown): this {
    this.body = body
    return this
  }

  end(): this {
    return this
  }

  toResponse(): Response {
    if (this.body === undefined || this.body === null) return new Response(null, { status: this.statusCode, headers: this.headers })
    if (typeof this.body === 'string') {
      // The adapter sends its authentication and validation failures as plain messages.
      return Response.json({ error: { name: this.statusCode === 401 ? 'AuthenticationError' : 'Error', message: this.body }, response: { statusCode: this.statusCode } }, { status: this.statusCode, headers: this.headers })
    }
    return Response.json(this.body, { status: this.statusCode, headers: this.headers })
  }
}
