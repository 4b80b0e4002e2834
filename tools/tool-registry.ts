import { z } from 'zod'
import { ForbiddenError, InputError, PortalError, issuesFromZod } from '../core/errors.ts'
import { hasScope } from '../core/identity.ts'
import { Telemetry, errorType } from '../core/telemetry/telemetry.ts'
import type { ToolContext, ToolDefinition } from './define-tool.ts'

export interface ToolCallResult {
  output: unknown
  text: string
}

/**
 * The one list of tools. Every surface — MCP, the agent, HTTP, the CLI — adapts this registry; none defines a
 * tool of its own. The registry checks scope, validates input before `execute` and output after it, and
 * converts the schemas to JSON Schema once.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, ToolDefinition>()
  private readonly schemas = new Map<string, { input: Record<string, unknown>; output: Record<string, unknown> }>()
  private readonly telemetry: Telemetry

  constructor({ telemetry = new Telemetry() }: { telemetry?: Telemetry } = {}) {
    this.telemetry = telemetry
  }

  register(...tools: ToolDefinition[]): this {
    for (const tool of tools) {
      if (!/^[a-z][a-z0-9_]{1,63}$/.test(tool.name)) throw new InputError(`Tool name "${tool.name}" must be lower_snake_case`)
      if (this.tools.has(tool.name)) throw new InputError(`Tool "${tool.name}" is registered twice`)
      this.tools.set(tool.name, tool)
      this.schemas.set(tool.name, {
        input: z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>,
        output: z.toJSONSchema(tool.output, { io: 'output' }) as Record<string, unknown>,
      })
    }
    return this
  }

  list(): ToolDefinition[] {
    return [...this.tools.values()]
  }

  get(name: string): ToolDefinition {
    const tool = this.tools.get(name)
    if (!tool) throw new PortalError('NOT_FOUND', `No tool "${name}"; known tools: ${[...this.tools.keys()].join(', ')}`)
    return tool
  }

  jsonSchema(name: string): { input: Record<string, unknown>; output: Record<string, unknown> } {
    this.get(name)
    return this.schemas.get(name)!
  }

  /** Parses input without running: for surfaces that show what a call would do. */
  parseInput(name: string, input: unknown): unknown {
    const parsed = this.get(name).input.safeParse(input ?? {})
    if (!parsed.success) throw new InputError(`Invalid input for ${name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`).join('; ')}`, { issues: issuesFromZod(parsed.error) })
    return parsed.data
  }

  async call(name: string, input: unknown, context: ToolContext): Promise<ToolCallResult> {
    const tool = this.get(name)
    return this.measured(tool, context, false, () => {
      this.checkScope(tool, context)
      if (tool.approval) {
        throw new PortalError('APPROVAL_REQUIRED', `${name} changes things and runs only after an approval; request one instead of calling it directly`)
      }
      return this.invoke(tool, input, context)
    })
  }

  /**
   * Runs a tool that needs approval. Only the approvals service calls this, once a stored request has the
   * approvals policy demands; every other caller goes through `call`, which refuses such tools.
   */
  async runApproved(name: string, input: unknown, context: ToolContext): Promise<ToolCallResult> {
    const tool = this.get(name)
    return this.measured(tool, context, true, () => {
      this.checkScope(tool, context)
      return this.invoke(tool, input, context)
    })
  }

  checkScope(tool: ToolDefinition, context: Pick<ToolContext, 'identity'>): void {
    if (!hasScope(context.identity, tool.scope)) {
      throw new ForbiddenError(`${tool.name} needs the scope ${tool.scope}, which ${context.identity.subject} does not have`)
    }
  }

  /** A span and a measurement for each call, whatever its outcome; the input is not recorded (it may hold secrets). */
  private async measured(tool: ToolDefinition, context: ToolContext, approved: boolean, run: () => Promise<ToolCallResult>): Promise<ToolCallResult> {
    const started = performance.now()
    let outcome = 'ok'
    try {
      return await this.telemetry.span(`execute_tool ${tool.name}`, {
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': tool.name,
          'portal.tool.scope': tool.scope,
          'portal.tool.read_only': tool.annotations.readOnlyHint,
          'portal.tool.approved_run': approved,
          'portal.caller': context.identity.subject,
        },
      }, async (span) => {
        const result = await run()
        span.setAttribute('portal.tool.output_chars', result.text.length)
        return result
      })
    } catch (error) {
      outcome = errorType(error)
      throw error
    } finally {
      this.telemetry.record({ type: 'tool-call', tool: tool.name, outcome, seconds: (performance.now() - started) / 1000 })
    }
  }

  private async invoke(tool: ToolDefinition, input: unknown, context: ToolContext): Promise<ToolCallResult> {
    const parsed = this.parseInput(tool.name, input)
    const raw = await tool.execute(parsed, context)
    const checked = tool.output.safeParse(raw)
    if (!checked.success) {
      throw new PortalError('INTERNAL', `${tool.name} produced output that does not match its schema: ${issuesFromZod(checked.error).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`)
    }
    return { output: checked.data, text: tool.render ? tool.render(checked.data) : JSON.stringify(checked.data, null, 2) }
  }
}
