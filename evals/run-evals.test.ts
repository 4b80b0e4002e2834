import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDemoPlatform, type DemoPlatform } from './demo-platform.ts'
import type { EvalItem } from './eval-item.ts'
import { parseArguments, runEvals, UsageError } from './run-evals.ts'
import { defineSuite, type AskFunction } from './suite.ts'

const ITEMS: EvalItem[] = [
  { question: 'who owns cart-service?', expect: { tools: [{ name: 'catalog_who_owns', input: { ref: 'component:default/cart-service' } }] }, split: 'dev', tags: ['catalog_who_owns'] },
  { question: 'dependencies of order-service, direct only', expect: { tools: [{ name: 'graph_dependencies', input: { ref: 'component:default/order-service', depth: 1 } }] }, split: 'dev', tags: ['graph_dependencies'] },
  { question: 'who owns flux-capacitor?', expect: { tools: [], contains: ['flux-capacitor'] }, split: 'heldout', tags: ['unknown'] },
  { question: 'who owns payments-db and ledger-db?', expect: { tools: [{ name: 'catalog_who_owns', input: { ref: 'resource:default/payments-db' } }, { name: 'catalog_who_owns', input: { ref: 'resource:default/ledger-db' } }] }, split: 'heldout', tags: ['multi-tool'] },
]

/** An agent that does exactly what each item expects, naming entities by their short names. */
const oracle: AskFunction = async (_platform, { question }) => {
  const item = ITEMS.find((candidate) => candidate.question === question)!
  const toolCalls = (item.expect.tools ?? []).map((tool) => ({ name: tool.name, input: { ...tool.input, ...(tool.input?.ref ? { ref: String(tool.input.ref).split('/').pop() } : {}) } }))
  return { answer: `Answer mentioning ${(item.expect.contains ?? []).join(', ')}`, toolCalls, citations: [], approvals: [] }
}

describe('parseArguments', () => {
  it('reads repeatable suites and the options', () => {
    expect(parseArguments(['--suite', 'routing', '--suite=answers', '--split', 'heldout', '--model', 'gpt-x', '--json', '--concurrency', '2'])).toEqual({ suites: ['routing', 'answers'], split: 'heldout', model: 'gpt-x', json: true, concurrency: 2, help: false })
  })

  it('rejects unknown options, bad splits, missing values and bad concurrency', () => {
    expect(() => parseArguments(['--verbose'])).toThrow(UsageError)
    expect(() => parseArguments(['--split', 'test'])).toThrow(/dev, heldout or all/)
    expect(() => parseArguments(['--suite'])).toThrow(/needs a value/)
    expect(() => parseArguments(['--suite', '--json'])).toThrow(/needs a value/)
    expect(() => parseArguments(['--concurrency', '0'])).toThrow(/concurrency/)
  })
})

