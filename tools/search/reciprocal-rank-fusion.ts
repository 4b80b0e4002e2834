export interface RankedList {
  name: string
  ids: string[]
  weight?: number
}

export interface FusedItem {
  id: string
  score: number
  /** The item's rank (1-based) in each list it appears in. */
  ranks: Record<string, number>
}

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each list adds weight / (k + rank). Ranks, not
 * scores, are fused, so a cosine similarity and a ts_rank need no common scale.
 */
export function reciprocalRankFusion(lists: RankedList[], { k = 60 }: { k?: number } = {}): FusedItem[] {
  const fused = new Map<string, FusedItem>()
  for (const { name, ids, weight = 1 } of lists) {
    ids.forEach((id, position) => {
      const item = fused.get(id) ?? { id, score: 0, ranks: {} }
      if (item.ranks[name] !== undefined) return
      item.ranks[name] = position + 1
      item.score += weight / (k + position + 1)
      fused.set(id, item)
    })
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
}
