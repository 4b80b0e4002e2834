import { createServer, type IncomingMessage, type Server } from 'node:http'

export interface ChatCompletionRequest {
  model: string
  messages: Array<{ role: string; content?: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }>
  stream?: boolean
}

export type FakeReply = { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } | { text: string } | { status: number; body: unknown }

export interface FakeOpenAiServer {
  url: string
  requests: Array<{ path: string; authorization?: string; body: ChatCompletionRequest }>
  close(): Promise<void>
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * A loopback server speaking OpenAI's Chat Completions API (`POST /v1/chat/completions`, non-streaming and
 * SSE streaming), answering with what `reply` decides for each request, and recording every request so tests
 * can check what the agent sent: the model, the messages and the tool schemas.
 */
export async function startFakeOpenAiServer(reply: (request: ChatCompletionRequest) => FakeReply): Promise<FakeOpenAiServer> {
  const requests: FakeOpenAiServer['requests'] = []
  let counter = 0
  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${request.method} ${request.url}` } }))
      return
    }
    const body = JSON.parse(await readBody(request)) as ChatCompletionRequest
    requests.push({ path: request.url, authorization: request.headers.authorization, body })
    const decision = reply(body)
    if ('status' in decision) {
      response.writeHead(decision.status, { 'content-type': 'application/json' }).end(JSON.stringify(decision.body))
      return
    }
    const id = `chatcmpl-${++counter}`
    const created = Math.floor(Date.now() / 1000)
    const toolCalls = 'toolCalls' in decision ? decision.toolCalls.map((call, index) => ({ id: `call_${counter}_${index}`, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } })) : undefined
    const message = { role: 'assistant', content: 'text' in decision ? decision.text : null, ...(toolCalls ? { tool_calls: toolCalls } : {}) }
    const finishReason = toolCalls ? 'tool_calls' : 'stop'
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      const chunk = (delta: unknown, finish: string | null) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
      response.write(chunk({ role: 'assistant', content: message.content ?? '' , ...(toolCalls ? { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) } : {}) }, null))
      response.write(chunk({}, finishReason))
      response.end('data: [DONE]\n\n')
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, finish_reason: finishReason }], usage }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
