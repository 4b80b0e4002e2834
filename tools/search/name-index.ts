import { editDistance } from '../../core/text/edit-distance.ts'
import { PREFIX_MIN_LENGTH, vocabularyWords } from './query-words.ts'

export interface NameMatch {
  ref: string
  score: number
  /** The query words that matched, and how: `exact`, `prefix` or `typo` (with the name word they matched). */
  matched: Array<{ word: string; as: string; how: 'exact' | 'prefix' | 'typo' }>
}

// A word on more names than this identifies none of them ("service" at 100,000 entities).
const MAX_POSTINGS = 5000
const MAX_PREFIX_EXPANSION = 200
// A word on more names than this only adds to entities that rarer query words found (see match).
const COMMON_NAME_WORD = 1000

/**
 * Entity names in memory, for what full-text search does badly: partial words ("paym" for payments-api) and
 * typos ("chekout"). Each entity's name, title and aliases are split into words; a query word matches a name
 * word exactly, as its prefix, or within a small edit distance. It also keeps every word of every document
 * (`vocabulary`) so that misspelt query words can be corrected before the full-text query runs.
 */
export class NameIndex {
  /**
   * Entities by number: matching credits thousands of entities per query, and numbers index reusable typed
   * arrays where string keys would cost a map entry (and garbage) per credit.
   */
  private readonly ids = new Map<string, number>()
  private readonly refs: string[] = []
  /** Each entity's name words, by number (undefined once removed). */
  private readonly wordsOf: Array<string[] | undefined> = []
  private readonly fullNamesOf = new Map<string, string[]>()
  private readonly fullNames = new Map<string, Set<string>>()
  private readonly postings = new Map<string, Set<number>>()
  private readonly vocabulary = new Map<string, number>()
  private textCount = 0
  private entityCount = 0
  private sorted?: string[]
  private byLength?: Map<number, string[]>
  private vocabularyByLength?: Map<number, string[]>
  private sortedVocabulary?: string[]
  /** Per-query scratch, indexed by entity number: the total score, and each query word's best credit. */
  private scores = new Float64Array(0)
  private readonly bestByWord: Float64Array[] = []
  /** The entities credited so far in a query, in the order first credited. */
  private credited = new Int32Array(0)

  get size(): number {
    return this.entityCount
  }

  /** Sets an entity's names (name, title, aliases), replacing earlier ones. */
  setNames(ref: string, names: string[]): void {
    this.remove(ref)
    let id = this.ids.get(ref)
    if (id === undefined) {
      id = this.refs.push(ref) - 1
      this.ids.set(ref, id)
    }
    const words = [...new Set(names.flatMap((name) => nameWords(name)))]
    this.wordsOf[id] = words
    this.entityCount++
    for (const word of words) this.post(this.postings, word, id)
    const fullNames = [...new Set(names.map(normalizeName).filter((name) => name !== ''))]
    this.fullNamesOf.set(ref, fullNames)
    for (const name of fullNames) this.post(this.fullNames, name, ref)
    this.sorted = undefined
    this.byLength = undefined
  }

  remove(ref: string): void {
    const id = this.ids.get(ref)
    const words = id === undefined ? undefined : this.wordsOf[id]
    if (id === undefined || !words) return
    this.wordsOf[id] = undefined
    this.entityCount--
    for (const word of words) this.postings.get(word)?.delete(id)
    for (const name of this.fullNamesOf.get(ref) ?? []) {
      const refs = this.fullNames.get(name)
      if (refs?.delete(ref) && refs.size === 0) this.fullNames.delete(name)
    }
    this.fullNamesOf.delete(ref)
    this.sorted = undefined
    this.byLength = undefined
  }

