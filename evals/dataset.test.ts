import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { localOperator } from '../core/identity.ts'
import { normalizeEntityRef } from '../graph/model/entity-ref.ts'
import type { Platform } from '../platform/create-platform.ts'
import { openDemoPlatform, type DemoPlatform } from './demo-platform.ts'
import type { EvalItem } from './eval-item.ts'
import { readDataset } from './read-dataset.ts'
import { refKindOf } from './scoring.ts'
import { answersSuite, routingSuite, searchSuite } from './suites/index.ts'

const REF_KEYS = new Set(['ref', 'from', 'to', 'group', 'owner', 'system'])

/** Every string in an expected input that is written as an entity reference with a kind, with its key. */
function refsIn(value: unknown, key = ''): Array<{ key: string; ref: string }> {
  if (typeof value === 'string') return refKindOf(value) ? [{ key, ref: value }] : []
  if (Array.isArray(value)) return value.flatMap((element) => refsIn(element, key))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([name, element]) => refsIn(element, name))
  return []
}

describe('eval data sets', () => {
  let demo: DemoPlatform
  let platform: Platform
  let routing: EvalItem[]
  /** Blind-written routing questions kept apart from the data set, only ever measured (evals/README.md). */
  let blindRouting: EvalItem[]
  let answers: EvalItem[]
  const call = async (name: string, input: unknown) => platform.tools.call(name, input, { identity: localOperator() })
  const intent = (item: EvalItem) => item.tags?.[0] ?? 'untagged'

  beforeAll(async () => {
    demo = await openDemoPlatform()
    platform = demo.platform
    routing = await readDataset(routingSuite.dataset!, { check: routingSuite.check })
    blindRouting = await readDataset(fileURLToPath(new URL('./datasets/routing-blind-6c.jsonl', import.meta.url)), { check: routingSuite.check })
    answers = await readDataset(answersSuite.dataset!, { check: answersSuite.check })
  })
  afterAll(async () => {
    await demo?.close()
  })

  it('search: at least 150 queries of every kind, whose relevant entities exist, 25–35% heldout', async () => {
    const search = await readDataset(searchSuite.dataset!, { check: searchSuite.check })
    expect(search.length).toBeGreaterThanOrEqual(150)
    const kinds = new Set(search.map((item) => item.tags?.[0]))
    expect([...kinds].sort()).toEqual(['docs', 'exact', 'partial', 'question', 'synonym', 'typo'])
    const share = search.filter((item) => item.split === 'heldout').length / search.length
    expect(share).toBeGreaterThanOrEqual(0.25)
    expect(share).toBeLessThanOrEqual(0.35)
    const missing = search.flatMap((item) => item.expect.relevant!.filter((ref) => !platform.catalog.index.has(ref)).map((ref) => `${item.question}: ${ref}`))
    expect(missing).toEqual([])
  })

  // A held-out part is meaningful by its size: a quarter of the items, or at least 250 of them.
  it('are large enough, with a quarter of the items or at least 250 of them heldout', () => {
    expect(routing.length).toBeGreaterThanOrEqual(300)
    expect(answers.length).toBeGreaterThanOrEqual(100)
    for (const items of [routing, answers]) {
      const heldout = items.filter((item) => item.split === 'heldout').length
      expect(heldout >= 250 || heldout / items.length >= 0.25, `${heldout} of ${items.length} heldout`).toBe(true)
      expect(heldout / items.length).toBeLessThanOrEqual(0.35)
    }
  })

  it('spread the heldout split over every intent', () => {
    for (const items of [routing, answers]) {
      const byIntent = new Map<string, EvalItem[]>()
      for (const item of items) byIntent.set(intent(item), [...(byIntent.get(intent(item)) ?? []), item])
      for (const [name, group] of byIntent) {
        if (group.length < 4) continue
        const heldout = group.filter((item) => item.split === 'heldout').length
        expect(heldout, `${name}: ${heldout} of ${group.length} heldout`).toBeGreaterThan(0)
        expect(heldout, `${name}: ${heldout} of ${group.length} heldout`).toBeLessThan(group.length)
      }
    }
  })

  it('keep heldout questions out of the tools\' examples, which teach the planner', () => {
    const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
    const examples = platform.tools.list().flatMap((tool) => (tool.examples ?? []).map((example) => ({ tool: tool.name, example, normal: normal(example) })))
    const leaks = [...routing, ...answers]
      .filter((item) => item.split === 'heldout')
      .flatMap((item) => examples.filter(({ normal: example }) => example === normal(item.question) || (example.length > 25 && normal(item.question).includes(example))).map(({ tool, example }) => `${tool} example "${example}" is the heldout question "${item.question}"`))
    expect(leaks).toEqual([])
  })

  it('have no duplicate questions', () => {
    for (const items of [routing, answers]) {
      const seen = new Map<string, number>()
      for (const item of items) seen.set(item.question.trim().toLowerCase(), (seen.get(item.question.trim().toLowerCase()) ?? 0) + 1)
      expect([...seen].filter(([, count]) => count > 1).map(([question]) => question)).toEqual([])
    }
  })

  it('name only registered tools, with inputs the tools accept', () => {
    const known = new Set(platform.tools.list().map((tool) => tool.name))
    for (const item of [...routing, ...answers, ...blindRouting]) {
      for (const tool of item.expect.tools ?? []) {
        expect(known, `${item.question}: ${tool.name}`).toContain(tool.name)
        if (tool.input) expect(() => platform.tools.parseInput(tool.name, tool.input), item.question).not.toThrow()
      }
    }
  })

  it('expect canonical references to entities that exist in the demo catalog', () => {
    for (const item of [...routing, ...answers, ...blindRouting]) {
      for (const tool of item.expect.tools ?? []) {
        for (const { key, ref } of refsIn(tool.input)) {
          expect(ref, `${item.question}: ${key}`).toBe(normalizeEntityRef(ref))
          expect(platform.catalog.index.has(ref), `${item.question}: ${ref} is not in the demo catalog`).toBe(true)
        }
        for (const [key, value] of Object.entries(tool.input ?? {})) {
          if (REF_KEYS.has(key)) expect(refKindOf(String(value)), `${item.question}: ${key} "${String(value)}" must be a canonical reference`).toBeDefined()
        }
      }
    }
  })

  it('cover every registered tool, every catalog_query filter and explicit depths', () => {
    const expected = routing.flatMap((item) => item.expect.tools ?? [])
    const names = new Set(expected.map((tool) => tool.name))
    for (const tool of platform.tools.list()) expect(names, tool.name).toContain(tool.name)
    const filters = new Set(expected.filter((tool) => tool.name === 'catalog_query').flatMap((tool) => Object.keys(tool.input ?? {})))
    for (const filter of ['kind', 'type', 'owner', 'system', 'lifecycle', 'tag', 'text']) expect(filters, filter).toContain(filter)
    expect(expected.some((tool) => tool.name === 'graph_dependencies' && tool.input?.depth !== undefined)).toBe(true)
    const intents = new Set(routing.map(intent))
    for (const kind of ['follow-up', 'multi-tool', 'ambiguous', 'unknown', 'out-of-scope']) expect(intents, kind).toContain(kind)
    expect(routing.filter((item) => item.thread).length).toBeGreaterThanOrEqual(20)
  })

  it('expect no tool call for ambiguous, unknown and uncovered questions', () => {
    for (const item of routing.filter((candidate) => ['ambiguous', 'unknown', 'out-of-scope'].includes(intent(candidate)))) {
      expect(item.expect.tools, item.question).toEqual([])
    }
  })

  it('use unknown names that really are not in the catalog', async () => {
    const unknown = [...routing, ...answers].filter((item) => item.tags?.includes('unknown'))
    expect(unknown.length).toBeGreaterThanOrEqual(10)
    for (const item of unknown) {
      for (const name of item.expect.contains ?? []) {
        const found = (await call('catalog_query', { text: name })).output as { totalItems: number }
        expect(found.totalItems, `${name} matches catalog entities`).toBe(0)
      }
    }
  })

  it('name real entities as the candidates of an ambiguous name', () => {
    const names = new Set([...platform.catalog.index.refs()].map((ref) => ref.slice(ref.indexOf('/') + 1)))
    for (const item of routing.filter((candidate) => intent(candidate) === 'ambiguous')) {
      for (const candidate of item.expect.contains ?? []) if (candidate.includes('-')) expect(names, `${item.question}: ${candidate}`).toContain(candidate)
    }
  })

  it('hold answer facts that the tools really return, and no wrong ones at any depth', async () => {
    let checked = 0
    for (const item of answers) {
      const tools = item.expect.tools ?? []
      if (tools.length === 0) continue
      let text = ''
      for (const tool of tools) {
        const result = await call(tool.name, tool.input)
        text += `${result.text}\n${JSON.stringify(result.output)}\n`
        if (tool.name === 'graph_dependencies' || tool.name === 'graph_dependents') {
          const deepest = await call(tool.name, { ...tool.input, depth: 20 })
          for (const wrong of item.expect.excludes ?? []) expect(`${deepest.text}${JSON.stringify(deepest.output)}`.toLowerCase(), `${item.question}: "${wrong}"`).not.toContain(wrong.toLowerCase())
        }
      }
      for (const fact of item.expect.contains ?? []) expect(text.toLowerCase(), `${item.question}: "${fact}"`).toContain(fact.toLowerCase())
      for (const wrong of item.expect.excludes ?? []) expect(text.toLowerCase(), `${item.question}: "${wrong}"`).not.toContain(wrong.toLowerCase())
      checked++
    }
    expect(checked).toBeGreaterThanOrEqual(100)
  })
})
