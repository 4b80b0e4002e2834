import type { z } from 'zod'
import type { Identity, Scope } from '../core/identity.ts'

export interface ToolAnnotations {
  readOnlyHint: boolean
  destructiveHint: boolean
  idempotentHint: boolean
  openWorldHint: boolean
}

export interface ToolContext {
  identity: Identity
  signal?: AbortSignal
  /** Long tools report progress; surfaces forward it (MCP progress notifications, chat status). */
  reportProgress?: (progress: number, total?: number, message?: string) => void
}

export interface ToolDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  name: string
  title: string
  description: string
  input: Input
  output: Output
  annotations: ToolAnnotations
  scope: Scope
  /** A call needs an approval by someone policy allows before it runs. */
  approval: boolean
  /**
   * For tools that need approval: what a call will do, in words, and the entity it acts on. The approval
   * request shows the summary, and policy decides who may approve from the target's owners and tier.
   */
  describeCall?(input: z.output<Input>): { summary: string; target?: string } | Promise<{ summary: string; target?: string }>
  /** Questions people ask that this tool answers; they teach the offline planner. */
  examples?: string[]
  execute(input: z.output<Input>, context: ToolContext): Promise<z.input<Output>>
  /** A short readable rendering of the output, for text surfaces. */
  render?(output: z.output<Output>): string
}

/** Declares a tool; returns its argument so that the input and output types are inferred. */
export function defineTool<Input extends z.ZodType, Output extends z.ZodType>(definition: ToolDefinition<Input, Output>): ToolDefinition<Input, Output> {
  return definition
}

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false }
