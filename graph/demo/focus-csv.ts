/** The FOCUS 1.2 columns the demo and benchmark files carry (a subset: the mandatory ones and those cost analysis reads). */
export const FOCUS_COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeClass',
  'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart', 'CommitmentDiscountStatus', 'ConsumedQuantity', 'ConsumedUnit',
  'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName',
  'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory', 'ServiceName', 'SkuId',
  'SubAccountId', 'SubAccountName', 'Tags',
] as const;

export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
export type FocusRow = Partial<Record<FocusColumn, string | null>>;

function quote(value: string | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function focusHeader(): string {
  return `${FOCUS_COLUMNS.join(',')}\n`;
}

/** One CSV line; nulls are written as the literal NULL, as the FOCUS sample data does. */
export function focusLine(row: FocusRow): string {
  return `${FOCUS_COLUMNS.map(column => quote(row[column])).join(',')}\n`;
}
