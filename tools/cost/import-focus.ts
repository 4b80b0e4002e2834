import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { CopyTextBuffer } from '../../core/store/copy-text.ts'
import type { Queryable, Store } from '../../core/store/store.ts'
import { estimateEnergyKwh } from './carbon/estimate-energy.ts'
import type { CostAllocator } from './cost-allocator.ts'
import { toUnits, unitsToDecimal, unitsToNumber } from './exact-money.ts'
import { detachString } from './focus/detach-string.ts'
import { parseFocusRow, type FocusCharge } from './focus/parse-focus-row.ts'
import { readFocusRows, type FocusFileProblem } from './focus/read-focus-rows.ts'

export interface FocusImportReport {
  rows: number
  billedCost: { total: number; byProvider: Record<string, number> }
  /** Each names the file, the 1-based data row (0: the file or its header) and the column. */
  errors: FocusFileProblem[]
}

export interface ImportFocusOptions {
  allocator: CostAllocator
  dryRun?: boolean
  /** Rows per insert statement; bounds memory however large the file. */
  batchSize?: number
  /** Errors listed in full; more are counted in a last entry. */
  maxErrors?: number
  onProgress?: (rows: number) => void
}

/** An import with errors rolls back through this; it never leaves `importFocus`. */
class ImportRejected extends Error {}

// Only what the analyses read is stored per row: at millions of rows every column costs import time.
const COLUMNS: Array<[name: string, type: string]> = [
  ['import_id', 'text'], ['provider', 'text'], ['billing_account_id', 'text'], ['billing_period_start', 'timestamptz'], ['usage_date', 'date'],
  ['charge_category', 'text'], ['charge_frequency', 'text'], ['charge_description', 'text'], ['pricing_category', 'text'], ['service_category', 'text'],
  ['service_name', 'text'], ['region', 'text'], ['sku_id', 'text'], ['resource_id', 'text'], ['consumed_quantity', 'numeric'], ['consumed_unit', 'text'],
  ['commitment_discount_status', 'text'], ['billed_cost', 'numeric'], ['effective_cost', 'numeric'], ['currency', 'text'], ['tags', 'text'],
  ['energy_kwh', 'double precision'], ['entity_ref', 'text'], ['team_ref', 'text'], ['allocated_by', 'text'],
]
const COLUMN_NAMES = COLUMNS.map(([name]) => name)
// Engines without COPY (PostgreSQL here, without a COPY stream client) get one array per column through unnest.
const INSERT = `insert into cost_line_items (${COLUMN_NAMES.join(', ')}) select * from unnest(${COLUMNS.map(([, type], position) => `$${position + 1}::${type}[]`).join(', ')})`

/**
 * Writes line items in batches: as COPY text where the engine has COPY (PGlite: about twice as fast as the
 * insert, whose parameter arrays are serialised in JavaScript and parsed again in SQL), else as one insert.
 */
class LineItemWriter {
  private readonly lines = new CopyTextBuffer()
  private rows: unknown[][] = []

  constructor(private readonly transaction: Queryable, private readonly batchSize: number) {}

  async add(values: unknown[]): Promise<void> {
    if (this.transaction.copyFrom) this.lines.add(values)
    else this.rows.push(values)
    if (this.lines.rows + this.rows.length >= this.batchSize) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.lines.rows > 0) await this.transaction.copyFrom!('cost_line_items', COLUMN_NAMES, this.lines.take())
    if (this.rows.length > 0) {
      const rows = this.rows
      this.rows = []
      await this.transaction.query(INSERT, COLUMNS.map((_, column) => rows.map((values) => values[column])))
    }
  }
}

/** A line item's values, in COLUMNS order. */
function lineItem(importId: string, charge: FocusCharge, allocator: CostAllocator): unknown[] {
  const allocation = allocator.allocate(charge.resourceId, charge.tags, charge.tagsText ?? '')
  return [
    importId, charge.providerName, charge.billingAccountId, charge.billingPeriodStart, charge.chargePeriodStart.slice(0, 10),
    charge.chargeCategory, charge.chargeFrequency, charge.chargeDescription, charge.pricingCategory, charge.serviceCategory,
    charge.serviceName, charge.regionId, charge.skuId, charge.resourceId, charge.consumedQuantity, charge.consumedUnit,
    charge.commitmentDiscountStatus, charge.billedCost, charge.effectiveCost, charge.billingCurrency, charge.tagsText,
    estimateEnergyKwh(charge) ?? null, allocation.entityRef, allocation.teamRef, allocation.allocatedBy,
  ]
}

interface PeriodKey {
  provider: string
  billingAccountId: string
  billingPeriodStart: string
}

/**
 * Imports FOCUS files into the cost store in one transaction: every row is validated (errors name the file,
 * row and column) and any error stores nothing. Rows stream through in batches, so memory stays bounded. A
 * billing period (provider, billing account, period start) in the files replaces what was stored for it.
 */
