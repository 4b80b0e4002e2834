import path from 'node:path'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import type { ImportReport } from '../graph/catalog/catalog.ts'
import type { Platform } from './create-platform.ts'

/** Loads the demo organisation into an empty catalog, so a first `npm start` has something to ask about. */
export async function loadDemoIfEmpty(platform: Platform): Promise<ImportReport | undefined> {
  if (platform.catalog.index.size > 0) return undefined
  const directory = path.resolve(platform.config.dataDir === 'memory' ? '.portal' : platform.config.dataDir, 'demo-catalog')
  await writeDemoOrg(directory)
  return platform.catalog.import([path.join(directory, 'catalog-info.yaml')])
}
