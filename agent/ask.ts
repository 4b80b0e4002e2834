import { generateText, stepCountIs, type ModelMessage } from 'ai'
import { localOperator, type Identity } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import { agentTools } from './agent-tools.ts'
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
  const result = await answer(platform, { ...options, thread: [...stored, ...(options.thread ?? [])] })
  if (threadId) await platform.conversations.append(threadId, [{ role: 'user', text: question }, { role: 'assistant', text: result.answer, toolCalls: result.toolCalls }])
  return result
}

async function answer(platform: Platform, { question, thread = [], identity = localOperator(), signal, maxSteps = 5, ...given }: AskOptions): Promise<AskResult> {
  // The configured model (PORTAL_MODEL, OPENAI_API_KEY, OPENAI_BASE_URL) unless the caller names another.
  const settings: ModelSettings = { ...platform.config.model, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) }
  const messages: ModelMessage[] = [...thread.map((turn) => ({ role: turn.role, content: turn.text }) as ModelMessage), { role: 'user', content: question }]
  const tools = agentTools(platform.tools, identity)
  // Tools that change things stop the loop with an approval request, signed so that a client cannot forge one.
  const toolApproval = Object.fromEntries(platform.tools.list().filter((tool) => tool.approval).map((tool) => [tool.name, 'user-approval' as const]))
  const run = async (model: ReturnType<typeof resolveModel>) => {
    const result = await generateText({ model, system: AGENT_INSTRUCTIONS, messages, tools, toolApproval, experimental_toolApprovalSecret: platform.config.approvalSecret, stopWhen: stepCountIs(maxSteps), abortSignal: signal, maxRetries: 1 })
    const toolCalls = result.steps.flatMap((step) => step.toolCalls.map((call) => ({ name: call.toolName, input: call.input })))
    const approvals = result.steps.flatMap((step) => step.content.filter((part) => part.type === 'tool-approval-request').map((part) => ({ approvalId: part.approvalId, toolName: part.toolCall.toolName, input: part.toolCall.input })))
    const citations = [...new Set((result.text.match(REF_PATTERN) ?? []).map((ref) => ref.toLowerCase().replace(/\.+$/, '')))].filter((ref) => platform.catalog.index.has(ref))
    return { answer: result.text, toolCalls, citations, approvals }
  }
  const modelName = settings.model && settings.model !== OFFLINE_MODEL ? settings.model : OFFLINE_MODEL
  if (modelName === OFFLINE_MODEL) return { ...(await run(offlinePlanner(platform))), model: OFFLINE_MODEL }
  try {
    return { ...(await run(resolveModel(platform, settings))), model: modelName }
  } catch (error) {
    if (signal?.aborted) throw error
    // An unreachable or failing model must not leave the user without an answer.
    return { ...(await run(offlinePlanner(platform))), model: OFFLINE_MODEL, fallbackReason: `${modelName} failed: ${(error as Error).message}` }
  }
}
