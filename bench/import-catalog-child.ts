/**
 * One catalog import in a process of its own (started by `catalog-import.bench.ts`), so that its peak RSS and
 * `maxRSS` belong to that import alone and a run that overstays its budget can be killed. Prints one JSON line.
 */
import { loadConfig } from '../core/config.ts'
import { createPlatform } from '../platform/create-platform.ts'
import { MEBIBYTE, roundTo } from './benchmark.ts'
import { maxRssMiB, startRssSampler } from './rss-sampler.ts'

export interface ImportChildRequest {
  file: string
  engine: 'pglite' | 'postgres'
  /** An empty directory for PGlite's data; the parent creates and removes it (also after a killed run). */
  dataDir: string
  /** For `postgres`: the database to import into (created empty for this run). */
  databaseUrl?: string
}

export interface ImportChildResult {
  engine: 'pglite' | 'postgres'
  importMs: number
  /** Entities the import reported, by kind summed. */
  entities: number
  indexedEntities: number
  storedEntities: number
  errors: number
  warnings: number
  firstErrors: string[]
  changes: { added: number; updated: number; removed: number; unchanged: number }
  /** Opening the store and migrating it, before the import (not part of `importMs`). */
  setupMs: number
  rssBeforeImportMiB: number
  peakRssMiB: number
  rssSamples: number
  maxRssMiB: number
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as ImportChildRequest
  const config = loadConfig({
    PORTAL_DATA_DIR: request.dataDir,
    DATABASE_URL: request.engine === 'postgres' ? request.databaseUrl : undefined,
    PORTAL_LOG_LEVEL: 'silent',
    PORTAL_DEMO: 'false',
  })
  const setupStarted = performance.now()
  const platform = await createPlatform({ config })
  const setupMs = roundTo(performance.now() - setupStarted, 1)
  try {
    // Started with --expose-gc: begin from a collected heap so the peak reflects the import.
    ;(globalThis as { gc?: () => void }).gc?.()
    const rssBeforeImportMiB = roundTo(process.memoryUsage.rss() / MEBIBYTE, 1)
    const sampler = await startRssSampler(50)
    const started = performance.now()
    const report = await platform.catalog.import([request.file])
    const importMs = roundTo(performance.now() - started, 1)
    const rss = await sampler.stop()
    const stored = await platform.store!.query<{ count: string | number }>('select count(*) as count from entities')
    const result: ImportChildResult = {
      engine: request.engine,
      importMs,
      entities: Object.values(report.entities).reduce((sum, count) => sum + count, 0),
      indexedEntities: platform.catalog.index.size,
      storedEntities: Number(stored.rows[0]?.count ?? 0),
      errors: report.errors.length,
      warnings: report.warnings.length,
      firstErrors: report.errors.slice(0, 5).map((error) => [error.file, error.entity, error.field, error.message].filter(Boolean).join(': ')),
      changes: report.changes,
      setupMs,
      rssBeforeImportMiB,
      peakRssMiB: rss.peakRssMiB,
      rssSamples: rss.samples,
      maxRssMiB: maxRssMiB(),
    }
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await platform.close()
  }
}

await main()
