import http from 'node:http'

export interface HttpResponse {
  status: number
  body: string
}

/** One request over a keep-alive agent, resolved when the whole body has arrived. */
export function httpRequest(agent: http.Agent, url: string, { method = 'GET', body }: { method?: string; body?: string } = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      response.once('error', reject)
    })
    request.once('error', reject)
    request.end(body)
  })
}
