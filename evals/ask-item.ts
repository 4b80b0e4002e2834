import type { Platform } from '../platform/create-platform.ts'
import type { EvalItem } from './eval-item.ts'
import type { AskFunction, AskResult } from './suite.ts'

export type AskOutcome = { ok: true; result: AskResult } | { ok: false; error: string }

/** Asks one item's question (with its thread); an agent that throws is an item that fails, not a crashed run. */
export async function askItem(ask: AskFunction, platform: Platform, item: EvalItem, model?: string): Promise<AskOutcome> {
  try {
    const result = await ask(platform, { question: item.question, ...(item.thread ? { thread: item.thread } : {}), ...(model ? { model } : {}) })
    return { ok: true, result: { ...result, answer: result.answer ?? '', toolCalls: result.toolCalls ?? [] } }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

/** The first characters of an answer, for failure reports. */
export function excerpt(text: string, length = 600): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`
}
