/**
 * Ranking metrics over a ranked list of ids and the set of relevant ones (binary relevance). Each returns a
 * share in [0, 1] for one query; a suite averages them.
 */

/** The share of the relevant ids found in the first `k`. */
export function recallAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size
}

/** 1 / the rank of the first relevant id within the first `k`, or 0. */
export function reciprocalRankAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const position = ranked.slice(0, k).findIndex((id) => relevant.has(id))
  return position === -1 ? 0 : 1 / (position + 1)
}

/** Normalised discounted cumulative gain within the first `k` (gain 1 per relevant id, log2 discount). */
export function ndcgAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const gain = (ids: readonly string[]) => ids.slice(0, k).reduce((sum, id, position) => sum + (relevant.has(id) ? 1 / Math.log2(position + 2) : 0), 0)
  const ideal = gain([...relevant])
  return ideal === 0 ? 0 : gain(ranked) / ideal
}
