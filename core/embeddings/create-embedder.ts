import type { PortalConfig } from '../config.ts'
import type { Embedder } from './embedder.ts'
import { LocalEmbedder } from './local-embedder.ts'
import { OpenAiEmbedder } from './openai-embedder.ts'

/** The configured embedder: the local model, an OpenAI-compatible model, or none (full-text search alone). */
export function createEmbedder(config: PortalConfig['embeddings']): Embedder | undefined {
  if (config.model === 'none') return undefined
  if (config.model === 'local') return new LocalEmbedder({ modelDir: config.modelDir })
  return new OpenAiEmbedder({ model: config.model, baseURL: config.baseURL, apiKey: config.apiKey })
}