export async function importFocus(store: Store, files: string[], { allocator, dryRun = false, batchSize = 10_000, maxErrors = 200, onProgress }: ImportFocusOptions): Promise<FocusImportReport> {
  const errors: FocusFileProblem[] = []
  let errorCount = 0
  const addError = (problem: FocusFileProblem) => {
    errorCount++
    if (errors.length < maxErrors) errors.push(problem)
  }
  let rows = 0
  let total = 0n
  const byProvider = new Map<string, bigint>()
  const periods = new Map<string, PeriodKey & { rows: number; billed: bigint; files: Set<string> }>()

  const importId = randomUUID().slice(0, 13)
  const scan = async (transaction?: Queryable) => {
    const writer = transaction ? new LineItemWriter(transaction, batchSize) : undefined
    for (const file of files) {
      const name = path.resolve(file)
      for await (const { row, record } of readFocusRows(name, addError)) {
        const parsed = parseFocusRow(record)
        if ('problems' in parsed) {
          for (const problem of parsed.problems) addError({ file: name, row, column: problem.column, message: problem.message })
          continue
        }
        const charge = parsed.charge
        rows++
        const units = toUnits(charge.billedCost)
        total += units
        const provider = byProvider.has(charge.providerName) ? charge.providerName : detachString(charge.providerName)
        byProvider.set(provider, (byProvider.get(provider) ?? 0n) + units)
        const key = `${charge.providerName}\u0000${charge.billingAccountId}\u0000${charge.billingPeriodStart}`
        let period = periods.get(key)
        if (!period) {
          period = { provider: detachString(charge.providerName), billingAccountId: detachString(charge.billingAccountId), billingPeriodStart: charge.billingPeriodStart, rows: 0, billed: 0n, files: new Set() }
          periods.set(detachString(key), period)
        }
        period.rows++
        period.billed += units
        period.files.add(name)
        // After the first error nothing more is written: the transaction will be rolled back.
        if (writer && errorCount === 0) await writer.add(lineItem(importId, charge, allocator))
        if (onProgress && rows % 100_000 === 0) onProgress(rows)
      }
    }
    if (errorCount === 0) await writer?.flush()
  }

  if (dryRun) await scan()
  else {
    try {
      await store.transaction(async (transaction) => {
        await scan(transaction)
        if (errorCount > 0) throw new ImportRejected()
        // A billing period in these files replaces what earlier imports stored for it: one pass at the end.
        await replacePeriods(transaction, importId, [...periods.values()])
        await rebuildRollup(transaction, [...periods.values()])
      })
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error
    }
  }
  if (errorCount > errors.length) errors.push({ file: '', row: 0, message: `and ${errorCount - errors.length} more errors` })
  return {
    rows,
    billedCost: { total: unitsToNumber(total), byProvider: Object.fromEntries([...byProvider].map(([provider, units]) => [provider, unitsToNumber(units)])) },
    errors,
  }
}

function periodKeys(periods: PeriodKey[]): unknown[] {
  return [periods.map((period) => period.provider), periods.map((period) => period.billingAccountId), periods.map((period) => period.billingPeriodStart)]
}

const IN_PERIODS = '(provider, billing_account_id, billing_period_start) in (select * from unnest($1::text[], $2::text[], $3::timestamptz[]))'

async function replacePeriods(transaction: Queryable, importId: string, periods: PeriodKey[]): Promise<void> {
  if (periods.length === 0) return
  const keys = periodKeys(periods)
  await transaction.query(`delete from cost_line_items where ${IN_PERIODS} and import_id <> $4`, [...keys, importId])
  await transaction.query(`delete from cost_daily where ${IN_PERIODS}`, keys)
  await transaction.query(`delete from cost_billing_periods where ${IN_PERIODS}`, keys)
}

/** Rebuilds the daily rollup of the imported billing periods in one pass over their rows, and records the periods. */
async function rebuildRollup(transaction: Queryable, periods: Array<PeriodKey & { rows: number; billed: bigint; files: Set<string> }>): Promise<void> {
  if (periods.length === 0) return
  const keys = periodKeys(periods)
  // With the default 4 MB the planner sorts a million rows to group them; with room it hashes them, 2-3x faster
  // in PGlite. A hash aggregate still spills to disk beyond this, so memory stays bounded. For this transaction only.
  await transaction.query(`select set_config('work_mem', '64MB', true)`)
  await transaction.query(
    `insert into cost_daily (usage_date, provider, billing_account_id, billing_period_start, service_category, service_name, region, sku_id, entity_ref, team_ref, allocated_by, pricing_category, charge_category, currency, billed_cost, effective_cost, energy_kwh, unestimated_cost, line_items)
     select usage_date, provider, billing_account_id, billing_period_start, service_category, service_name, region, sku_id, entity_ref, team_ref, allocated_by, pricing_category, charge_category, currency,
            sum(billed_cost), sum(effective_cost), coalesce(sum(energy_kwh), 0), coalesce(sum(billed_cost) filter (where energy_kwh is null), 0), count(*)::integer
     from cost_line_items
     where ${IN_PERIODS}
     group by usage_date, provider, billing_account_id, billing_period_start, service_category, service_name, region, sku_id, entity_ref, team_ref, allocated_by, pricing_category, charge_category, currency`,
    keys,
  )
  for (const period of periods) {
    await transaction.query('insert into cost_billing_periods (provider, billing_account_id, billing_period_start, rows, billed_cost, files) values ($1, $2, $3::timestamptz, $4, $5::numeric, $6::text[])', [period.provider, period.billingAccountId, period.billingPeriodStart, period.rows, unitsToDecimal(period.billed), [...period.files]])
  }
}
