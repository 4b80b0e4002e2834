import { detachString } from './detach-string.ts'
import { CHARGE_CATEGORIES, CHARGE_CLASSES, CHARGE_FREQUENCIES, COMMITMENT_DISCOUNT_STATUSES, PRICING_CATEGORIES, SERVICE_CATEGORIES, canonicalValue } from './focus-values.ts'

/** One FOCUS charge, as the cost store keeps it. Money stays a decimal string so that sums are exact. */
export interface FocusCharge {
  /** The Tags cell as written, a cheap key for decisions that depend on the tags. */
  tagsText: string | null
  providerName: string
  billingAccountId: string
  billingCurrency: string
  billingPeriodStart: string
  billingPeriodEnd: string
  chargePeriodStart: string
  chargePeriodEnd: string
  chargeCategory: string
  chargeClass: string | null
  chargeDescription: string | null
  chargeFrequency: string | null
  pricingCategory: string | null
  serviceCategory: string
  serviceName: string
  regionId: string | null
  skuId: string | null
  resourceId: string | null
  resourceName: string | null
  resourceType: string | null
  subAccountId: string | null
  consumedQuantity: string | null
  consumedUnit: string | null
  commitmentDiscountStatus: string | null
  commitmentDiscountId: string | null
  billedCost: string
  effectiveCost: string
  listCost: string | null
  tags: Record<string, string>
}

export interface ColumnProblem {
  column: string
  message: string
}

/** Columns every FOCUS 1.0–1.2 file has; without one of them a file cannot be imported. */
export const REQUIRED_COLUMNS = ['BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargeCategory', 'ChargePeriodStart', 'ChargePeriodEnd', 'EffectiveCost', 'ServiceCategory', 'ServiceName'] as const

/** `ProviderName` (1.0–1.2) or `ServiceProviderName` (1.3), whichever the file has. */
export const PROVIDER_COLUMNS = ['ProviderName', 'ServiceProviderName'] as const

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/
// FOCUS writes ISO 8601 in UTC; exports also write "2024-09-01 00:00:00" without a zone, which is UTC too.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i
const CURRENCY = /^[A-Z]{3}$/

/** A row's cells and where each column is: rows stay arrays, as the CSV reader yields them. */
export interface FocusRecord {
  cells: string[]
  columns: ReadonlyMap<string, number>
}

function isVisibleAscii(code: number): boolean {
  return code > 32 && code < 127
}

/** The literal `NULL` and empty cells are nulls. */
function cell(record: FocusRecord, column: string): string | null {
  const position = record.columns.get(column)
  const value = position === undefined ? undefined : record.cells[position]
  if (value === undefined || value === '' || value === 'NULL') return null
  // Most cells start and end with a visible ASCII character: they skip trim() (a third of this function's time).
  const trimmed = isVisibleAscii(value.charCodeAt(0)) && isVisibleAscii(value.charCodeAt(value.length - 1)) ? value : value.trim()
  return trimmed === '' || (trimmed.length === 4 && trimmed.toUpperCase() === 'NULL') ? null : trimmed
}

/** Dates and enumerated values repeat on almost every row: each distinct text is checked once (bounded). */
const dateCache = new Map<string, string | undefined>()
const enumCache = new Map<readonly string[], Map<string, string | undefined>>()

function isoDateTime(value: string): string | undefined {
  let iso = dateCache.get(value)
  if (iso !== undefined || dateCache.has(value)) return iso
  const match = DATE_TIME.exec(value)
  if (match) {
    const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match
    const zoneText = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`
    const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${zoneText}`)
    iso = Number.isNaN(date.getTime()) ? undefined : date.toISOString()
  }
  if (dateCache.size > 100_000) dateCache.clear()
  dateCache.set(detachString(value), iso)
  return iso
}

function enumerationOf(value: string, allowed: readonly string[]): string | undefined {
  let cache = enumCache.get(allowed)
  if (!cache) enumCache.set(allowed, (cache = new Map()))
  if (cache.has(value)) return cache.get(value)
  const canonical = canonicalValue(value, allowed)
  if (cache.size < 1000) cache.set(detachString(value), canonical)
  return canonical
}

const NO_TAGS: Record<string, string> = Object.freeze({}) as Record<string, string>
/** Tags repeat across a resource's rows: each distinct text is parsed once (bounded). Shared, hence frozen. */
const tagsCache = new Map<string, Readonly<Record<string, string>> | string>()

/** The tags of a Tags cell, or what is wrong with it. */
function tagsOf(text: string): Readonly<Record<string, string>> | string {
  let tags = tagsCache.get(text)
  if (tags !== undefined) return tags
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) tags = 'must be a JSON object of key-value pairs'
    else {
      const object = parsed as Record<string, unknown>
      for (const key in object) if (typeof object[key] !== 'string') object[key] = JSON.stringify(object[key])
      tags = Object.freeze(object as Record<string, string>)
    }
  } catch (error) {
    tags = `is not valid JSON: ${(error as Error).message}`
  }
  if (tagsCache.size >= 10_000) tagsCache.clear()
  tagsCache.set(detachString(text), tags)
  return tags
}

