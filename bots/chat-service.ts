import { stepCountIs, streamText } from 'ai'
import type { ApprovalRequested } from '../core/approvals/approval-requested.ts'
import type { Identity, Scope } from '../core/identity.ts'
import type { CatalogIndex } from '../graph/index/catalog-index.ts'
import { normalizeEntityRef } from '../graph/model/entity-ref.ts'
import type { Platform } from '../platform/create-platform.ts'
import { prepareAgentRun } from '../agent/ask.ts'
import { OFFLINE_MODEL, offlinePlanner, resolveModel } from '../agent/model-provider.ts'
import { approvalCard, cardsFor, type Card } from './cards.ts'
import { agentStepTelemetry } from '../agent/agent-telemetry.ts'
import { recordError } from '../core/telemetry/telemetry.ts'

/** What people talking to the portal in chat may do; destructive tools still need an approval by others. */
export const CHAT_SCOPES: readonly Scope[] = ['catalog:read', 'graph:read', 'search:read', 'rca:read', 'cost:read', 'remediation:request', 'audit:read']

/** One part of an answer as it streams: surfaces render text, cards, progress and errors their own way. */
export type ChatPart =
  | { type: 'status'; text: string }
  | { type: 'text'; delta: string }
  | { type: 'card'; card: Card }
  | { type: 'error'; message: string }
  | { type: 'done'; model: string; fallbackReason?: string }

export interface ChatMessage {
  /** web, slack, teams… */
  surface: string
  /** The surface's own thread id; history is kept per surface and thread. */
  threadId: string
  identity: Identity
  text: string
}

/** Who a person on a surface is in the catalog: by reference, user name or email. */
export function resolveChatUser(index: CatalogIndex, { ref, name, email }: { ref?: string; name?: string; email?: string }): string | undefined {
  if (ref) {
    try {
      const normalized = normalizeEntityRef(ref, { defaultKind: 'user' })
      if (normalized.startsWith('user:') && index.has(normalized)) return normalized
    } catch {
      return undefined
    }
  }
  if (name && index.has(`user:default/${name.toLowerCase()}`)) return `user:default/${name.toLowerCase()}`
  if (email) {
    const wanted = email.trim().toLowerCase()
    for (const user of index.refsOfKind('user')) {
      const profile = (index.get(user)?.spec as { profile?: { email?: string } } | undefined)?.profile
      if (profile?.email?.toLowerCase() === wanted) return user
    }
  }
  return undefined
}

/** A person on a chat surface, with the scopes chat grants; `userRef` only when the catalog knows them. */
export function chatIdentity(surface: string, subject: string, userRef: string | undefined): Identity {
  return { subject: `${surface}:${userRef ?? subject}`, ...(userRef ? { userRef } : {}), scopes: new Set(CHAT_SCOPES) }
}

const MAX_STEPS = 5

/**
 * The one chat service behind every surface: it takes (surface, thread, user, text), runs the agent with the
 * thread's stored history, and streams answer text, progress, and cards made from the tool results (an
 * approval request becomes an approval card). Surfaces only render.
 */
export class ChatService {
  constructor(private readonly platform: Platform) {}

  async *handle(message: ChatMessage, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<ChatPart> {
    const { platform } = this
    const threadKey = `${message.surface}:${message.threadId}`
    const history = await platform.conversations.load(threadKey)
    const run = prepareAgentRun(platform, { question: message.text, thread: history, identity: message.identity, surface: message.surface, threadId: threadKey })
    const toolCalls: Array<{ name: string; input: unknown }> = []
    let answer = ''
    let model = run.modelName
    let fallbackReason: string | undefined

    // The run's span is ended by hand: a generator's body does not run inside one callback.
    const span = platform.telemetry.startSpan('invoke_agent next-portal', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'next-portal', 'portal.surface': message.surface, 'portal.agent.history_turns': history.length } })
    const attempt = async function* (this: ChatService, languageModel: ReturnType<typeof resolveModel>, name: string): AsyncGenerator<ChatPart> {
      const result = platform.telemetry.within(span, () => streamText({ model: languageModel, system: run.system, messages: run.messages, tools: run.tools, stopWhen: stepCountIs(MAX_STEPS), abortSignal: signal, maxRetries: 1, onError: () => {}, ...agentStepTelemetry(platform.telemetry, name) }))
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          answer += part.text
          yield { type: 'text', delta: part.text }
        } else if (part.type === 'tool-call') {
          toolCalls.push({ name: part.toolName, input: part.input })
          yield { type: 'status', text: `${platform.tools.get(part.toolName).title}…` }
        } else if (part.type === 'tool-result') {
          const requested = (part.output as Partial<ApprovalRequested> | undefined)?.approvalRequest
          if (requested) yield { type: 'card', card: approvalCard(await platform.approvals.get(requested.id)) }
          else for (const card of cardsFor(platform.catalog.index, part.toolName, part.output, part.toolCallId)) yield { type: 'card', card }
        } else if (part.type === 'error') {
          throw part.error instanceof Error ? part.error : new Error(String(part.error))
        }
      }
    }.bind(this)

    // The span ends however the run ends, also when the surface stops reading early.
    try {
      try {
        if (model === OFFLINE_MODEL) yield* attempt(offlinePlanner(platform), OFFLINE_MODEL)
        else {
          try {
            yield* attempt(resolveModel(platform, run.settings), model)
          } catch (error) {
            if (signal?.aborted || answer !== '' || toolCalls.length > 0) throw error
            // A model that fails before saying anything must not leave the person without an answer.
            fallbackReason = `${model} failed: ${(error as Error).message}`
            model = OFFLINE_MODEL
            yield { type: 'status', text: 'The configured model is unavailable; answering with the offline planner.' }
            yield* attempt(offlinePlanner(platform), OFFLINE_MODEL)
          }
        }
      } catch (error) {
        recordError(span, error)
        if (signal?.aborted) return
        yield { type: 'error', message: `Something went wrong while answering: ${(error as Error).message}. Try again, or rephrase the question.` }
        return
      }
      span.setAttributes({ 'gen_ai.request.model': model, 'portal.agent.tool_calls': toolCalls.map((call) => call.name), ...(fallbackReason ? { 'portal.agent.fallback_reason': fallbackReason } : {}) })
      await platform.conversations.append(threadKey, [{ role: 'user', text: message.text }, { role: 'assistant', text: answer, toolCalls }])
      yield { type: 'done', model, ...(fallbackReason ? { fallbackReason } : {}) }
    } finally {
      span.end()
    }
  }
}
