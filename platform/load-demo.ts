import path from 'node:path'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import type { ImportReport } from '../graph/catalog/catalog.ts'
import { topologyFromCatalog } from '../tools/rca/catalog-topology.ts'
import { loadSimulatedHistory } from '../tools/rca/load-simulated-history.ts'
import { simulateDemoHistory } from '../tools/rca/simulator/demo-history.ts'
import type { Platform } from './create-platform.ts'

/** Loads the demo organisation into an empty catalog, so a first `npm start` has something to ask about. */
export async function loadDemoIfEmpty(platform: Platform): Promise<ImportReport | undefined> {
  // The store, not the index: another replica may have loaded it a moment ago.
  if (platform.catalog.index.size > 0 || !(await platform.catalog.isEmpty())) return undefined
  const directory = path.resolve(platform.config.dataDir === 'memory' ? '.portal' : platform.config.dataDir, 'demo-catalog')
  await writeDemoOrg(directory)
  return platform.catalog.import([path.join(directory, 'catalog-info.yaml')])
}

/**
 * Loads two simulated weeks of the catalog's services (metrics, deployments, logs, incidents, and the faults
 * behind them) into an empty signals store, ending now, so that "why is checkout-api slow?" has an answer.
 */
export async function loadDemoSignalsIfEmpty(platform: Platform, { now = new Date(), signal }: { now?: Date; signal?: AbortSignal } = {}): Promise<{ events: number; incidents: number; metricRuns: number } | undefined> {
  if (!(await platform.signals.isEmpty())) return undefined
  const { topology, resources } = topologyFromCatalog(platform.catalog.index)
  if (topology.nodes.length === 0) return undefined
  return loadSimulatedHistory(platform.signals, simulateDemoHistory({ topology, resources, end: now }), { signal })
}