  /** Counts the words of a document's text for spelling correction (never removed: a stale word only costs a wasted alternative). */
  addVocabulary(text: string): void {
    this.textCount++
    for (const word of new Set(vocabularyWords(text))) {
      if (!this.vocabulary.has(word)) {
        this.vocabularyByLength = undefined
        this.sortedVocabulary = undefined
      }
      this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + 1)
    }
  }

  /** How many document texts a word appeared in (approximately: counted per text added). */
  frequency(word: string): number {
    return this.vocabulary.get(word) ?? 0
  }

  /**
   * How many document texts a query word finds: its own count when it is known whole, else the counts of the
   * words it begins, since full text searches an unknown word as a prefix (from PREFIX_MIN_LENGTH letters).
   */
  reach(word: string): number {
    if (this.knows(word) || word.length < PREFIX_MIN_LENGTH) return this.frequency(word)
    this.sortedVocabulary ??= [...this.vocabulary.keys()].sort()
    let total = 0
    for (let position = lowerBound(this.sortedVocabulary, word); position < this.sortedVocabulary.length && this.sortedVocabulary[position]!.startsWith(word); position++) {
      total += this.vocabulary.get(this.sortedVocabulary[position]!)!
    }
    return total
  }

  /** Whether a word is known whole: in some document's text or some entity's name. */
  knows(word: string): boolean {
    return this.vocabulary.has(word) || this.postings.has(word)
  }

  /** How many texts were added to the vocabulary. */
  get texts(): number {
    return this.textCount
  }

  /** The closest known word to a word nobody wrote (edit distance 1, or 2 from 8 letters), or undefined. */
  correct(word: string): string | undefined {
    if (word.length < 4 || /\d/.test(word) || this.vocabulary.has(word) || this.postings.has(word)) return undefined
    this.vocabularyByLength ??= groupByLength(lettered([...this.vocabulary.keys(), ...this.postings.keys()]))
    const limit = word.length >= 8 ? 2 : 1
    let best: string | undefined
    let bestDistance = limit + 1
    let bestCount = 0
    for (let length = word.length - limit; length <= word.length + limit; length++) {
      for (const candidate of this.vocabularyByLength.get(length) ?? []) {
        const distance = editDistance(word, candidate, limit)
        const count = this.vocabulary.get(candidate) ?? 1
        if (distance < bestDistance || (distance === bestDistance && count > bestCount)) {
          best = candidate
          bestDistance = distance
          bestCount = count
        }
      }
    }
    return bestDistance <= limit ? best : undefined
  }

  /** Entities whose names match the query words, best first. */
  match(query: string, words: string[], limit: number): NameMatch[] {
    const total = Math.max(1, this.entityCount)
    const expansions = words
      .flatMap((word, position) => this.expand(word).map(([as, how]) => ({ word, position, as, how, refs: this.postings.get(as) })))
      .filter((expansion): expansion is typeof expansion & { refs: Set<number> } => expansion.refs !== undefined && expansion.refs.size > 0 && expansion.refs.size <= MAX_POSTINGS)
      .sort((a, b) => a.refs.size - b.refs.size)
    // Each query word counts once per entity, with its best match (exact over prefix over typo; of those alike,
    // the first, which is the rarest name word), kept per word as RANK_SCALE × rank + score (0 for none).
    const scores = this.scratch(words.length)
    const credited = this.credited
    let creditedCount = 0
    const credit = (id: number, position: number, how: NameMatch['matched'][number]['how'], score: number) => {
      const best = this.bestByWord[position]!
      const previous = best[id]!
      if (previous !== 0 && Math.floor(previous / RANK_SCALE) >= rank(how)) return
      best[id] = RANK_SCALE * rank(how) + score
      if (scores[id] === 0) credited[creditedCount++] = id
      scores[id] += score - (previous === 0 ? 0 : previous % RANK_SCALE)
    }
    for (const { position, how, as, refs } of expansions) {
      const score = weight(how) * this.idf(as, total)
      // Rarest words first. Once they have found enough entities, a common word ("worker" on thousands of names)
      // only adds to those: an entity with nothing but common words would not rank among them, and crediting
      // all its thousands of names is what made a query slow.
      if (refs.size > COMMON_NAME_WORD && creditedCount >= limit) {
        for (let index = 0, count = creditedCount; index < count; index++) if (refs.has(credited[index]!)) credit(credited[index]!, position, how, score)
      } else {
        // forEach, not for…of: the iterator's result objects were a tenth of a search's garbage.
        refs.forEach((id) => credit(id, position, how, score))
      }
    }
    // The whole query is a name ("checkout api", "Payments API"): that entity first.
    for (const ref of this.fullNames.get(normalizeName(query)) ?? []) {
      const id = this.ids.get(ref)!
      if (scores[id] === 0) credited[creditedCount++] = id
      scores[id] += 100
    }
    const top = topScores(credited.subarray(0, creditedCount), limit, (id) => scores[id]! / Math.sqrt(this.wordsOf[id]?.length ?? 1), (id) => this.refs[id]!)
    const matches = top.map(({ id, score }) => ({
      ref: this.refs[id]!,
      score,
      // How each word matched, for the few entities returned: the first expansion that gave the kept credit.
      matched: words.flatMap((_, position) => {
        const kept = this.bestByWord[position]![id]!
        if (kept === 0) return []
        const expansion = expansions.find((item) => item.position === position && rank(item.how) === Math.floor(kept / RANK_SCALE) && item.refs.has(id))!
        return [{ word: expansion.word, as: expansion.as, how: expansion.how }]
      }),
    }))
    for (const id of credited.subarray(0, creditedCount)) {
      scores[id] = 0
      for (let position = 0; position < words.length; position++) this.bestByWord[position]![id] = 0
    }
    return matches
  }

  /** The zeroed per-query arrays, grown to the entities and words there are. */
  private scratch(wordCount: number): Float64Array {
    if (this.scores.length < this.refs.length) {
      const capacity = Math.max(1024, this.refs.length * 2)
      this.scores = new Float64Array(capacity)
      this.credited = new Int32Array(capacity)
      for (let position = 0; position < this.bestByWord.length; position++) this.bestByWord[position] = new Float64Array(capacity)
    }
    while (this.bestByWord.length < wordCount) this.bestByWord.push(new Float64Array(this.scores.length))
    return this.scores
  }

  /** Name words a query word stands for: itself, names it begins, and near misspellings. */
  private expand(word: string): Array<[string, 'exact' | 'prefix' | 'typo']> {
    const found: Array<[string, 'exact' | 'prefix' | 'typo']> = []
    if (this.postings.has(word)) found.push([word, 'exact'])
    if (word.length >= 3) {
      this.sorted ??= [...this.postings.keys()].sort()
      let position = lowerBound(this.sorted, word)
      for (let count = 0; position < this.sorted.length && this.sorted[position]!.startsWith(word) && count < MAX_PREFIX_EXPANSION; position++, count++) {
        if (this.sorted[position] !== word) found.push([this.sorted[position]!, 'prefix'])
      }
    }
    if (word.length >= 4 && found.length === 0 && !/\d/.test(word)) {
      this.byLength ??= groupByLength(lettered(this.postings.keys()))
      const limit = word.length >= 8 ? 2 : 1
      for (let length = word.length - limit; length <= word.length + limit; length++) {
        for (const candidate of this.byLength.get(length) ?? []) if (editDistance(word, candidate, limit) <= limit) found.push([candidate, 'typo'])
      }
    }
    return found
  }

  private idf(word: string, total: number): number {
    return Math.log(1 + total / Math.max(1, this.postings.get(word)?.size ?? 1))
  }

  private post<T>(map: Map<string, Set<T>>, key: string, value: T): void {
    if (key === '') return
    const set = map.get(key) ?? new Set<T>()
    set.add(value)
    map.set(key, set)
  }
}

