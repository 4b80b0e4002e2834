import { localOperator } from '../core/identity.ts'
import { dependentsOf } from '../graph/index/graph-traversals.ts'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { cycleTo, deterministicSample, interleave } from './deterministic-sample.ts'
import { againstTarget, summarizeLatencies } from './latency-summary.ts'

const CALLS = 2000
const WARM_UP_CALLS = 200
const DEPTH = 5
const TARGET_P99_MS = 5

interface Measured {
  durations: number[]
  dependents: number[]
  truncated: boolean
}

/** Runs `call` over `refs` in order, stopping early (and saying so) once `deadline` passes. */
async function measure(refs: string[], deadline: number, call: (ref: string) => Promise<number> | number): Promise<Measured> {
  const durations: number[] = []
  const dependents: number[] = []
  for (const ref of refs) {
    if (performance.now() > deadline) return { durations, dependents, truncated: true }
    const started = performance.now()
    const count = await call(ref)
    durations.push(performance.now() - started)
    dependents.push(count)
  }
  return { durations, dependents, truncated: false }
}

function describe(measured: Measured, kinds: string[]): BenchResult {
  const byKind: Record<string, BenchResult> = {}
  for (const kind of new Set(kinds)) {
    const positions = kinds.flatMap((each, position) => (each === kind && position < measured.durations.length ? [position] : []))
    byKind[kind] = {
      ...summarizeLatencies(positions.map((position) => measured.durations[position]!)),
      meanDependents: roundTo(positions.reduce((sum, position) => sum + measured.dependents[position]!, 0) / positions.length, 1),
      maxDependents: Math.max(...positions.map((position) => measured.dependents[position]!)),
    }
  }
  const total = measured.dependents.reduce((sum, count) => sum + count, 0)
  return {
    ...summarizeLatencies(measured.durations),
    meanDependents: roundTo(total / Math.max(1, measured.dependents.length), 1),
    maxDependents: Math.max(0, ...measured.dependents),
    truncated: measured.truncated,
    byKind,
  }
}

/**
 * `graph_dependents` (depth 5) through the tool registry — input and output validated, text rendered — on the
 * in-memory 100,000-entity catalog, over a fixed sample of half components, half resources; then the bare
 * `dependentsOf` traversal over the same sample, to show what the registry adds.
 */
export async function graphDependentsBenchmark(context: BenchContext): Promise<BenchResult> {
  const { platform, loadMs, catalog } = await context.memoryPlatform()
  const { index } = platform.catalog
  const budgetMs = environmentNumber('BENCH_PHASE_BUDGET_MS', 120_000)
  const half = CALLS / 2
  // Alternating kinds, so that neither runs on a warmer or colder heap than the other.
  const refs = cycleTo(interleave(deterministicSample(index.refsOfKind('component'), half, 11), deterministicSample(index.refsOfKind('resource'), half, 12)), CALLS)
  const kinds = refs.map((ref) => ref.slice(0, ref.indexOf(':')))
  const identity = localOperator()
  const callTool = async (ref: string) => {
    const { output } = await platform.tools.call('graph_dependents', { ref, depth: DEPTH }, { identity })
    return (output as { dependents: unknown[] }).dependents.length
  }
  const traverse = (ref: string) => dependentsOf(index, ref, DEPTH).length

  progress(`graph_dependents: ${WARM_UP_CALLS} warm-up calls, then ${refs.length} measured`)
  const warmUp = deterministicSample(index.refsOfKind('component'), WARM_UP_CALLS, 99)
  for (const ref of warmUp) {
    await callTool(ref)
    traverse(ref)
  }
  const tool = await measure(refs, performance.now() + budgetMs, callTool)
  progress(`graph_dependents p99 ${summarizeLatencies(tool.durations).p99Ms} ms; now the bare traversal`)
  const traversal = await measure(refs, performance.now() + budgetMs, traverse)

  const toolSummary = describe(tool, kinds)
  return {
    catalog: { entities: index.size, file: catalog.file },
    platformLoadMs: loadMs,
    depth: DEPTH,
    calls: refs.length,
    warmUpCalls: WARM_UP_CALLS,
    sample: { components: kinds.filter((kind) => kind === 'component').length, resources: kinds.filter((kind) => kind === 'resource').length },
    tool: { ...toolSummary, target: `p99 under ${TARGET_P99_MS} ms`, ...againstTarget(toolSummary.p99Ms as number, TARGET_P99_MS) },
    traversal: describe(traversal, kinds),
  }
}
