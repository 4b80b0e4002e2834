import { describe, expect, it } from 'vitest'
import { signPagerDutyBody, verifyPagerDutySignature } from './pagerduty-signature.ts'

const body = '{"event":{"id":"01DEN4HPBQAGSF4IRX1ZFF6Q2I"}}'
const secret = 'whsec-pd-test-secret'
// Computed outside Node: printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -hex
const openssl = 'v1=9c02fdee0dfe7b5c393d9cea79845c5826cd005773f13b965098571df1fdc2a0'

describe('PagerDuty webhook signatures', () => {
  it('signs as PagerDuty does (hex HMAC-SHA256 of the raw body) and accepts it', () => {
    expect(signPagerDutyBody(body, secret)).toBe(openssl)
    expect(verifyPagerDutySignature({ body, header: openssl, secret })).toBe(true)
  })

  it('accepts any one matching signature while secrets rotate, and ignores other versions', () => {
    const old = signPagerDutyBody(body, 'the-previous-secret')
    expect(verifyPagerDutySignature({ body, header: `${old}, ${openssl}`, secret })).toBe(true)
    expect(verifyPagerDutySignature({ body, header: `v2=abc,${openssl}`, secret })).toBe(true)
    expect(verifyPagerDutySignature({ body, header: old, secret })).toBe(false)
  })

  it('refuses a tampered body, a missing header, a bare hex digest and a truncated one', () => {
    expect(verifyPagerDutySignature({ body: body.replace('2I', '3J'), header: openssl, secret })).toBe(false)
    expect(verifyPagerDutySignature({ body, header: undefined, secret })).toBe(false)
    expect(verifyPagerDutySignature({ body, header: openssl.slice(3), secret })).toBe(false)
    expect(verifyPagerDutySignature({ body, header: openssl.slice(0, -2), secret })).toBe(false)
  })
})
