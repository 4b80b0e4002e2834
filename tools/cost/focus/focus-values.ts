/**
 * FOCUS (FinOps Open Cost and Usage Specification) enumerations, 1.0 to 1.2. Exports write these in varying
 * case ("Usage-based"), so values are matched case-insensitively and stored in the specification's spelling.
 */
export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const
export const CHARGE_CLASSES = ['Correction'] as const
export const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'] as const
export const PRICING_CATEGORIES = ['Standard', 'Dynamic', 'Committed', 'Other'] as const
export const COMMITMENT_DISCOUNT_STATUSES = ['Used', 'Unused'] as const
export const SERVICE_CATEGORIES = [
  'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud',
  'Identity', 'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking',
  'Security', 'Storage', 'Web', 'Other',
] as const

/** Values of the 1.0 previews that later versions renamed. */
const ALIASES: Record<string, string> = { 'on-demand': 'Standard', 'commitment-based': 'Committed', 'usage based': 'Usage-Based', 'one time': 'One-Time' }

/** The specification's spelling of `value`, or undefined when it is not one of `allowed`. */
export function canonicalValue(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.trim().toLowerCase()
  const found = allowed.find((item) => item.toLowerCase() === lower)
  if (found) return found
  const alias = ALIASES[lower]
  return alias && allowed.includes(alias) ? alias : undefined
}
