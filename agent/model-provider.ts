import { createOpenAI } from '@ai-sdk/openai'
import type { LanguageModelV4 } from '@ai-sdk/provider'
import type { Platform } from '../platform/create-platform.ts'
import { OfflinePlannerModel } from './planner/offline-planner-model.ts'

export const OFFLINE_MODEL = 'offline'

export interface ModelSettings {
  /** `offline` (the default) or a model id of the OpenAI-compatible endpoint. */
  model?: string
  apiKey?: string
  baseURL?: string
  fetch?: typeof globalThis.fetch
}

/** The offline planner over this platform's catalog and tools; cached per platform, rebuilt when tools change. */
const planners = new WeakMap<Platform, OfflinePlannerModel>()
export function offlinePlanner(platform: Platform): OfflinePlannerModel {
  let planner = planners.get(platform)
  if (!planner) {
    planner = new OfflinePlannerModel({ index: platform.catalog.index, tools: platform.tools.list() })
    planners.set(platform, planner)
  }
  return planner
}

/** The model to use: an OpenAI-compatible chat model when one is named, else the offline planner. */
export function resolveModel(platform: Platform, { model, apiKey, baseURL, fetch }: ModelSettings): LanguageModelV4 {
  if (!model || model === OFFLINE_MODEL) return offlinePlanner(platform)
  // Chat Completions is the API every OpenAI-compatible server speaks (Ollama, vLLM, Azure, LiteLLM).
  return createOpenAI({ apiKey: apiKey ?? 'not-needed', baseURL, fetch }).chat(model) as unknown as LanguageModelV4
}
