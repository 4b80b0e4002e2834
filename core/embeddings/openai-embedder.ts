import { z } from 'zod'
import { PortalError } from '../errors.ts'
import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './embedder.ts'

export interface OpenAiEmbedderOptions {
  model: string
  /** The endpoint's base URL, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseURL?: string
  apiKey?: string
  /** Texts per request. */
  batchSize?: number
  fetch?: typeof globalThis.fetch
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
})

/**
 * Any OpenAI-compatible embeddings endpoint (`POST {baseURL}/embeddings`). The index stores 384 dimensions, so
 * the model is asked for them (`dimensions`, which OpenAI's text-embedding-3 models honour); a model that
 * answers with another size is an error that says so, not a silently broken index.
 */
export class OpenAiEmbedder implements Embedder {
  readonly id: string
  readonly dimensions = EMBEDDING_DIMENSIONS
  private readonly model: string
  private readonly url: string
  private readonly apiKey?: string
  private readonly batchSize: number
  private readonly fetch: typeof globalThis.fetch

  constructor({ model, baseURL = 'https://api.openai.com/v1', apiKey, batchSize = 128, fetch = globalThis.fetch }: OpenAiEmbedderOptions) {
    this.model = model
    this.url = `${baseURL.replace(/\/+$/, '')}/embeddings`
    this.apiKey = apiKey
    this.batchSize = batchSize
    this.fetch = fetch
    this.id = `openai:${model}:${EMBEDDING_DIMENSIONS}`
  }

  async embed(texts: string[], { signal }: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = []
    for (let start = 0; start < texts.length; start += this.batchSize) vectors.push(...(await this.request(texts.slice(start, start + this.batchSize), signal)))
    return vectors
  }

  private async request(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`
    let response: Response
    try {
      response = await this.fetch(this.url, { method: 'POST', headers, signal, body: JSON.stringify({ model: this.model, input, dimensions: this.dimensions, encoding_format: 'float' }) })
    } catch (error) {
      throw new PortalError('INTERNAL', `The embeddings endpoint ${this.url} could not be reached: ${(error as Error).message}`, { cause: error })
    }
    const text = await response.text()
    if (!response.ok) throw new PortalError('INTERNAL', `The embeddings endpoint ${this.url} answered HTTP ${response.status}: ${text.slice(0, 300)}`)
    let parsed: z.infer<typeof responseSchema>
    try {
      parsed = responseSchema.parse(JSON.parse(text))
    } catch (error) {
      throw new PortalError('INTERNAL', `The embeddings endpoint ${this.url} answered something that is not an embeddings response: ${(error as Error).message.slice(0, 300)}`, { cause: error })
    }
    const vectors: Float32Array[] = new Array(input.length)
    for (const item of parsed.data) {
      if (item.index >= input.length) throw new PortalError('INTERNAL', `The embeddings endpoint answered index ${item.index} for ${input.length} inputs`)
      if (item.embedding.length !== this.dimensions) {
        throw new PortalError('INTERNAL', `The embeddings model ${this.model} answered ${item.embedding.length} dimensions; the search index stores ${this.dimensions}. Use a model that accepts the \`dimensions\` parameter (e.g. text-embedding-3-small), or PORTAL_EMBEDDINGS_MODEL=local.`)
      }
      vectors[item.index] = normalize(Float32Array.from(item.embedding))
    }
    if (vectors.some((vector) => vector === undefined) || vectors.length !== input.length) throw new PortalError('INTERNAL', `The embeddings endpoint answered ${parsed.data.length} vectors for ${input.length} inputs`)
    return vectors
  }
}
