import { describe, expect, it } from 'vitest'
import { editDistance } from './edit-distance.ts'

describe('editDistance', () => {
  it.each([
    ['payments', 'payments', 0],
    ['payments', 'paymnets', 1],
    ['checkout', 'chekout', 1],
    ['cart', 'card', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected)
  })

  it('stops early past the limit', () => {
    expect(editDistance('completely', 'different', 2)).toBe(3)
    expect(editDistance('a', 'abcdef', 2)).toBe(3)
  })

  it('agrees with the textbook recurrence on random words, long ones too, call after call', () => {
    const reference = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
        }
      }
      return d[a.length]![b.length]!
    }
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const word = () => Array.from({ length: Math.floor(random() * (random() < 0.1 ? 150 : 10)) }, () => 'abcd'[Math.floor(random() * 4)]).join('')
    for (let round = 0; round < 400; round++) {
      const [a, b] = [word(), word()]
      expect(editDistance(a, b), `${a} → ${b}`).toBe(reference(a, b))
      const bounded = editDistance(a, b, 2)
      if (reference(a, b) <= 2) expect(bounded, `${a} → ${b} within 2`).toBe(reference(a, b))
      else expect(bounded, `${a} → ${b} past 2`).toBeGreaterThan(2)
    }
  })
})
