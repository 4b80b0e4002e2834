/**
 * Runs the benchmarks (all, or those named by `--only a,b`) and prints one JSON object to stdout:
 * `{"machine": {...}, "results": {name: {...}}}`. Progress goes to stderr. Timings are reported, never asserted.
 */
import os from 'node:os'
import { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type Benchmark, type BenchResult } from './benchmark.ts'
import { catalogImportBenchmark } from './catalog-import.bench.ts'
import { catalogQueryHttpBenchmark } from './catalog-query-http.bench.ts'
import { graphDependentsBenchmark } from './graph-dependents.bench.ts'
import { graphNeo4jBenchmark } from './graph-neo4j.bench.ts'
import { agentAnswerBenchmark } from './agent-answer.bench.ts'
import { mcpCallsBenchmark } from './mcp-calls.bench.ts'
import { costImportBenchmark } from './cost-import.bench.ts'
import { searchBenchmark } from './search.bench.ts'
import { anomalyThroughputBenchmark, rcaBenchmark } from './rca.bench.ts'
import { backstageMigrationBenchmark } from './backstage-migration.bench.ts'
import { replicasBenchmark } from './replicas.bench.ts'

export const BENCHMARKS: Record<string, Benchmark> = {
  'catalog-import': catalogImportBenchmark,
  'graph-dependents': graphDependentsBenchmark,
  'graph-neo4j': graphNeo4jBenchmark,
  'catalog-query-http': catalogQueryHttpBenchmark,
  'agent-answer': agentAnswerBenchmark,
  'mcp-calls': mcpCallsBenchmark,
  'cost-import': costImportBenchmark,
  search: searchBenchmark,
  rca: rcaBenchmark,
  'anomaly-throughput': anomalyThroughputBenchmark,
  'backstage-migration': backstageMigrationBenchmark,
  replicas: replicasBenchmark,
}

/** The names after `--only` (`--only a,b` or `--only=a,b`), or every benchmark. */
export function selectBenchmarks(argv: string[]): string[] {
  const position = argv.findIndex((argument) => argument === '--only' || argument.startsWith('--only='))
  if (position === -1) return Object.keys(BENCHMARKS)
  const value = argv[position]!.startsWith('--only=') ? argv[position]!.slice('--only='.length) : (argv[position + 1] ?? '')
  const names = value.split(',').map((name) => name.trim()).filter(Boolean)
  const unknown = names.filter((name) => !(name in BENCHMARKS))
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only needs benchmark names separated by commas${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}; known: ${Object.keys(BENCHMARKS).join(', ')}`)
  }
  // Run in the declared order whatever order they were named in.
  return Object.keys(BENCHMARKS).filter((name) => names.includes(name))
}

export function describeMachine(): BenchResult {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim(),
    memoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
}

async function main(): Promise<number> {
  let names: string[]
  try {
    names = selectBenchmarks(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    return 2
  }
  const context = new BenchContext({ scale: environmentNumber('BENCH_SCALE', 100_000) })
  const results: Record<string, BenchResult> = {}
  const started = performance.now()
  let failed = false
  try {
    for (const name of names) {
      progress(`── ${name}`)
      const benchmarkStarted = performance.now()
      try {
        const loadBefore = os.loadavg()[0]!
        const result = await BENCHMARKS[name]!(context)
        // Other work on the machine skews timings; the load average beside them says how much there was.
        results[name] = { ...result, durationMs: roundTo(performance.now() - benchmarkStarted, 1), loadAverage1m: { start: roundTo(loadBefore, 2), end: roundTo(os.loadavg()[0]!, 2) } }
      } catch (error) {
        failed = true
        progress(`${name} failed: ${(error as Error).stack ?? error}`)
        results[name] = { error: (error as Error).message, durationMs: roundTo(performance.now() - benchmarkStarted, 1) }
      }
    }
  } finally {
    await context.close()
  }
  progress(`done in ${Math.round((performance.now() - started) / 1000)} s`)
  process.stdout.write(`${JSON.stringify({ machine: describeMachine(), results }, null, 2)}\n`)
  return failed ? 1 : 0
}

process.exitCode = await main()
