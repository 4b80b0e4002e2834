import { createServer, type Server } from 'node:http'

export interface EmbeddingsRequest {
  model: string
  input: string[] | string
  dimensions?: number
  encoding_format?: string
}

export interface FakeEmbeddingsServer {
  url: string
  requests: Array<{ path: string; authorization?: string; body: EmbeddingsRequest }>
  close(): Promise<void>
}

/**
 * A loopback server speaking OpenAI's embeddings API (`POST /v1/embeddings`). Each text gets a vector of
 * `dimensions` (or `answerDimensions`) numbers built from its words, so texts sharing words are similar; every
 * request is recorded so tests can check what the embedder sent.
 */
export async function startFakeEmbeddingsServer({ answerDimensions, status }: { answerDimensions?: number; status?: number } = {}): Promise<FakeEmbeddingsServer> {
  const requests: FakeEmbeddingsServer['requests'] = []
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    if (request.method !== 'POST' || !request.url?.endsWith('/embeddings')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${request.method} ${request.url}` } }))
      return
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EmbeddingsRequest
    requests.push({ path: request.url, authorization: request.headers.authorization, body })
    if (status) {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'the fake was told to fail' } }))
      return
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input]
    const size = answerDimensions ?? body.dimensions ?? 1536
    // Answered in reverse order: clients must place vectors by `index`, not by position.
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: wordVector(text, size) })).reverse()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** A bag-of-words vector: each word adds to the dimension its hash picks. Not normalized (the client must). */
function wordVector(text: string, size: number): number[] {
  const vector = new Array<number>(size).fill(0)
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) {
    let hash = 2166136261
    for (const character of word) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619)
    vector[Math.abs(hash) % size]! += 3
  }
  return vector
}
