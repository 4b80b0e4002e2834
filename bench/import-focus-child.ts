/**
 * One FOCUS import and the breakdown queries after it, in a process of its own (started by
 * `cost-import.bench.ts`), so that its peak RSS belongs to the import alone. Prints one JSON line.
 */
import { loadConfig } from '../core/config.ts'
import { createPlatform } from '../platform/create-platform.ts'
import { costBreakdown, type BreakdownDimension } from '../tools/cost/cost-breakdown.ts'
import { MEBIBYTE, roundTo } from './benchmark.ts'
import { summarizeLatencies, type LatencySummary } from './latency-summary.ts'
import { maxRssMiB, startRssSampler } from './rss-sampler.ts'

export interface FocusChildRequest {
  file: string
  engine: 'pglite' | 'postgres'
  dataDir: string
  databaseUrl?: string
  /** Breakdown queries to time after the import. */
  queries: number
  /** The year the data covers: [from, to). */
  from: string
  to: string
}

export interface FocusChildResult {
  engine: 'pglite' | 'postgres'
  rows: number
  errors: number
  importMs: number
  /** CPU time of the import (user + system), less sensitive than wall time to other work on the machine. */
  importCpuMs: number
  rowsPerSecond: number
  peakRssMiB: number
  maxRssMiB: number
  rssBeforeImportMiB: number
  breakdown: LatencySummary & { window: string }
}

const GROUPINGS: BreakdownDimension[] = ['team', 'service', 'system', 'region', 'serviceCategory', 'sku', 'domain', 'provider']

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as FocusChildRequest
  const config = loadConfig({ PORTAL_DATA_DIR: request.dataDir, DATABASE_URL: request.engine === 'postgres' ? request.databaseUrl : undefined, PORTAL_LOG_LEVEL: 'silent', PORTAL_DEMO: 'false' })
  const platform = await createPlatform({ config })
  try {
    globalThis.gc?.()
    const rssBefore = process.memoryUsage.rss()
    const sampler = await startRssSampler()
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    const report = await platform.cost!.import([request.file], { onProgress: (rows) => process.stderr.write(`[bench child] ${rows} rows\n`) })
    const importMs = roundTo(performance.now() - started, 1)
    const cpu = process.cpuUsage(cpuBefore)
    const rss = await sampler.stop()
    const durations: number[] = []
    for (let query = 0; query < request.queries; query++) {
      const groupBy = GROUPINGS[query % GROUPINGS.length]!
      const filters = query % 3 === 1 ? { serviceCategory: 'Compute' } : {}
      const queryStarted = performance.now()
      await costBreakdown(platform.cost!.context, { groupBy, window: { from: request.from, to: request.to }, filters })
      durations.push(performance.now() - queryStarted)
    }
    const result: FocusChildResult = {
      engine: request.engine,
      rows: report.rows,
      errors: report.errors.length,
      importMs,
      importCpuMs: roundTo((cpu.user + cpu.system) / 1000, 1),
      rowsPerSecond: Math.round(report.rows / (importMs / 1000)),
      peakRssMiB: rss.peakRssMiB,
      maxRssMiB: maxRssMiB(),
      rssBeforeImportMiB: roundTo(rssBefore / MEBIBYTE, 1),
      breakdown: { ...summarizeLatencies(durations), window: `${request.from}..${request.to}` },
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await platform.close()
  }
}

await main()