const weight = (how: 'exact' | 'prefix' | 'typo') => (how === 'exact' ? 1 : how === 'prefix' ? 0.7 : 0.6)
/** Larger than any one word's score (at most log(1 + entities), about 14 for a million). */
const RANK_SCALE = 1000

/**
 * The `limit` best-scoring entities, best first, ties by ref (compared by code unit: a locale-aware comparison is
 * slow over thousands of candidates, and refs are ASCII). Kept in a small sorted array, not by sorting them all.
 */
function topScores(ids: Int32Array, limit: number, scoreOf: (id: number) => number, refOf: (id: number) => string): Array<{ id: number; score: number }> {
  const top: Array<{ id: number; score: number }> = []
  const before = (score: number, id: number, than: { id: number; score: number }) => score > than.score || (score === than.score && refOf(id) < refOf(than.id))
  for (const id of ids) {
    const score = scoreOf(id)
    if (top.length === limit && !before(score, id, top[limit - 1]!)) continue
    let position = top.length
    while (position > 0 && before(score, id, top[position - 1]!)) position--
    top.splice(position, 0, { id, score })
    if (top.length > limit) top.pop()
  }
  return top
}
const rank = (how: 'exact' | 'prefix' | 'typo') => (how === 'exact' ? 2 : how === 'prefix' ? 1 : 0)

function nameWords(name: string): string[] {
  return name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0)
}

function normalizeName(name: string): string {
  return nameWords(name).join(' ')
}

function lowerBound(sorted: string[], value: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! < value) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * Words without digits: the only ones a misspelling is compared with. Numbers are how large catalogs tell names
 * apart ("ledger-service-17756"); a number one digit off is another entity, not a typo, and there are as many
 * of them as entities.
 */
function lettered(words: Iterable<string>): string[] {
  return [...words].filter((word) => !/\d/.test(word))
}

function groupByLength(words: Iterable<string>): Map<number, string[]> {
  const groups = new Map<number, string[]>()
  for (const word of words) {
    const group = groups.get(word.length) ?? []
    group.push(word)
    groups.set(word.length, group)
  }
  return groups
}
