import { loadConfig } from '../../core/config.ts'
import type { Store } from '../../core/store/store.ts'
import { SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { SAMPLE_INCIDENT } from './sample-tool-inputs.ts'

/**
 * The real platform wiring (so every registry tool is there) on the given store, or in memory, with the
 * catalog loaded from YAML text (`SMALL_ORG` by default) and from files (for docs, which need a location
 * on disk). Search runs on full text alone here (no embedding work in adapter tests). Throws on catalog errors, so a test never runs on a half-loaded catalog.
 */
export async function openTestPlatform({ yaml = SMALL_ORG, files = [], store, port = 3000 }: { yaml?: string; files?: string[]; store?: Store; port?: number } = {}): Promise<Platform> {
  const config = { ...loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_DEMO: 'false', PORTAL_EMBEDDINGS_MODEL: 'none' }), port }
  const platform = store ? await createPlatform({ config, store }) : await createPlatform({ config, catalogPaths: [] })
  const report = await platform.catalog.import([{ name: 'test.yaml', text: yaml }, ...files])
  if (report.errors.length > 0) {
    await platform.close()
    throw new Error(`test catalog has errors: ${JSON.stringify(report.errors)}`)
  }
  await platform.signals.write({ incidents: [SAMPLE_INCIDENT] })
  return platform
}
