/**
 * A small deterministic pseudo-random number generator (mulberry32) with the
 * helpers the demo generators need. The same seed always yields the same
 * sequence, on every platform.
 */
export type SeededRandom = {
  /** A float in [0, 1). */
  next: () => number;
  /** An integer in [minimum, maximum] (both inclusive). */
  int: (minimum: number, maximum: number) => number;
  /** True with the given probability. */
  chance: (probability: number) => boolean;
  /** One element of a non-empty list. */
  pick: <Item>(items: readonly Item[]) => Item;
  /** `count` distinct elements of a list (fewer if the list is shorter), in random order. */
  sample: <Item>(items: readonly Item[], count: number) => Item[];
  /** A shuffled copy of a list. */
  shuffle: <Item>(items: readonly Item[]) => Item[];
};

export function createSeededRandom(options: { seed: number }): SeededRandom {
  let state = options.seed >>> 0;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };

  const int = (minimum: number, maximum: number): number =>
    minimum + Math.floor(next() * (maximum - minimum + 1));

  const chance = (probability: number): boolean => next() < probability;

  const pick = <Item>(items: readonly Item[]): Item => {
    if (items.length === 0) throw new Error('Cannot pick from an empty list');
    return items[Math.floor(next() * items.length)];
  };

  const shuffle = <Item>(items: readonly Item[]): Item[] => {
    const copy = items.slice();
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      const held = copy[index];
      copy[index] = copy[other];
      copy[other] = held;
    }
    return copy;
  };

  const sample = <Item>(items: readonly Item[], count: number): Item[] =>
    shuffle(items).slice(0, Math.max(0, count));

  return { next, int, chance, pick, sample, shuffle };
}
