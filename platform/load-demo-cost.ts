import path from 'node:path'
import { writeDemoCost } from '../graph/demo/write-demo-cost.ts'
import { recordUtilisation } from '../tools/cost/cost-recommendations.ts'
import type { FocusImportReport } from '../tools/cost/import-focus.ts'
import type { Platform } from './create-platform.ts'

/** The demo organisation's root group: its presence says the catalog is the demo's. */
const DEMO_ROOT = 'group:default/acme'

/**
 * Loads the demo organisation's cost (60 days ending yesterday, with utilisation) into an empty cost store when
 * the catalog is the demo organisation, so the agent can answer cost and carbon questions from the first start.
 */
export async function loadDemoCostIfEmpty(platform: Platform, { now = new Date() }: { now?: Date } = {}): Promise<FocusImportReport | undefined> {
  if (!platform.cost || !platform.store || !platform.catalog.index.has(DEMO_ROOT) || !(await platform.cost.isEmpty())) return undefined
  const directory = path.resolve(platform.config.dataDir === 'memory' ? '.portal' : platform.config.dataDir, 'demo-cost')
  const written = await writeDemoCost(directory, { end: now.toISOString().slice(0, 10) })
  const report = await platform.cost.import([written.focusFile])
  if (report.errors.length === 0) await recordUtilisation(platform.store, written.utilisation)
  return report
}
