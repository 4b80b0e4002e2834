import type { Platform } from '../platform/create-platform.ts'
import type { EvalItem, Turn } from './eval-item.ts'
import type { ToolCall } from './scoring.ts'

export interface AskRequest {
  question: string
  thread?: Turn[]
  /** An OpenAI-compatible model id; absent means the offline planner. */
  model?: string
}

export interface AskResult {
  answer: string
  toolCalls: ToolCall[]
  citations: string[]
  approvals: unknown[]
}

/** The agent's entry point (`agent/ask.ts`), injected so that suites run against a fake in tests. */
export type AskFunction = (platform: Platform, request: AskRequest) => Promise<AskResult>

export interface SuiteRunOptions {
  ask: AskFunction
  /** One platform per run, shared by every suite and item. */
  platform: Platform
  model?: string
  /** How many questions are in flight at once. */
  concurrency: number
}

/** A metric's value: a share in [0, 1], or null when no item could be measured. */
export type Metrics = Record<string, number | null>

export interface Failure {
  question: string
  thread?: Turn[]
  /** What went wrong, e.g. `tool selection`, `arguments`, `answer`. */
  reason: string
  expected: unknown
  actual: unknown
}

export interface SuiteRun {
  metrics: Metrics
  failures: Failure[]
}

/**
 * A suite: a data set, a scorer and the thresholds CI holds. `run` must only depend on the items it is given,
 * so that the runner can score the dev and heldout splits separately (the agent's answers are cached across
 * those runs). Thresholds apply to the overall figure; metrics without a threshold are reported only.
 */
export interface Suite {
  name: string
  description: string
  /**
   * The default data set (absolute path). A data-driven suite has none: it generates its own data with known
   * truth, `run` receives no items, and its figures are not split into dev and heldout.
   */
  dataset?: string
  thresholds: Record<string, number>
  /** A suite's own requirement on each item of its data set; returns what is wrong, if anything. */
  check?(item: EvalItem): string | undefined
  run(items: EvalItem[], options: SuiteRunOptions): Promise<SuiteRun>
}

/** Declares a suite; returns its argument, for type inference only. */
export function defineSuite(suite: Suite): Suite {
  return suite
}
