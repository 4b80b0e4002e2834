/** A small seeded generator (mulberry32): the same seed gives the same sample on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/** `count` distinct items (fewer if there are fewer), chosen by a seeded shuffle of the sorted input. */
export function deterministicSample<Item>(items: Iterable<Item>, count: number, seed = 1): Item[] {
  const pool = [...items].sort()
  const random = seededRandom(seed)
  const take = Math.min(count, pool.length)
  // A partial Fisher–Yates shuffle: only the first `take` positions are drawn.
  for (let position = 0; position < take; position++) {
    const chosen = position + Math.floor(random() * (pool.length - position))
    ;[pool[position], pool[chosen]] = [pool[chosen]!, pool[position]!]
  }
  return pool.slice(0, take)
}

/** Repeats `items` in order until there are `count` of them. */
export function cycleTo<Item>(items: Item[], count: number): Item[] {
  if (items.length === 0) return []
  return Array.from({ length: count }, (_, position) => items[position % items.length]!)
}

/** `a[0], b[0], a[1], b[1], …`, then the rest of the longer list. */
export function interleave<Item>(first: Item[], second: Item[]): Item[] {
  const out: Item[] = []
  for (let position = 0; position < Math.max(first.length, second.length); position++) {
    if (position < first.length) out.push(first[position]!)
    if (position < second.length) out.push(second[position]!)
  }
  return out
}
