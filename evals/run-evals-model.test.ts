import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../agent/testing/fake-openai-server.ts'
import { openDemoPlatform } from './demo-platform.ts'
import { runEvals } from './run-evals.ts'

describe('npm run evals -- --model <id>: the same suites against an OpenAI-compatible endpoint', () => {
  let server: FakeOpenAiServer
  let directory: string
  beforeAll(async () => {
    // A faithful fake of Chat Completions with a very small mind: it asks who owns the first name it sees, then
    // answers with the owner the tool returned.
    server = await startFakeOpenAiServer((request) => {
      const toolMessage = request.messages.find((message) => message.role === 'tool')
      if (toolMessage) return { text: `Owned by ${JSON.parse(toolMessage.content as string).owners[0].ref}.` }
      const question = request.messages.findLast((message) => message.role === 'user')!.content as string
      return { toolCalls: [{ name: 'catalog_who_owns', arguments: { ref: /[a-z]+(?:-[a-z]+)+/.exec(question)![0] } }] }
    })
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-evals-model-'))
    await writeFile(
      path.join(directory, 'owners.jsonl'),
      [
        { question: 'who owns checkout-api?', expect: { tools: [{ name: 'catalog_who_owns', input: { ref: 'component:default/checkout-api' } }] }, split: 'dev' },
        { question: 'what does cart-service depend on?', expect: { tools: [{ name: 'graph_dependencies', input: { ref: 'component:default/cart-service' } }] }, split: 'heldout' },
      ].map((item) => JSON.stringify(item)).join('\n'),
    )
  })
  afterAll(async () => {
    await server?.close()
    await rm(directory, { recursive: true, force: true })
  })

  it('runs the routing suite through the model, sending it every tool with its schema, and scores it', async () => {
    const out: string[] = []
    const status = await runEvals(['--suite', 'routing', '--dataset', path.join(directory, 'owners.jsonl'), '--model', 'gpt-test', '--json'], {
      openPlatform: () => openDemoPlatform({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url }),
      stdout: (text) => void out.push(text),
      stderr: () => {},
    })
    const report = JSON.parse(out.join('\n'))
    // The fake answers the ownership question right and the dependency question wrong: half, below the gate.
    expect(report.suites.routing.metrics.toolSelectionAccuracy).toBe(0.5)
    expect(report.suites.routing.bySplit.dev.toolSelectionAccuracy).toBe(1)
    expect(report.suites.routing.bySplit.heldout.toolSelectionAccuracy).toBe(0)
    expect(status).toBe(1)
    expect(server.requests.length).toBe(4)
    for (const request of server.requests) {
      expect(request.body.model).toBe('gpt-test')
      expect(request.body.tools!.map((entry) => entry.function.name)).toEqual(expect.arrayContaining(['catalog_who_owns', 'graph_dependencies', 'graph_dependents']))
      expect(request.body.tools!.find((entry) => entry.function.name === 'graph_dependents')!.function.parameters).toMatchObject({ type: 'object', required: ['ref'] })
    }
  })
})
