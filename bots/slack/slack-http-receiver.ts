import { verifySlackRequest, type App, type Receiver } from '@slack/bolt'

/** Slack retries a request it did not see acknowledged; an event already taken is not answered twice. */
const REMEMBERED_EVENTS = 2000
/** Slack's limit on a signed request's age (https://docs.slack.dev/authentication/verifying-requests-from-slack). */
const MAX_AGE_SECONDS = 5 * 60
const MAX_BODY_BYTES = 1024 * 1024

type Json = Record<string, any>

/**
 * Bolt's receiver for the portal's own HTTP server: it takes Web `Request`s from the Hono route at
 * `/slack/events`, checks Slack's v0 signature and the timestamp's age (401 otherwise), answers URL
 * verification and SSL checks, and hands everything else to `App.processEvent`. The HTTP answer is whatever
 * the listener acknowledges (Bolt acknowledges events itself, before its listeners run); the work after the
 * acknowledgement goes on in the background and `settled()` waits for it.
 */
export class SlackHttpReceiver implements Receiver {
  private app?: App
  private readonly signingSecret: string
  private readonly now: () => number
  private readonly inFlight = new Set<Promise<void>>()
  private readonly seenEvents = new Set<string>()

  constructor({ signingSecret, now = Date.now }: { signingSecret: string; now?: () => number }) {
    this.signingSecret = signingSecret
    this.now = now
  }

  init(app: App): void {
    this.app = app
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.settled()
  }

  /** Resolves once every event taken so far has been fully handled (replies posted, approvals run). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  async handle(request: Request): Promise<Response> {
    if (!this.app) throw new Error('SlackHttpReceiver.handle was called before the Bolt App was created with it')
    const declaredLength = Number(request.headers.get('content-length') ?? 0)
    if (declaredLength > MAX_BODY_BYTES) return problem(413, `The request body is over ${MAX_BODY_BYTES} bytes`)
    const raw = await request.text()
    // A chunked body carries no length up front.
    if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return problem(413, `The request body is over ${MAX_BODY_BYTES} bytes`)
    const timestamp = Number(request.headers.get('x-slack-request-timestamp'))
    if (!Number.isInteger(timestamp)) return problem(401, 'x-slack-request-timestamp is missing or not a number of seconds')
    if (Math.abs(this.now() / 1000 - timestamp) > MAX_AGE_SECONDS) return problem(401, `x-slack-request-timestamp is more than ${MAX_AGE_SECONDS / 60} minutes from now; the request is stale or replayed`)
    try {
      verifySlackRequest({ signingSecret: this.signingSecret, body: raw, headers: { 'x-slack-signature': request.headers.get('x-slack-signature') ?? '', 'x-slack-request-timestamp': timestamp }, nowMilliseconds: this.now() })
    } catch {
      return problem(401, 'x-slack-signature does not match the body signed with the signing secret (SLACK_SIGNING_SECRET)')
    }

    let body: Json
    try {
      body = parseBody(raw, request.headers.get('content-type') ?? '')
    } catch (error) {
      return problem(400, `The body is neither JSON nor a form with a JSON payload: ${(error as Error).message}`)
    }
    if (body.ssl_check) return new Response(null, { status: 200 })
    if (body.type === 'url_verification') return Response.json({ challenge: body.challenge })
    if (typeof body.event_id === 'string' && this.remember(body.event_id)) return new Response(null, { status: 200 })

    let acknowledge!: (response: Response) => void
    const acknowledged = new Promise<Response>((resolve) => (acknowledge = resolve))
    let done = false
    const ack = async (response?: unknown) => {
      if (done) return
      done = true
      if (response === undefined || response === '') acknowledge(new Response(null, { status: 200 }))
      else if (typeof response === 'string') acknowledge(new Response(response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } }))
      else acknowledge(Response.json(response))
    }
    const retryNum = Number(request.headers.get('x-slack-retry-num'))
    const processing = this.app
      .processEvent({ body, ack, ...(Number.isInteger(retryNum) ? { retryNum } : {}), ...(request.headers.get('x-slack-retry-reason') ? { retryReason: request.headers.get('x-slack-retry-reason')! } : {}) })
      .catch((error: unknown) => {
        console.error('Slack event failed:', error)
        if (!done) {
          done = true
          acknowledge(problem(500, 'The event could not be handled'))
        }
      })
      .finally(() => {
        this.inFlight.delete(processing)
        // Nothing acknowledged and nothing failed: Slack only needs to know the request arrived.
        if (!done) void ack()
      })
    this.inFlight.add(processing)
    return acknowledged
  }

  /** Whether the event was seen before; remembers it otherwise (the oldest are forgotten first). */
  private remember(eventId: string): boolean {
    if (this.seenEvents.has(eventId)) return true
    this.seenEvents.add(eventId)
    if (this.seenEvents.size > REMEMBERED_EVENTS) this.seenEvents.delete(this.seenEvents.values().next().value!)
    return false
  }
}

function parseBody(raw: string, contentType: string): Json {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw)
    const payload = form.get('payload')
    // Interactivity sends one `payload` field with JSON; slash commands send plain fields.
    return payload !== null ? JSON.parse(payload) : Object.fromEntries(form)
  }
  return JSON.parse(raw)
}

function problem(status: number, message: string): Response {
  return Response.json({ error: { name: status === 401 ? 'AuthenticationError' : 'Error', message }, response: { statusCode: status } }, { status })
}
