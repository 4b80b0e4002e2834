/**
 * Exact sums of decimal strings: FOCUS money has up to 12 or more decimals, and a float sum over millions of
 * rows drifts away from the bill. Amounts are held as BigInt units of 10^-12.
 */
const SCALE_DIGITS = 12
const SCALE = 10n ** BigInt(SCALE_DIGITS)

export function toUnits(decimal: string): bigint {
  let text = decimal.trim()
  if (/e/i.test(text)) text = Number(text).toFixed(SCALE_DIGITS)
  const negative = text.startsWith('-')
  if (negative || text.startsWith('+')) text = text.slice(1)
  const [whole = '0', fraction = ''] = text.split('.')
  const units = BigInt(whole || '0') * SCALE + BigInt((fraction + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS) || '0')
  return negative ? -units : units
}

/** The exact decimal text of an amount in units. */
export function unitsToDecimal(units: bigint): string {
  const negative = units < 0n
  const absolute = negative ? -units : units
  const whole = absolute / SCALE
  const fraction = (absolute % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** An amount as a number rounded to `digits` decimals (money for people and JSON). */
export function unitsToNumber(units: bigint, digits = 6): number {
  return Number(Number(unitsToDecimal(units)).toFixed(digits))
}

/** A numeric value from SQL (text) rounded to cents or finer, for output. */
export function money(value: string | number | null | undefined, digits = 2): number {
  if (value === null || value === undefined) return 0
  return Number(Number(value).toFixed(digits))
}
