import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../core/config.ts'
import { createPlatform } from '../platform/create-platform.ts'
import { createHttpApp } from '../server/create-http-app.ts'
import { serveHttp } from '../server/serve-http.ts'
import { migrateBackstage } from '../tools/migration/migrate-backstage.ts'
import { DEFAULT_PAGE_SIZE } from '../tools/migration/read-backstage-catalog.ts'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import { startBackstage, type StartedBackstage } from './backstage-source.ts'
import { ensureDemoCatalog } from './demo-catalog.ts'

const TARGET_SECONDS = 60

/**
 * `portal migrate backstage` of a 10,000-entity catalog over HTTP into a fresh store-backed portal (PGlite):
 * wall time, split into reading Backstage's pages and the one import transaction. The source is Backstage
 * itself with BENCH_BACKSTAGE=start (the benchmark starts it on the generated catalog and waits for its
 * ingestion, reported apart as loadSeconds) or when BENCH_BACKSTAGE_URL names one already loaded; else the
 * portal's own Backstage-compatible API.
 */
export async function backstageMigrationBenchmark(_context: BenchContext): Promise<BenchResult> {
  const scale = environmentNumber('BENCH_MIGRATION_SCALE', 10_000)
  const pageSize = environmentNumber('BENCH_MIGRATION_PAGE_SIZE', 0) || undefined
  let externalUrl = process.env.BENCH_BACKSTAGE_URL
  let token = process.env.BENCH_BACKSTAGE_TOKEN
  const config = loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_LOG_LEVEL: 'silent', PORTAL_DEMO: 'false' })
  let source: Awaited<ReturnType<typeof createPlatform>> | undefined
  let server: Awaited<ReturnType<typeof serveHttp>> | undefined
  let backstage: StartedBackstage | undefined
  if (!externalUrl && process.env.BENCH_BACKSTAGE === 'start') {
    const catalog = await ensureDemoCatalog(scale)
    progress(`starting Backstage on the generated ${catalog.entities}-entity catalog`)
    backstage = await startBackstage(catalog.file, catalog.entities, { timeoutMs: environmentNumber('BENCH_BACKSTAGE_LOAD_TIMEOUT_MS', 3_600_000) })
    progress(`Backstage serves ${backstage.totalItems} entities after ${Math.round(backstage.loadMs / 1000)} s`)
    externalUrl = backstage.url
    token = backstage.token
  }
  let url = externalUrl
  if (!url) {
    const catalog = await ensureDemoCatalog(scale)
    progress(`serving ${catalog.entities} entities from the portal's Backstage-compatible API`)
    source = await createPlatform({ config, catalogPaths: [catalog.file] })
    server = await serveHttp(createHttpApp(source), { port: 0 })
    url = server.url
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-migration-'))
  const target = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: dataDir, PORTAL_LOG_LEVEL: 'silent', PORTAL_DEMO: 'false' }) })
  try {
    let readDoneAt = 0
    let read = 0
    const started = performance.now()
    const report = await migrateBackstage({
      catalog: target.catalog,
      url,
      token,
      pageSize,
      onProgress: (count, total) => {
        read = count
        if (total !== undefined && count >= total) readDoneAt = performance.now()
      },
    })
    const wallMs = performance.now() - started
    const readMs = (readDoneAt || performance.now()) - started
    const entities = Object.values(report.entities).reduce((sum, count) => sum + count, 0)
    progress(`migrated ${entities} entities in ${Math.round(wallMs)} ms (${report.errors.length} errors${report.errors[0] ? `, first: ${report.errors[0].message}` : ''})`)
    return {
      source: externalUrl ? 'backstage' : 'portal-backstage-api',
      entitiesRead: read,
      entitiesImported: entities,
      relations: Object.values(report.relations).reduce((sum, count) => sum + count, 0),
      skipped: report.skipped.length,
      errors: report.errors.length,
      requests: report.source.type === 'backstage-api' ? report.source.requests : undefined,
      pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      loadSeconds: backstage ? roundTo(backstage.loadMs / 1000, 1) : undefined,
      wallSeconds: roundTo(wallMs / 1000, 2),
      readSeconds: roundTo(readMs / 1000, 2),
      importSeconds: roundTo((wallMs - readMs) / 1000, 2),
      entitiesPerSecond: Math.round(entities / (wallMs / 1000)),
      target: `under ${TARGET_SECONDS} s`,
      meetsTarget: report.errors.length === 0 && wallMs / 1000 < TARGET_SECONDS,
    }
  } finally {
    await target.close()
    await server?.close()
    await source?.close()
    await backstage?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}
