import { describe, expect, it } from 'vitest'
import { ndcgAt, recallAt, reciprocalRankAt } from './retrieval-metrics.ts'

describe('retrieval metrics', () => {
  const relevant = new Set(['a', 'b'])
  it('recall@k counts the relevant ids within k', () => {
    expect(recallAt(5, ['x', 'a', 'y', 'z', 'w', 'b'], relevant)).toBe(0.5)
    expect(recallAt(6, ['x', 'a', 'y', 'z', 'w', 'b'], relevant)).toBe(1)
  })
  it('reciprocal rank is 1 / the first relevant position within k', () => {
    expect(reciprocalRankAt(10, ['x', 'y', 'b'], relevant)).toBeCloseTo(1 / 3)
    expect(reciprocalRankAt(2, ['x', 'y', 'b'], relevant)).toBe(0)
  })
  it('nDCG is 1 for an ideal ranking and less when relevant ids come later', () => {
    expect(ndcgAt(10, ['a', 'b', 'x'], relevant)).toBeCloseTo(1)
    const later = ndcgAt(10, ['x', 'a', 'b'], relevant)
    expect(later).toBeGreaterThan(0)
    expect(later).toBeLessThan(1)
  })
})
