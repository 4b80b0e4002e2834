import { createUIMessageStream, createUIMessageStreamResponse } from 'ai'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { InputError, issuesFromZod, PortalError } from '../core/errors.ts'
import type { Identity } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import { approvalView } from '../bots/cards.ts'
import { ChatService, chatIdentity, resolveChatUser } from '../bots/chat-service.ts'
import { SUGGESTED_QUESTIONS } from '../bots/suggested-questions.ts'
import { errorResponse } from '../server/error-response.ts'

/** The header the web chat sends with the person chosen in the embedded default's identity picker. */
export const LOCAL_USER_HEADER = 'x-portal-user'


const chatRequestSchema = z.object({
  id: z.string().min(1).max(200),
  messages: z.array(z.object({
    id: z.string().max(200).optional(),
    role: z.enum(['user', 'assistant', 'system']),
    parts: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  })).min(1).max(500),
  trigger: z.enum(['submit-message', 'regenerate-message']).optional(),
})

const decisionSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  reason: z.string().max(1000).optional(),
})

/**
 * The web chat's routes: `/api/chat` speaks the AI SDK UI message stream that `useChat` reads (text, cards as
 * `data-card` parts, progress as transient `data-status` parts), and approvals are read and decided over
 * `/api/approvals/:id`. Who is asking comes from the identity picker (embedded default) or from an operator's
 * auth proxy (PORTAL_WEB_AUTH=proxy), never from the request body.
 */
export function chatRoutes(platform: Platform): Hono {
  const app = new Hono()
  const chat = new ChatService(platform)
  const { mode, userHeader, emailHeader } = platform.config.webAuth
  const { index } = platform.catalog

  /** The person asking, or an error response saying how to sign in. */
  function identityOf(context: Context): Identity {
    if (mode === 'proxy') {
      const name = context.req.header(userHeader)
      const email = context.req.header(emailHeader)
      if (!name && !email) throw new PortalError('UNAUTHENTICATED', `Sign in through your organisation's proxy: the request carries neither ${userHeader} nor ${emailHeader}`)
      const userRef = resolveChatUser(index, { name: name?.replace(/@.*$/, ''), email: email ?? (name?.includes('@') ? name : undefined) })
      return chatIdentity('web', (email ?? name)!, userRef)
    }
    const chosen = context.req.header(LOCAL_USER_HEADER)
    if (!chosen) return chatIdentity('web', 'guest', undefined)
    const userRef = resolveChatUser(index, { ref: chosen })
    if (!userRef) throw new InputError(`${LOCAL_USER_HEADER}: "${chosen}" is not a user in the catalog; pick one from the list`, { issues: [{ path: LOCAL_USER_HEADER, message: 'not a catalog user' }] })
    return chatIdentity('web', chosen, userRef)
  }

  // A page on another site must not be able to chat or approve in someone's name.
  app.use('*', async (context, next) => {
    const origin = context.req.header('origin')
    if (context.req.method !== 'GET' && origin && origin !== 'null') {
      const host = context.req.header('host')
      if (!host || new URL(origin).host !== host) return errorResponse(context, new PortalError('FORBIDDEN', `Requests from ${origin} are not allowed; use the portal's own page`))
    }
    await next()
  })

  app.get('/chat/session', (context) => {
    try {
      const identity = identityOf(context)
      const describe = (ref: string) => {
        const entity = index.get(ref)!
        const profile = (entity.spec as { profile?: { displayName?: string; email?: string } }).profile
        return { ref, name: profile?.displayName ?? entity.metadata.name, email: profile?.email, teams: index.targets(ref, 'memberOf') }
      }
      const users = mode === 'local' ? [...index.refsOfKind('user')].sort().map(describe) : []
      return context.json({ auth: mode, user: identity.userRef ? describe(identity.userRef) : null, users, suggestions: SUGGESTED_QUESTIONS })
    } catch (error) {
      return errorResponse(context, error)
    }
  })

  app.post('/chat', async (context) => {
    let identity: Identity
    let body: z.output<typeof chatRequestSchema>
    try {
      identity = identityOf(context)
      const parsed = chatRequestSchema.safeParse(await context.req.json().catch(() => undefined))
      if (!parsed.success) throw new InputError('Invalid chat request', { issues: issuesFromZod(parsed.error) })
      body = parsed.data
    } catch (error) {
      return errorResponse(context, error)
    }
    const last = body.messages.at(-1)!
    const text = last.parts.filter((part) => part.type === 'text').map((part) => part.text ?? '').join('\n').trim()
    if (last.role !== 'user' || text === '') return errorResponse(context, new InputError('The last message must be a question from the user', { issues: [{ path: `messages.${body.messages.length - 1}`, message: 'expected a user message with text' }] }))
    const signal = context.req.raw.signal
    const stream = createUIMessageStream({
      execute: async ({ writer }) => {
        writer.write({ type: 'start' })
        let textId: string | undefined
        let texts = 0
        for await (const part of chat.handle({ surface: 'web', threadId: body.id, identity, text }, { signal })) {
          if (part.type === 'text') {
            if (!textId) {
              textId = `text-${++texts}`
              writer.write({ type: 'text-start', id: textId })
            }
            writer.write({ type: 'text-delta', id: textId, delta: part.delta })
            continue
          }
          if (textId) {
            writer.write({ type: 'text-end', id: textId })
            textId = undefined
          }
          if (part.type === 'card') writer.write({ type: 'data-card', id: part.card.id, data: part.card })
          else if (part.type === 'status') writer.write({ type: 'data-status', data: { text: part.text }, transient: true })
          else if (part.type === 'error') writer.write({ type: 'error', errorText: part.message })
          else if (part.type === 'done') writer.write({ type: 'finish', messageMetadata: { model: part.model, ...(part.fallbackReason ? { fallbackReason: part.fallbackReason } : {}) } })
        }
        if (textId) writer.write({ type: 'text-end', id: textId })
      },
      onError: (error) => `Something went wrong while answering: ${(error as Error).message}`,
    })
    return createUIMessageStreamResponse({ stream })
  })

  app.get('/approvals/:id', async (context) => {
    try {
      const identity = identityOf(context)
      const request = await platform.approvals.get(context.req.param('id'))
      return context.json({ request: approvalView(request), canDecide: canDecide(request, identity) })
    } catch (error) {
      return errorResponse(context, error)
    }
  })

  app.post('/approvals/:id/decision', async (context) => {
    try {
      const identity = identityOf(context)
      const parsed = decisionSchema.safeParse(await context.req.json().catch(() => undefined))
      if (!parsed.success) throw new InputError('Invalid decision', { issues: issuesFromZod(parsed.error) })
      const request = await platform.approvals.decide({ id: context.req.param('id'), identity, decision: parsed.data.decision, reason: parsed.data.reason, surface: 'web' })
      return context.json({ request: approvalView(request), canDecide: canDecide(request, identity) })
    } catch (error) {
      return errorResponse(context, error)
    }
  })

  return app
}

function canDecide(request: { status: string; approvers: string[]; decisions: Array<{ approver: string }> }, identity: Identity): boolean {
  return request.status === 'pending' && identity.userRef !== undefined && request.approvers.includes(identity.userRef) && !request.decisions.some((decision) => decision.approver === identity.userRef)
}
