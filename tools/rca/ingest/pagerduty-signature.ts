import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header PagerDuty V3 webhook subscriptions sign every delivery with. */
export const PAGERDUTY_SIGNATURE_HEADER = 'x-pagerduty-signature'

/** Signs a body as PagerDuty does: `v1=` and the hex HMAC-SHA256 of the raw body under the subscription's secret. */
export function signPagerDutyBody(body: string, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

/**
 * Whether `header` (`X-PagerDuty-Signature`) carries a valid signature of the raw `body`. While a secret is being
 * rotated PagerDuty sends one signature per secret, comma-separated; one that matches is enough. Versions other
 * than v1 are ignored (PagerDuty may add them), and comparison takes constant time.
 */
export function verifyPagerDutySignature({ body, header, secret }: { body: string; header: string | undefined; secret: string }): boolean {
  if (!header) return false
  const expected = Buffer.from(signPagerDutyBody(body, secret), 'utf8')
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part, 'utf8')
      return given.length === expected.length && timingSafeEqual(given, expected)
    })
}