describe('runEvals', () => {
  let directory: string
  let demo: DemoPlatform
  let dataset: string
  const openPlatform = async () => ({ platform: demo.platform, close: async () => {} })
  const run = async (argv: string[], ask: AskFunction = oracle) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runEvals(argv, { ask, openPlatform, stdout: (text) => out.push(text), stderr: (text) => err.push(text) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'portal-evals-test-'))
    demo = await openDemoPlatform()
    dataset = join(directory, 'small.jsonl')
    await writeFile(dataset, ITEMS.map((item) => JSON.stringify(item)).join('\n') + '\n')
  })
  afterAll(async () => {
    await demo?.close()
    await rm(directory, { recursive: true, force: true })
  })

  it('passes an agent that routes every item right, with figures per split and overall', async () => {
    const { code, out } = await run(['--suite', 'routing', '--dataset', dataset, '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(out)
    expect(report.passed).toBe(true)
    const routing = report.suites.routing
    expect(routing.metrics).toEqual({ toolSelectionAccuracy: 1, argumentAccuracy: 1, answerCheckAccuracy: 1 })
    expect(routing.bySplit.dev).toEqual({ toolSelectionAccuracy: 1, argumentAccuracy: 1, answerCheckAccuracy: null })
    expect(routing.bySplit.heldout).toEqual({ toolSelectionAccuracy: 1, argumentAccuracy: 1, answerCheckAccuracy: 1 })
    expect(routing.thresholds).toEqual({ toolSelectionAccuracy: 0.95, argumentAccuracy: 0.95 })
    expect(routing.failures).toEqual([])
  })

  it('asks each question once however many splits are scored', async () => {
    let calls = 0
    const counting: AskFunction = async (platform, request) => {
      calls++
      return oracle(platform, request)
    }
    await run(['--suite', 'routing', '--dataset', dataset], counting)
    expect(calls).toBe(ITEMS.length)
  })

  it('fails (exit 1) below a threshold and reports the failures', async () => {
    const wrong: AskFunction = async () => ({ answer: 'checkout-api is owned by team-x', toolCalls: [{ name: 'catalog_who_owns', input: { ref: 'checkout-api' } }], citations: [], approvals: [] })
    const { code, out } = await run(['--suite', 'routing', '--dataset', dataset, '--json'], wrong)
    expect(code).toBe(1)
    const report = JSON.parse(out)
    expect(report.passed).toBe(false)
    expect(report.suites.routing.metrics.toolSelectionAccuracy).toBe(0.25)
    expect(report.suites.routing.metrics.argumentAccuracy).toBe(0)
    expect(report.suites.routing.failures[0]).toMatchObject({ question: 'who owns cart-service?', reason: 'arguments', actual: { tools: [{ name: 'catalog_who_owns', input: { ref: 'checkout-api' } }] } })
  })

  it('shows the failures of dev items only, and counts the held-out ones', async () => {
    const wrong: AskFunction = async () => ({ answer: 'no idea', toolCalls: [], citations: [], approvals: [] })
    const { out } = await run(['--suite', 'routing', '--dataset', dataset, '--json'], wrong)
    const routing = JSON.parse(out).suites.routing
    expect(routing.failures.map((failure: { question: string }) => failure.question).sort()).toEqual(ITEMS.filter((item) => item.split === 'dev').map((item) => item.question).sort())
    expect(routing.heldoutFailureCount).toBeGreaterThan(0)
    expect(routing.failureCount).toBe(routing.failures.length + routing.heldoutFailureCount)
    const text = (await run(['--suite', 'routing', '--dataset', dataset], wrong)).out
    expect(text).toContain(`${routing.heldoutFailureCount} of them held out (not shown)`)
    for (const item of ITEMS.filter((item) => item.split === 'heldout')) expect(text).not.toContain(item.question)
  })

  it('counts an agent that throws as a failed item', async () => {
    const broken: AskFunction = async () => {
      throw new Error('model unavailable')
    }
    const { code, out } = await run(['--suite', 'routing', '--dataset', dataset], broken)
    expect(code).toBe(1)
    expect(out).toContain('[error]')
    expect(out).toContain('model unavailable')
    expect(out).toMatch(/toolSelectionAccuracy\s+0\.000\s+0\.000\s+0\.000/)
  })

  it('scores only the chosen split, still showing both', async () => {
    const { code, out } = await run(['--suite', 'routing', '--dataset', dataset, '--split', 'heldout', '--json'])
    expect(code).toBe(0)
    const routing = JSON.parse(out).suites.routing
    expect(routing.items).toEqual({ dev: 0, heldout: 2, all: 2 })
    expect(routing.bySplit.dev.toolSelectionAccuracy).toBeNull()
  })

  it('exits 2 on usage errors', async () => {
    expect((await run(['--suite', 'nope'])).err).toContain('Unknown suite "nope"; known suites: routing, answers')
    expect((await run(['--suite', 'nope'])).code).toBe(2)
    expect((await run(['--dataset', dataset])).code).toBe(2)
    expect((await run(['--frobnicate'])).code).toBe(2)
    const missing = await run(['--suite', 'answers', '--dataset', join(directory, 'missing.jsonl')])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('missing.jsonl')
  })

  it('names the file and line of a malformed record', async () => {
    const bad = join(directory, 'bad.jsonl')
    await writeFile(bad, [JSON.stringify(ITEMS[0]), '', '{"question": "who owns x?", "expect": {"tools": []}, "split": "test"}'].join('\n'))
    const result = await run(['--suite', 'routing', '--dataset', bad])
    expect(result.code).toBe(2)
    expect(result.err).toContain(`${bad}:3: split:`)
    await writeFile(bad, '{"question": "who owns x?",\n')
    expect((await run(['--suite', 'routing', '--dataset', bad])).err).toContain(`${bad}:1: not valid JSON`)
  })

  it('holds each suite to its own requirements on items', async () => {
    const noTools = join(directory, 'no-tools.jsonl')
    await writeFile(noTools, JSON.stringify({ question: 'who owns x?', expect: { contains: ['x'] }, split: 'dev' }) + '\n')
    const result = await run(['--suite', 'routing', '--dataset', noTools])
    expect(result.code).toBe(2)
    expect(result.err).toContain(`${noTools}:1: a routing item needs expect.tools`)
    const silent: AskFunction = async () => ({ answer: 'no idea', toolCalls: [], citations: [], approvals: [] })
    expect((await run(['--suite', 'answers', '--dataset', noTools], silent)).code).toBe(1)
  })

  it('runs a data-driven suite once, with no items and no split, and takes no --dataset for it', async () => {
    const calls: number[] = []
    const generated = defineSuite({
      name: 'generated',
      description: 'measures its own generated data',
      thresholds: { share: 0.5 },
      async run(items) {
        calls.push(items.length)
        return { metrics: { share: 0.75 }, failures: [] }
      },
    })
    const out: string[] = []
    const code = await runEvals(['--json'], { ask: oracle, openPlatform, suites: [generated], stdout: (text) => out.push(text), stderr: () => {} })
    expect(code).toBe(0)
    expect(calls).toEqual([0])
    const report = JSON.parse(out.join('\n')).suites.generated
    expect(report).toMatchObject({ dataset: '(generated)', items: { dev: 0, heldout: 0, all: 0 }, metrics: { share: 0.75 }, bySplit: { dev: { share: null }, heldout: { share: null } }, passed: true })
    const err: string[] = []
    expect(await runEvals(['--suite', 'generated', '--dataset', dataset], { ask: oracle, openPlatform, suites: [generated], stdout: () => {}, stderr: (text) => err.push(text) })).toBe(2)
    expect(err.join('\n')).toContain('generates its own data')
  })
})
