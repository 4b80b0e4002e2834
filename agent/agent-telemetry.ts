import type { Span } from '@opentelemetry/api'
import type { StepResult, ToolSet } from 'ai'
import type { Telemetry } from '../core/telemetry/telemetry.ts'

/**
 * The AI SDK's step callbacks for one agent run: a `chat <model>` span per step (one model call, with the
 * tool calls it asked for), carrying the finish reason, token usage and tool names, and a measurement for
 * /metrics. The steps are children of the run's `invoke_agent` span.
 */
export function agentStepTelemetry(telemetry: Telemetry, model: string) {
  const open = new Map<number, { span: Span; started: number }>()
  return {
    onStepStart({ stepNumber }: { stepNumber: number }) {
      const span = telemetry.startSpan(`chat ${model}`, { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, 'portal.agent.step': stepNumber } })
      open.set(stepNumber, { span, started: performance.now() })
    },
    onStepEnd(step: StepResult<ToolSet>) {
      const entry = open.get(step.stepNumber)
      if (!entry) return
      open.delete(step.stepNumber)
      const toolNames = step.toolCalls.map((call) => call.toolName)
      entry.span.setAttributes({
        'gen_ai.response.model': step.model.modelId,
        'gen_ai.response.finish_reasons': [step.finishReason],
        'portal.agent.tool_calls': toolNames,
        ...(step.usage.inputTokens !== undefined ? { 'gen_ai.usage.input_tokens': step.usage.inputTokens } : {}),
        ...(step.usage.outputTokens !== undefined ? { 'gen_ai.usage.output_tokens': step.usage.outputTokens } : {}),
      })
      entry.span.end()
      telemetry.record({ type: 'agent-step', model, finishReason: step.finishReason, toolCalls: toolNames.length, seconds: (performance.now() - entry.started) / 1000 })
    },
  }
}
