import { describe, expect, it } from 'vitest'
import { parseTimeExpression } from './time-expressions.ts'

const now = new Date('2026-11-25T14:30:00Z') // a Wednesday

describe('parseTimeExpression', () => {
  it.each([
    ['why is search slow since 10:00?', '2026-11-25T10:00:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['errors since 9am', '2026-11-25T09:00:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['since 2:15pm', '2026-11-25T14:15:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['since 23:00', '2026-11-24T23:00:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['what happened yesterday', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ['spend last week', '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['deploys this week', '2026-11-23T00:00:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['incidents in the last 3 hours', '2026-11-25T11:30:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['alerts in the past hour', '2026-11-25T13:30:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['cost last month', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
    ['started 2 days ago', '2026-11-23T14:30:00.000Z', '2026-11-25T14:30:00.000Z'],
    ['anything today?', '2026-11-25T00:00:00.000Z', '2026-11-25T14:30:00.000Z'],
  ])('%s', (text, from, to) => {
    const range = parseTimeExpression(text, now)
    expect(range?.from.toISOString()).toBe(from)
    expect(range?.to.toISOString()).toBe(to)
  })

  it('finds nothing where there is no time', () => {
    expect(parseTimeExpression('who owns checkout-api since the reorg', now)).toBeUndefined()
    expect(parseTimeExpression('scale search to 6 replicas', now)).toBeUndefined()
  })
})
