import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4GenerateResult, LanguageModelV4Prompt, LanguageModelV4StreamPart, LanguageModelV4StreamResult } from '@ai-sdk/provider'
import { randomUUID } from 'node:crypto'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import type { ToolDefinition } from '../../tools/define-tool.ts'
import { linkEntities, resolveMention } from './entity-linker.ts'
import { addresses } from './option-arguments.ts'
import { resolveOrdinals } from './ordinal-references.ts'
import { IntentClassifier } from './intent-classifier.ts'
import { planQuestion, type PlannedCall } from './plan-question.ts'
import { fixFirstStep, fixLead, fixNextStep, isFixRequest, noFitNote } from './fix-request.ts'
import { writeAnswer, type ToolOutcome } from './write-answer.ts'

export interface OfflinePlannerOptions {
  index: CatalogIndex
  tools: ToolDefinition[]
  generateId?: () => string
}

const NO_USAGE = {
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
}

function textOf(content: Array<{ type: string; text?: string }>): string {
  return content.map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('')
}

/** The one remediation request and the one incident the previous turn was about: its call's, or the only one its answer names. */
function previousSubjects(call: PlannedCall | undefined, answer: string): { previousRequestId?: string; previousIncidentId?: string; previousCause?: string } {
  const only = (pattern: RegExp) => {
    const named = new Set(answer.match(pattern)?.map((id) => id.toLowerCase()))
    return named.size === 1 ? [...named][0] : undefined
  }
  const requestId = typeof call?.input.requestId === 'string' ? call.input.requestId : only(/\bapr_[a-z0-9]{6,}\b/gi)
  const incidentId = typeof call?.input.id === 'string' && call.toolName === 'incident_get' ? call.input.id : only(/\binc-[a-z0-9]+(?:-[a-z0-9]+)*\b/gi)
  // The sentence that names the likely cause ends with it: "The likely cause of X's trouble is Pricing (component:…)".
  const causeSentence = /\blikely cause\b.*?(?:\.(?=\s|$)|$)/im.exec(answer)?.[0]
  const cause = causeSentence?.match(/\bcomponent:[a-z0-9._-]+\/[a-z0-9._-]+/gi)?.at(-1)?.toLowerCase()
  return { ...(requestId ? { previousRequestId: requestId } : {}), ...(incidentId ? { previousIncidentId: incidentId } : {}), ...(cause ? { previousCause: cause } : {}) }
}

const REF_PATTERN = /\b(component|api|resource|system|domain|group|user|template):[a-z0-9._-]+\/[a-z0-9._-]+/gi

/**
 * The offline planner as an AI SDK language model: with no network, it reads the conversation, plans tool
 * calls against the live catalog, and once the results are in, writes the answer from them. The agent loop,
 * approvals and streaming are the same code as with a hosted model.
 */
