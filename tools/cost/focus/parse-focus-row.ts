import { CHARGE_CATEGORIES, CHARGE_CLASSES, CHARGE_FREQUENCIES, COMMITMENT_DISCOUNT_STATUSES, PRICING_CATEGORIES, SERVICE_CATEGORIES, canonicalValue } from './focus-values.ts'

/** One FOCUS charge, as the cost store keeps it. Money stays a decimal string so that sums are exact. */
export interface FocusCharge {
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

/** The literal `NULL` and empty cells are nulls. */
function cell(record: Record<string, string | undefined>, column: string): string | null {
  const value = record[column]
  if (value === undefined) return null
  const trimmed = value.trim()
  return trimmed === '' || trimmed.toUpperCase() === 'NULL' ? null : trimmed
}

/**
 * Validates one CSV record against FOCUS and converts it; returns the problems instead, each naming its
 * column and what would be accepted.
 */
export function parseFocusRow(record: Record<string, string | undefined>): { charge: FocusCharge } | { problems: ColumnProblem[] } {
  const problems: ColumnProblem[] = []
  const required = (column: string): string => {
    const value = cell(record, column)
    if (value === null) problems.push({ column, message: 'is required and must not be null' })
    return value ?? ''
  }
  const decimal = (column: string, nullable: boolean): string | null => {
    const value = nullable ? cell(record, column) : required(column) || null
    if (value === null) return null
    if (!DECIMAL.test(value)) {
      problems.push({ column, message: `"${value}" is not a decimal number` })
      return null
    }
    return value
  }
  const dateTime = (column: string): string => {
    const value = required(column)
    if (!value) return ''
    const match = DATE_TIME.exec(value)
    if (!match) {
      problems.push({ column, message: `"${value}" is not a date-time; expected ISO 8601 such as 2024-09-01T00:00:00Z` })
      return ''
    }
    const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match
    const zoneText = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`
    const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${zoneText}`)
    if (Number.isNaN(date.getTime())) {
      problems.push({ column, message: `"${value}" is not a valid date-time` })
      return ''
    }
    return date.toISOString()
  }
  const enumerated = (column: string, allowed: readonly string[], nullable: boolean): string | null => {
    const value = nullable ? cell(record, column) : required(column) || null
    if (value === null) return null
    const canonical = canonicalValue(value, allowed)
    if (!canonical) problems.push({ column, message: `"${value}" is not one of ${allowed.join(', ')}` })
    return canonical ?? null
  }

  const providerColumn = PROVIDER_COLUMNS.find((column) => record[column] !== undefined) ?? 'ProviderName'
  const currency = required('BillingCurrency')
  if (currency && !CURRENCY.test(currency)) problems.push({ column: 'BillingCurrency', message: `"${currency}" is not an ISO 4217 currency code such as USD` })
  let tags: Record<string, string> = {}
  const tagText = cell(record, 'Tags')
  if (tagText !== null) {
    try {
      const parsed = JSON.parse(tagText) as unknown
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) problems.push({ column: 'Tags', message: 'must be a JSON object of key-value pairs' })
      else tags = Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]))
    } catch (error) {
      problems.push({ column: 'Tags', message: `is not valid JSON: ${(error as Error).message}` })
    }
  }
  const charge: FocusCharge = {
    providerName: required(providerColumn),
    billingAccountId: required('BillingAccountId'),
    billingCurrency: currency,
    billingPeriodStart: dateTime('BillingPeriodStart'),
    billingPeriodEnd: dateTime('BillingPeriodEnd'),
    chargePeriodStart: dateTime('ChargePeriodStart'),
    chargePeriodEnd: dateTime('ChargePeriodEnd'),
    chargeCategory: enumerated('ChargeCategory', CHARGE_CATEGORIES, false) ?? '',
    chargeClass: enumerated('ChargeClass', CHARGE_CLASSES, true),
    chargeDescription: cell(record, 'ChargeDescription'),
    chargeFrequency: enumerated('ChargeFrequency', CHARGE_FREQUENCIES, true),
    pricingCategory: enumerated('PricingCategory', PRICING_CATEGORIES, true),
    serviceCategory: enumerated('ServiceCategory', SERVICE_CATEGORIES, false) ?? '',
    serviceName: required('ServiceName'),
    regionId: cell(record, 'RegionId') ?? cell(record, 'RegionName'),
    skuId: cell(record, 'SkuId'),
    resourceId: cell(record, 'ResourceId'),
    resourceName: cell(record, 'ResourceName'),
    resourceType: cell(record, 'ResourceType'),
    subAccountId: cell(record, 'SubAccountId'),
    consumedQuantity: decimal('ConsumedQuantity', true),
    consumedUnit: cell(record, 'ConsumedUnit'),
    commitmentDiscountStatus: enumerated('CommitmentDiscountStatus', COMMITMENT_DISCOUNT_STATUSES, true),
    commitmentDiscountId: cell(record, 'CommitmentDiscountId'),
    billedCost: decimal('BilledCost', false) ?? '0',
    effectiveCost: decimal('EffectiveCost', false) ?? '0',
    listCost: decimal('ListCost', true),
    tags,
  }
  if (charge.chargePeriodStart && charge.chargePeriodEnd && charge.chargePeriodEnd < charge.chargePeriodStart) problems.push({ column: 'ChargePeriodEnd', message: 'is before ChargePeriodStart' })
  return problems.length > 0 ? { problems } : { charge }
}
