import { spawn } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import type { FocusChildRequest, FocusChildResult } from './import-focus-child.ts'
import { againstTarget } from './latency-summary.ts'
import { writeSyntheticFocus } from './synthetic-focus.ts'

const CHILD = fileURLToPath(new URL('./import-focus-child.ts', import.meta.url))
const REPOSITORY = fileURLToPath(new URL('../', import.meta.url))
const IMPORT_TARGET_MS = 60_000
const RSS_TARGET_MIB = 1024
const BREAKDOWN_P99_TARGET_MS = 200

function runChild(request: FocusChildRequest, timeoutMs: number): Promise<FocusChildResult | { failed: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(request)], { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      try {
        resolve(JSON.parse(output.trim().split('\n').pop() ?? '') as FocusChildResult)
      } catch {
        resolve({ failed: `the import process ended with ${signal ?? `code ${code}`} and no result${signal === 'SIGKILL' ? ` (killed after ${timeoutMs} ms)` : ''}` })
      }
    })
  })
}

/**
 * Imports a year of synthetic FOCUS rows (BENCH_COST_ROWS, default 1,000,000; gzipped CSV) into a fresh PGlite
 * data directory through `portal cost import`'s code path, in a child process (time and peak RSS), then times
 * breakdown queries over that year. Targets: import under 60 s and 1 GiB; breakdown p99 under 200 ms.
 */
export async function costImportBenchmark(): Promise<BenchResult> {
  const rows = environmentNumber('BENCH_COST_ROWS', 1_000_000)
  const queries = environmentNumber('BENCH_COST_QUERIES', 200)
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-cost-'))
  try {
    const file = path.join(directory, 'focus.csv.gz')
    const end = '2025-01-01'
    const generateStarted = performance.now()
    await writeSyntheticFocus(file, { rows, end })
    const generateMs = roundTo(performance.now() - generateStarted, 1)
    progress(`wrote ${rows} FOCUS rows (${Math.round((await stat(file)).size / 1024 / 1024)} MiB gzipped) in ${Math.round(generateMs)} ms`)
    const dataDir = path.join(directory, 'data')
    const outcome = await runChild({ file, engine: 'pglite', dataDir, queries, from: '2024-01-01', to: end }, environmentNumber('BENCH_IMPORT_TIMEOUT_MS', 900_000))
    if ('failed' in outcome) return { rows, generateMs, pglite: { error: outcome.failed } }
    progress(`pglite: ${outcome.rows} rows in ${Math.round(outcome.importMs)} ms, peak RSS ${outcome.peakRssMiB} MiB; breakdown p99 ${outcome.breakdown.p99Ms} ms`)
    return {
      rows,
      generateMs,
      pglite: {
        ...outcome,
        import: { target: 'under 60 s', ...againstTarget(outcome.importMs, IMPORT_TARGET_MS) },
        rss: { target: 'under 1 GiB', targetMiB: RSS_TARGET_MIB, meetsTarget: Math.max(outcome.peakRssMiB, outcome.maxRssMiB) < RSS_TARGET_MIB },
        breakdownTarget: { target: 'p99 under 200 ms', ...againstTarget(outcome.breakdown.p99Ms, BREAKDOWN_P99_TARGET_MS) },
      },
      postgres: { skipped: 'the PostgreSQL figures are not measured by this benchmark yet' },
    }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
