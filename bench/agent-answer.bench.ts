import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { streamText, stepCountIs } from 'ai'
import { agentTools } from '../agent/agent-tools.ts'
import { AGENT_INSTRUCTIONS } from '../agent/instructions.ts'
import { offlinePlanner } from '../agent/model-provider.ts'
import { loadConfig } from '../core/config.ts'
import { localOperator } from '../core/identity.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform } from '../platform/create-platform.ts'
import { progress, type BenchResult } from './benchmark.ts'
import { summarizeLatencies } from './latency-summary.ts'

const SINGLE_TOOL = ['who owns checkout-api?', 'what breaks if payments-db goes down?', 'what does the basket depend on?', 'list deprecated apis', 'what does team-search own?']
const MULTI_TOOL = ['what breaks if payments-db goes down and who owns it?', 'who owns payments-db and ledger-db?', 'blast radius of users-db and event-bus']
const ROUNDS = 40

/**
 * The offline planner through the real agent loop (AI SDK streamText with the registry's tools) on the demo
 * organisation: time to the first text token and to the full answer, for one-tool and several-tool questions.
 * Targets: first token under 50 ms, full answer under 300 ms.
 */
export async function agentAnswerBenchmark(): Promise<BenchResult> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-agent-'))
  try {
    await writeDemoOrg(directory)
    const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
    const tools = agentTools(platform, localOperator(), { surface: 'bench' })
    const model = offlinePlanner(platform)
    const measure = async (questions: string[]) => {
      const firstToken: number[] = []
      const full: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        for (const question of questions) {
          const started = performance.now()
          const result = streamText({ model, system: AGENT_INSTRUCTIONS, prompt: question, tools, stopWhen: stepCountIs(5) })
          let first: number | undefined
          for await (const part of result.fullStream) if (part.type === 'text-delta' && first === undefined) first = performance.now() - started
          full.push(performance.now() - started)
          firstToken.push(first ?? Number.NaN)
        }
      }
      return { firstToken: summarizeLatencies(firstToken), fullAnswer: summarizeLatencies(full) }
    }
    // Warm-up: the lexicon and the classifier are built on first use.
    await measure(SINGLE_TOOL.slice(0, 1))
    progress('agent: single-tool questions')
    const single = await measure(SINGLE_TOOL)
    progress('agent: multi-tool questions')
    const multi = await measure(MULTI_TOOL)
    await platform.close()
    return { entities: platform.catalog.index.size, singleTool: single, multiTool: multi, targets: { firstTokenMs: 50, fullAnswerMs: 300 } }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