type Record_ = FocusRecord

function required(record: Record_, column: string, problems: ColumnProblem[]): string {
  const value = cell(record, column)
  if (value === null) problems.push({ column, message: 'is required and must not be null' })
  return value ?? ''
}

function decimal(record: Record_, column: string, nullable: boolean, problems: ColumnProblem[]): string | null {
  const value = nullable ? cell(record, column) : required(record, column, problems) || null
  if (value === null) return null
  if (!DECIMAL.test(value)) {
    problems.push({ column, message: `"${value}" is not a decimal number` })
    return null
  }
  return value
}

function dateTime(record: Record_, column: string, problems: ColumnProblem[]): string {
  const value = required(record, column, problems)
  if (!value) return ''
  const iso = isoDateTime(value)
  if (iso === undefined) problems.push({ column, message: DATE_TIME.test(value) ? `"${value}" is not a valid date-time` : `"${value}" is not a date-time; expected ISO 8601 such as 2024-09-01T00:00:00Z` })
  return iso ?? ''
}

function enumerated(record: Record_, column: string, allowed: readonly string[], nullable: boolean, problems: ColumnProblem[]): string | null {
  const value = nullable ? cell(record, column) : required(record, column, problems) || null
  if (value === null) return null
  const canonical = enumerationOf(value, allowed)
  if (!canonical) problems.push({ column, message: `"${value}" is not one of ${allowed.join(', ')}` })
  return canonical ?? null
}

/**
 * Validates one CSV record against FOCUS and converts it; returns the problems instead, each naming its
 * column and what would be accepted.
 */
export function parseFocusRow(record: Record_): { charge: FocusCharge } | { problems: ColumnProblem[] } {
  const problems: ColumnProblem[] = []
  const providerColumn = record.columns.has('ProviderName') || !record.columns.has('ServiceProviderName') ? 'ProviderName' : 'ServiceProviderName'
  const currency = required(record, 'BillingCurrency', problems)
  if (currency && !CURRENCY.test(currency)) problems.push({ column: 'BillingCurrency', message: `"${currency}" is not an ISO 4217 currency code such as USD` })
  let tags: Record<string, string> = NO_TAGS
  const tagText = cell(record, 'Tags')
  if (tagText !== null && tagText !== '{}') {
    const parsed = tagsOf(tagText)
    if (typeof parsed === 'string') problems.push({ column: 'Tags', message: parsed })
    else tags = parsed
  }
  const charge: FocusCharge = {
    tagsText: tagText,
    providerName: required(record, providerColumn, problems),
    billingAccountId: required(record, 'BillingAccountId', problems),
    billingCurrency: currency,
    billingPeriodStart: dateTime(record, 'BillingPeriodStart', problems),
    billingPeriodEnd: dateTime(record, 'BillingPeriodEnd', problems),
    chargePeriodStart: dateTime(record, 'ChargePeriodStart', problems),
    chargePeriodEnd: dateTime(record, 'ChargePeriodEnd', problems),
    chargeCategory: enumerated(record, 'ChargeCategory', CHARGE_CATEGORIES, false, problems) ?? '',
    chargeClass: enumerated(record, 'ChargeClass', CHARGE_CLASSES, true, problems),
    chargeDescription: cell(record, 'ChargeDescription'),
    chargeFrequency: enumerated(record, 'ChargeFrequency', CHARGE_FREQUENCIES, true, problems),
    pricingCategory: enumerated(record, 'PricingCategory', PRICING_CATEGORIES, true, problems),
    serviceCategory: enumerated(record, 'ServiceCategory', SERVICE_CATEGORIES, false, problems) ?? '',
    serviceName: required(record, 'ServiceName', problems),
    regionId: cell(record, 'RegionId') ?? cell(record, 'RegionName'),
    skuId: cell(record, 'SkuId'),
    resourceId: cell(record, 'ResourceId'),
    resourceName: cell(record, 'ResourceName'),
    resourceType: cell(record, 'ResourceType'),
    subAccountId: cell(record, 'SubAccountId'),
    consumedQuantity: decimal(record, 'ConsumedQuantity', true, problems),
    consumedUnit: cell(record, 'ConsumedUnit'),
    commitmentDiscountStatus: enumerated(record, 'CommitmentDiscountStatus', COMMITMENT_DISCOUNT_STATUSES, true, problems),
    commitmentDiscountId: cell(record, 'CommitmentDiscountId'),
    billedCost: decimal(record, 'BilledCost', false, problems) ?? '0',
    effectiveCost: decimal(record, 'EffectiveCost', false, problems) ?? '0',
    listCost: decimal(record, 'ListCost', true, problems),
    tags,
  }
  if (charge.chargePeriodStart && charge.chargePeriodEnd && charge.chargePeriodEnd < charge.chargePeriodStart) problems.push({ column: 'ChargePeriodEnd', message: 'is before ChargePeriodStart' })
  return problems.length > 0 ? { problems } : { charge }
}
