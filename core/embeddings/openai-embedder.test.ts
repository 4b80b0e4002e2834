import { afterEach, describe, expect, it } from 'vitest'
import { OpenAiEmbedder } from './openai-embedder.ts'
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from './testing/fake-embeddings-server.ts'

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, index) => sum + value * b[index]!, 0)

describe('OpenAiEmbedder', () => {
  let server: FakeEmbeddingsServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('asks the endpoint for 384 dimensions in batches, with the key, and places vectors by index', async () => {
    server = await startFakeEmbeddingsServer()
    const embedder = new OpenAiEmbedder({ model: 'text-embedding-3-small', baseURL: server.url, apiKey: 'sk-test', batchSize: 2 })
    const vectors = await embedder.embed(['payments ledger', 'shipping labels', 'payments ledger service'])
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0]).toMatchObject({ path: '/v1/embeddings', authorization: 'Bearer sk-test', body: { model: 'text-embedding-3-small', input: ['payments ledger', 'shipping labels'], dimensions: 384 } })
    expect(server.requests[1]!.body.input).toEqual(['payments ledger service'])
    expect(vectors.map((vector) => vector.length)).toEqual([384, 384, 384])
    expect(dot(vectors[0]!, vectors[0]!)).toBeCloseTo(1, 5)
    // The fake answers in reverse order; the first text must still be most like the third.
    expect(dot(vectors[0]!, vectors[2]!)).toBeGreaterThan(dot(vectors[0]!, vectors[1]!))
    expect(embedder.id).toBe('openai:text-embedding-3-small:384')
  })

  it('refuses a model that answers another size, saying what to change', async () => {
    server = await startFakeEmbeddingsServer({ answerDimensions: 768 })
    const embedder = new OpenAiEmbedder({ model: 'nomic-embed-text', baseURL: server.url })
    await expect(embedder.embed(['x'])).rejects.toThrow(/answered 768 dimensions; the search index stores 384.*dimensions/)
  })

  it('reports the endpoint status and message when it fails', async () => {
    server = await startFakeEmbeddingsServer({ status: 401 })
    await expect(new OpenAiEmbedder({ model: 'm', baseURL: server.url }).embed(['x'])).rejects.toThrow(/HTTP 401: .*told to fail/)
  })
})
