export { createEmbedder } from './create-embedder.ts'
export { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './embedder.ts'
export { LocalEmbedder, type LocalEmbedderOptions } from './local-embedder.ts'
export { OpenAiEmbedder, type OpenAiEmbedderOptions } from './openai-embedder.ts'
