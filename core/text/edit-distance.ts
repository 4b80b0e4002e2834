/** Three rows of the distance matrix, reused: spelling correction compares a word with thousands of candidates. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)]

/**
 * Edit distance with adjacent transpositions (optimal string alignment), so "paymnets" is one edit from
 * "payments". Gives up, returning limit + 1, as soon as the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  if (rows[0]!.length <= b.length) rows = rows.map(() => new Int32Array(b.length * 2 + 1))
  let [beforePrevious, previous, current] = rows as [Int32Array, Int32Array, Int32Array]
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMinimum = i
    const charA = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const charB = b.charCodeAt(j - 1)
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (charA === charB ? 0 : 1))
      if (i > 1 && j > 1 && charA === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === charB) value = Math.min(value, beforePrevious[j - 2]! + 1)
      current[j] = value
      if (value < rowMinimum) rowMinimum = value
    }
    if (rowMinimum > limit) return limit + 1
    const oldest = beforePrevious
    beforePrevious = previous
    previous = current
    current = oldest
  }
  return previous[b.length]!
}