export class OfflinePlannerModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4' as const
  readonly provider = 'next-portal'
  readonly modelId = 'offline-planner'
  readonly supportedUrls = {}
  private readonly index: CatalogIndex
  private readonly tools: Map<string, ToolDefinition>
  private readonly classifier: IntentClassifier
  private readonly generateId: () => string

  constructor({ index, tools, generateId = randomUUID }: OfflinePlannerOptions) {
    this.index = index
    this.tools = new Map(tools.map((tool) => [tool.name, tool]))
    this.classifier = new IntentClassifier(tools)
    this.generateId = generateId
  }

  /** Decides the next step: tool calls for a new question, or the answer once its tool results are in. */
  respond(options: LanguageModelV4CallOptions): { content: LanguageModelV4Content[]; finish: 'tool-calls' | 'stop' } {
    const prompt = options.prompt
    const lastUser = prompt.findLastIndex((message) => message.role === 'user')
    if (lastUser === -1) return { content: [{ type: 'text', text: 'Ask me a question about your software catalog.' }], finish: 'stop' }
    // "What does my team own?": the caller's team, as the system prompt states it (see describeCaller).
    const system = prompt.flatMap((message) => (message.role === 'system' ? [message.content] : [])).join('\n')
    const myTeam = /"My team" means (group:[a-z0-9._-]+\/[a-z0-9._-]*[a-z0-9_-])/i.exec(system)?.[1]
    const asked = textOf(prompt[lastUser]!.content as Array<{ type: string; text?: string }>)
    const teamName = myTeam?.slice(myTeam.indexOf('/') + 1)
    const withTeam = teamName ? asked.replace(/\b(?:my|our) (?:team|group|squad)\b/gi, teamName).replace(/\bwhat do (?:i|we) own\b/gi, `what does ${teamName} own`) : asked
    // "…the second one?" after a list: that entity of the previous answer.
    const previousAnswer = prompt.slice(0, lastUser).findLast((message) => message.role === 'assistant')
    const question = resolveOrdinals(withTeam, previousAnswer ? textOf(previousAnswer.content as Array<{ type: string; text?: string }>) : undefined)
    const after = prompt.slice(lastUser + 1)
    const outcomes = this.outcomes(after)
    // "fix it" after "why is cart failing?": a fresh RCA, then the playbook its finding calls for (approval first).
    const fixing = isFixRequest(question) && this.tools.has('rca_analyze') && this.tools.has('remediation_request')
    if (fixing && outcomes.length > 0) {
      const next = fixNextStep(outcomes, this.index)
      if (next) return { content: [this.toolCall(next)], finish: 'tool-calls' }
    }
    if (outcomes.length > 0) {
      const lead = fixing ? fixLead(outcomes) : undefined
      const answer = writeAnswer(lead?.rest ?? outcomes, this.index, (toolName, output) => {
        const tool = this.tools.get(toolName)
        const parsed = tool?.render ? tool.output.safeParse(output) : undefined
        return parsed?.success ? tool!.render!(parsed.data as never) : undefined
      })
      const note = fixing ? noFitNote(outcomes) : undefined
      const text = [lead?.text, answer.text, note].filter(Boolean).join('\n\n')
      return { content: [{ type: 'text', text }], finish: 'stop' }
    }
    const offered = new Set((options.tools ?? []).map((tool) => tool.name))
    const available = new Map([...this.tools].filter(([name]) => offered.size === 0 || offered.has(name)))
    const history = prompt.slice(0, lastUser)
    if (fixing) {
      const first = fixFirstStep(question, { index: this.index, previousCall: this.previousCall(history, available), previousRefs: this.previousRefs(history) })
      if (first) return { content: [this.toolCall(first)], finish: 'tool-calls' }
      return { content: [{ type: 'text', text: 'What should I fix? Name the service, e.g. "fix cart-service", or ask "why is cart-service failing?" first.' }], finish: 'stop' }
    }
    const previousCall = this.previousCall(history, available)
    // "ok import it then" after a turn about one Backstage address: that address.
    const earlierUrls = new Set(history.slice(-2).flatMap((message) => (message.role === 'user' || message.role === 'assistant' ? addresses(textOf(message.content as Array<{ type: string; text?: string }>)) : [])))
    const previousUrl = earlierUrls.size === 1 ? [...earlierUrls][0] : undefined
    const plan = planQuestion(question, { index: this.index, classifier: this.classifier, tools: available, previousRefs: this.previousRefs(history), previousCall, ...(previousUrl ? { previousUrl } : {}), ...previousSubjects(previousCall, previousAnswer ? textOf(previousAnswer.content as Array<{ type: string; text?: string }>) : '') })
    if (plan.type === 'reply') return { content: [{ type: 'text', text: plan.text }], finish: 'stop' }
    return {
      content: plan.calls.map((call) => this.toolCall(call)),
      finish: 'tool-calls',
    }
  }

  private toolCall(call: PlannedCall): LanguageModelV4Content {
    return { type: 'tool-call' as const, toolCallId: this.generateId(), toolName: call.toolName, input: JSON.stringify(call.input) }
  }

  /** The tool calls made since the question and what they returned. */
  private outcomes(messages: LanguageModelV4Prompt): ToolOutcome[] {
    const calls = new Map<string, { toolName: string; input: Record<string, unknown> }>()
    const outcomes: ToolOutcome[] = []
    for (const message of messages) {
      if (message.role === 'assistant') {
        for (const part of message.content) if (part.type === 'tool-call') calls.set(part.toolCallId, { toolName: part.toolName, input: (typeof part.input === 'string' ? JSON.parse(part.input) : part.input) as Record<string, unknown> })
      }
      if (message.role === 'tool') {
        for (const part of message.content) {
          if (part.type !== 'tool-result') continue
          const call = calls.get(part.toolCallId) ?? { toolName: part.toolName, input: {} }
          const output = part.output
          if (output.type === 'json') outcomes.push({ ...call, output: output.value })
          else if (output.type === 'text') outcomes.push({ ...call, output: output.value })
          else if (output.type === 'error-text') outcomes.push({ ...call, error: output.value })
          else if (output.type === 'error-json') outcomes.push({ ...call, error: JSON.stringify(output.value) })
          else if (output.type === 'execution-denied') outcomes.push({ ...call, error: `not run: ${output.reason ?? 'the approval was denied'}` })
        }
      }
    }
    return outcomes
  }

  /** The call that answered the previous question: recorded in the conversation, or planned again from its text. */
  private previousCall(history: LanguageModelV4Prompt, tools: Map<string, ToolDefinition>): PlannedCall | undefined {
    const previousUser = history.findLastIndex((message) => message.role === 'user')
    if (previousUser === -1) return undefined
    for (const message of history.slice(previousUser + 1).reverse()) {
      if (message.role !== 'assistant') continue
      const call = [...message.content].reverse().find((part) => part.type === 'tool-call')
      if (call && call.type === 'tool-call') return { toolName: call.toolName, input: (typeof call.input === 'string' ? JSON.parse(call.input) : call.input) as Record<string, unknown> }
    }
    const earlier = history.slice(0, previousUser)
    const plan = planQuestion(textOf(history[previousUser]!.content as Array<{ type: string; text?: string }>), { index: this.index, classifier: this.classifier, tools, previousRefs: this.previousRefs(earlier) })
    return plan.type === 'calls' ? plan.calls.at(-1) : undefined
  }

  /** What earlier turns were about, most recent first: tool inputs, then entities named in the questions. */
  private previousRefs(messages: LanguageModelV4Prompt): string[] {
    const refs: string[] = []
    const reversed = [...messages].reverse()
    for (const [position, message] of reversed.entries()) {
      if (message.role === 'assistant') {
        const calls = message.content.filter((part) => part.type === 'tool-call')
        for (const part of calls) {
          const input = (typeof part.input === 'string' ? JSON.parse(part.input) : part.input) as Record<string, unknown>
          for (const value of Object.values(input)) if (typeof value === 'string' && this.index.has(value)) refs.push(value)
        }
        // A thread carried as text alone: what the question before the answer named stands for what the answer was
        // about, as a tool call's input would ("what breaks if legacy-cart-db goes away?" … "and who owns it").
        const asked = reversed[position + 1]
        if (calls.length === 0 && asked?.role === 'user') refs.push(...this.namedIn(textOf(asked.content as Array<{ type: string; text?: string }>)))
        // The entities an earlier answer cites, first the one it was about, then the others ("they" = its owner).
        for (const cited of textOf(message.content as Array<{ type: string; text?: string }>).match(REF_PATTERN) ?? []) if (this.index.has(cited.toLowerCase())) refs.push(cited.toLowerCase())
      }
      if (message.role === 'user') refs.push(...this.namedIn(textOf(message.content as Array<{ type: string; text?: string }>)))
    }
    return [...new Set(refs)]
  }

  private namedIn(text: string): string[] {
    return linkEntities(this.index, text).flatMap((mention) => {
      const resolved = resolveMention(mention, { preferKinds: ['component', 'resource', 'api', 'system', 'group'] }, this.index)
      return resolved && 'ref' in resolved ? [resolved.ref] : []
    })
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { content, finish } = this.respond(options)
    return { content, finishReason: { unified: finish, raw: finish }, usage: NO_USAGE, warnings: [] } as LanguageModelV4GenerateResult
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { content, finish } = this.respond(options)
    const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }]
    for (const part of content) {
      if (part.type === 'text') {
        const id = this.generateId()
        parts.push({ type: 'text-start', id })
        // Sentence by sentence, so a chat surface can show the answer as it comes.
        for (const piece of part.text.match(/[^.!?\n]+[.!?\n]*\s*/g) ?? [part.text]) parts.push({ type: 'text-delta', id, delta: piece })
        parts.push({ type: 'text-end', id })
      } else parts.push(part as LanguageModelV4StreamPart)
    }
    parts.push({ type: 'finish', usage: NO_USAGE, finishReason: { unified: finish, raw: finish } })
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        for (const part of parts) controller.enqueue(part)
        controller.close()
      },
    })
    return { stream }
  }
}
