import { generateText, stepCountIs, type ModelMessage } from 'ai'
import { localOperator, type Identity } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import type { ApprovalRequested } from '../core/approvals/approval-requested.ts'
import { agentTools } from './agent-tools.ts'
import { agentStepTelemetry } from './agent-telemetry.ts'
import { AGENT_INSTRUCTIONS } from './instructions.ts'
import { OFFLINE_MODEL, offlinePlanner, resolveModel, type ModelSettings } from './model-provider.ts'

export interface Turn {
  role: 'user' | 'assistant'
  text: string
}

export interface AskOptions extends ModelSettings {
  question: string
  /** Earlier turns of the conversation, oldest first, so follow-ups ("and who owns it?") work. */
  thread?: Turn[]
  /** A stored conversation: its history is loaded before and the new turns saved after. */
  threadId?: string
  identity?: Identity
  /** Where the question was asked (web, slack, teams, mcp, cli), recorded on approval requests. */
  surface?: string
  signal?: AbortSignal
  /** At most this many model steps (tool rounds plus the answer). */
  maxSteps?: number
}

/** What `portal ask --json` prints. */
export interface AskResult {
  answer: string
  toolCalls: Array<{ name: string; input: unknown }>
  citations: string[]
  approvals: Array<{ approvalId: string; toolName: string; input: unknown }>
  /** The model that answered; `offline` also when a configured model failed and the planner stepped in. */
  model: string
  fallbackReason?: string
}

const REF_PATTERN = /\b(?:component|api|resource|system|domain|group|user|template|location):[a-z0-9._-]+\/[a-z0-9._-]+/gi

/**
 * Answers one question with the agent loop: the model (offline planner or an OpenAI-compatible one) calls
 * registry tools until it can answer. A configured model that fails falls back to the offline planner.
 */
export async function ask(platform: Platform, options: AskOptions): Promise<AskResult> {
  const { threadId, question } = options
  const stored = threadId ? await platform.conversations.load(threadId) : []
  const result = await platform.telemetry.span('invoke_agent next-portal', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'next-portal', 'portal.surface': options.surface ?? 'cli', 'portal.agent.history_turns': stored.length + (options.thread?.length ?? 0) } }, async (span) => {
    const answered = await answer(platform, { ...options, thread: [...stored, ...(options.thread ?? [])] })
    span.setAttributes({ 'gen_ai.request.model': answered.model, 'portal.agent.tool_calls': answered.toolCalls.map((call) => call.name), 'portal.agent.approvals': answered.approvals.length, ...(answered.fallbackReason ? { 'portal.agent.fallback_reason': answered.fallbackReason } : {}) })
    return answered
  })
  if (threadId) await platform.conversations.append(threadId, [{ role: 'user', text: question }, { role: 'assistant', text: result.answer, toolCalls: result.toolCalls }])
  return result
}

export interface AgentRun {
  system: string
  messages: ModelMessage[]
  tools: ReturnType<typeof agentTools>
  settings: ModelSettings
  /** The configured model's id, or `offline`. */
  modelName: string
}

/**
 * What every agent run needs, streamed (the chat service) or not (`ask`): the conversation, the registry as
 * tools for this caller, who the caller is, and which model answers.
 */
export function prepareAgentRun(platform: Platform, { question, thread = [], identity = localOperator(), surface = 'cli', threadId, ...given }: AskOptions): AgentRun {
  // The configured model (PORTAL_MODEL, OPENAI_API_KEY, OPENAI_BASE_URL) unless the caller names another.
  const { model, apiKey, baseURL, fetch } = given
  const settings: ModelSettings = { ...platform.config.model, ...Object.fromEntries(Object.entries({ model, apiKey, baseURL, fetch }).filter(([, value]) => value !== undefined)) }
  const messages: ModelMessage[] = [...thread.map((turn) => ({ role: turn.role, content: turn.text }) as ModelMessage), { role: 'user', content: question }]
  const modelName = settings.model && settings.model !== OFFLINE_MODEL ? settings.model : OFFLINE_MODEL
  const system = [AGENT_INSTRUCTIONS, describeCaller(platform, identity)].filter(Boolean).join('\n\n')
  return { system, messages, tools: agentTools(platform, identity, { surface, threadId }), settings, modelName }
}

async function answer(platform: Platform, options: AskOptions): Promise<AskResult> {
  const { signal, maxSteps = 5 } = options
  const { system, messages, tools, settings, modelName } = prepareAgentRun(platform, options)
  const run = async (model: ReturnType<typeof resolveModel>, name: string) => {
    const result = await generateText({ model, system, messages, tools, stopWhen: stepCountIs(maxSteps), abortSignal: signal, maxRetries: 1, ...agentStepTelemetry(platform.telemetry, name) })
    const toolCalls = result.steps.flatMap((step) => step.toolCalls.map((call) => ({ name: call.toolName, input: call.input })))
    const approvals = result.steps.flatMap((step) => step.toolResults.flatMap((part) => {
      const request = (part.output as Partial<ApprovalRequested> | undefined)?.approvalRequest
      return request ? [{ approvalId: request.id, toolName: part.toolName, input: request.input }] : []
    }))
    const citations = [...new Set((result.text.match(REF_PATTERN) ?? []).map((ref) => ref.toLowerCase().replace(/\.+$/, '')))].filter((ref) => platform.catalog.index.has(ref))
    return { answer: result.text, toolCalls, citations, approvals }
  }
  if (modelName === OFFLINE_MODEL) return { ...(await run(offlinePlanner(platform), OFFLINE_MODEL)), model: OFFLINE_MODEL }
  try {
    return { ...(await run(resolveModel(platform, settings), modelName)), model: modelName }
  } catch (error) {
    if (signal?.aborted) throw error
    // An unreachable or failing model must not leave the user without an answer.
    return { ...(await run(offlinePlanner(platform), OFFLINE_MODEL)), model: OFFLINE_MODEL, fallbackReason: `${modelName} failed: ${(error as Error).message}` }
  }
}

/** Who is asking, for "my team" and for approvals; from the catalog, so it is data the model can rely on. */
export function describeCaller(platform: Platform, identity: Identity): string | undefined {
  const user = identity.userRef
  if (!user || !platform.catalog.index.has(user)) return undefined
  const groups = platform.catalog.index.targets(user, 'memberOf')
  return `The person asking is ${user}${groups.length ? `, member of ${groups.join(', ')}` : ''}. "My team" means ${groups[0] ?? 'their team'}.`
}
