import type { EventBus } from '../../core/events/event-bus.ts'
import type { Store } from '../../core/store/store.ts'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { CostAllocator, DEFAULT_ALLOCATION_RULES, type AllocationRules } from './cost-allocator.ts'
import { costForecast, publishBudgetAlerts } from './cost-forecast.ts'
import type { CostContext } from './cost-scope.ts'
import { importFocus, type FocusImportReport } from './import-focus.ts'

/** The cost domain over one store and catalog: imports (allocated with the catalog as it is) and the analyses' context. */
export class CostService {
  constructor(private readonly options: { store: Store; catalog: Catalog; bus: EventBus; rules?: AllocationRules }) {}

  get context(): CostContext {
    return { store: this.options.store, index: this.options.catalog.index }
  }

  async isEmpty(): Promise<boolean> {
    const result = await this.options.store.query('select 1 from cost_billing_periods limit 1')
    return result.rows.length === 0
  }

  /** Imports FOCUS files; after a stored import, teams whose forecast is over budget are announced on the bus. */
  async import(files: string[], { dryRun = false, onProgress }: { dryRun?: boolean; onProgress?: (rows: number) => void } = {}): Promise<FocusImportReport> {
    const allocator = new CostAllocator(this.options.catalog.index, this.options.rules ?? DEFAULT_ALLOCATION_RULES)
    const report = await importFocus(this.options.store, files, { allocator, dryRun, onProgress })
    if (!dryRun && report.errors.length === 0 && report.rows > 0) await this.checkBudgets()
    return report
  }

  /** Announces each team whose month-end forecast is over its budget (`cost-budget-exceeded`); returns them. */
  async checkBudgets(): Promise<Array<{ team: string }>> {
    return publishBudgetAlerts(this.options.bus, await costForecast(this.context))
  }
}
