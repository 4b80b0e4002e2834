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
})
