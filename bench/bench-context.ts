import { loadConfig } from '../core/config.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { progress, roundTo } from './benchmark.ts'
import { ensureDemoCatalog, type DemoCatalog } from './demo-catalog.ts'

export interface MemoryPlatform {
  platform: Platform
  catalog: DemoCatalog
  /** How long `createPlatform` took to read, check and index the catalog in memory. */
  loadMs: number
}

/**
 * What benchmarks in one run share, created on first use: the generated catalog and the in-memory platform
 * loaded from it (so the graph and HTTP benchmarks load the 100,000 entities once).
 */
export class BenchContext {
  readonly scale: number
  private catalog?: Promise<DemoCatalog>
  private memory?: Promise<MemoryPlatform>

  constructor({ scale }: { scale: number }) {
    this.scale = scale
  }

  demoCatalog(): Promise<DemoCatalog> {
    this.catalog ??= ensureDemoCatalog(this.scale)
    return this.catalog
  }

  memoryPlatform(): Promise<MemoryPlatform> {
    this.memory ??= this.loadMemoryPlatform()
    return this.memory
  }

  private async loadMemoryPlatform(): Promise<MemoryPlatform> {
    const catalog = await this.demoCatalog()
    progress(`loading ${catalog.entities} entities into an in-memory platform`)
    const started = performance.now()
    const config = loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_LOG_LEVEL: 'silent', PORTAL_DEMO: 'false' })
    const platform = await createPlatform({ config, catalogPaths: [catalog.file] })
    const loadMs = roundTo(performance.now() - started, 1)
    progress(`in-memory platform ready: ${platform.catalog.index.size} entities in ${Math.round(loadMs)} ms`)
    return { platform, catalog, loadMs }
  }

  async close(): Promise<void> {
    if (this.memory) await (await this.memory.catch(() => undefined))?.platform.close()
  }
}
