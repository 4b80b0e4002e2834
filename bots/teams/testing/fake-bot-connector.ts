import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

type Json = any

/** One Bot Connector call as the fake received it. */
export interface ConnectorCall {
  method: string
  path: string
  conversationId: string
  activityId?: string
  authorization?: string
  body?: Json
  status: number
}

export interface PostedActivity {
  id: string
  conversationId: string
  replyToId?: string
  activity: Json
  updates: number
}

export interface TeamsMember {
  id: string
  name: string
  aadObjectId?: string
  email?: string
  userPrincipalName?: string
}

const ACTION_TYPES = new Set(['Action.Execute', 'Action.OpenUrl', 'Action.Submit', 'Action.ShowCard', 'Action.ToggleVisibility'])

/** What Teams refuses to render: an Adaptive Card without a version or body, unknown actions, Execute without a verb. */
function cardProblems(card: Json): string[] {
  const problems: string[] = []
  if (card?.type !== 'AdaptiveCard') problems.push('content.type must be AdaptiveCard')
  if (typeof card?.version !== 'string') problems.push('content.version is required')
  if (!Array.isArray(card?.body)) problems.push('content.body must be an array')
  for (const [index, element] of (card?.body ?? []).entries()) if (typeof element?.type !== 'string') problems.push(`content.body[${index}].type is required`)
  for (const [index, action] of (card?.actions ?? []).entries()) {
    if (!ACTION_TYPES.has(action?.type)) problems.push(`content.actions[${index}].type ${action?.type} is not an action`)
    if (action?.type === 'Action.Execute' && typeof action.verb !== 'string') problems.push(`content.actions[${index}].verb is required`)
    if (action?.type === 'Action.OpenUrl' && !/^https?:\/\//.test(action.url ?? '')) problems.push(`content.actions[${index}].url must be http(s)`)
  }
  return problems
}

function activityProblems(activity: Json): string[] {
  if (typeof activity?.type !== 'string') return ['type is required']
  if (activity.type !== 'message') return []
  const problems: string[] = []
  if (!activity.text && !(activity.attachments?.length > 0)) problems.push('a message needs text or attachments')
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') problems.push(...cardProblems(attachment.content))
  }
  return problems
}

/**
 * The Bot Connector REST API (v3) on loopback for tests: activities sent, replied and updated in
 * conversations, and conversation members (what `TeamsInfo.getMember` reads). It checks what the service
 * checks — activities have a type, messages have text or attachments, Adaptive Cards are well-formed, only
 * activities the bot sent can be updated — and records every call, with its Authorization header.
 */
export class FakeBotConnector {
  readonly calls: ConnectorCall[] = []
  readonly activities: PostedActivity[] = []
  private readonly members: Map<string, TeamsMember>
  private server?: Server
  private sequence = 0
  url = ''

  constructor({ members = [] }: { members?: TeamsMember[] } = {}) {
    this.members = new Map(members.map((member) => [member.id, member]))
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.serve(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(body))
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
    return this
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** What the bot posted in a conversation, oldest first. */
  inConversation(conversationId: string): PostedActivity[] {
    return this.activities.filter((posted) => posted.conversationId === conversationId)
  }

  private async serve(request: IncomingMessage): Promise<{ status: number; body: Json }> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const method = request.method ?? 'GET'
    const path = new URL(request.url ?? '/', 'http://fake').pathname
    const match = /^\/v3\/conversations\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?$/.exec(path)
    const conversationId = match ? decodeURIComponent(match[1]!) : ''
    const id = match?.[3] ? decodeURIComponent(match[3]) : undefined
    let body: Json
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      return this.record({ method, path, conversationId, status: 400 }, { error: { code: 'BadSyntax', message: 'The body is not JSON' } })
    }
    const call = { method, path, conversationId, ...(id ? { activityId: id } : {}), ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), body }
    if (!match) return this.record({ ...call, status: 404 }, { error: { code: 'NotFound', message: `No route ${method} ${path}` } })

    if (match[2] === 'members' && method === 'GET' && id) {
      const member = this.members.get(id)
      return member ? this.record({ ...call, status: 200 }, member) : this.record({ ...call, status: 404 }, { error: { code: 'MemberNotFoundInConversation', message: `${id} is not a member of ${conversationId}` } })
    }
    if (match[2] === 'activities' && (method === 'POST' || method === 'PUT')) {
      const problems = activityProblems(body)
      if (problems.length > 0) return this.record({ ...call, status: 400 }, { error: { code: 'BadArgument', message: problems.join('; ') } })
      if (method === 'PUT') {
        const posted = this.activities.find((candidate) => candidate.id === id && candidate.conversationId === conversationId)
        if (!posted) return this.record({ ...call, status: 404 }, { error: { code: 'ActivityNotFound', message: `No activity ${id} the bot sent in ${conversationId}` } })
        posted.activity = body
        posted.updates += 1
        return this.record({ ...call, status: 200 }, { id })
      }
      // Typing indicators are shown, not kept.
      const newId = `activity-${++this.sequence}`
      if (body.type !== 'typing') this.activities.push({ id: newId, conversationId, ...(id ? { replyToId: id } : {}), activity: body, updates: 0 })
      return this.record({ ...call, status: 200 }, { id: newId })
    }
    return this.record({ ...call, status: 405 }, { error: { code: 'MethodNotAllowed', message: `${method} ${path}` } })
  }

  private record(call: ConnectorCall, body: Json): { status: number; body: Json } {
    this.calls.push(call)
    return { status: call.status, body }
  }
}
