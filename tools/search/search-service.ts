import type { Embedder } from '../../core/embeddings/embedder.ts'
import type { EventBus } from '../../core/events/event-bus.ts'
import { migrate } from '../../core/store/migrations.ts'
import { PgliteStore } from '../../core/store/pglite-store.ts'
import type { Store } from '../../core/store/store.ts'
import { CATALOG_CHANGED, type Catalog, type CatalogChangedPayload } from '../../graph/catalog/catalog.ts'
import { docsFolder, readDocsPages } from '../../graph/docs/entity-docs.ts'
import { markdownSections } from './markdown-sections.ts'
import { NameIndex } from './name-index.ts'
import { PREFIX_MIN_LENGTH, queryWords } from './query-words.ts'
import { reciprocalRankFusion, type RankedList } from './reciprocal-rank-fusion.ts'
import { docsSectionDocument, entityDocument, entityHeader, type SearchDocument, type SearchFacets } from './search-document.ts'
import { DEFAULT_EF_SEARCH, SCORED_MATCHES, SearchIndex, type SearchFilters, type StoredDocument, type TextQuery, type WordForms } from './search-index.ts'

export type SearchMode = 'hybrid' | 'full-text' | 'semantic'

export interface SearchRequest {
  query: string
  filters?: SearchFilters
  limit?: number
  offset?: number
  /** `hybrid` (default) fuses names, full text and meaning; the others are for comparison (evals). */
  mode?: SearchMode
}

export interface SearchHit extends SearchFacets {
  id: string
  ref: string
  documentType: 'entity' | 'docs'
  title: string
  section?: string
  location: string
  /** Text around the matched words, which are marked `<mark>…</mark>`. */
  snippet: string
  /** The fused score, 1 for a document first in every ranking. */
  score: number
  matchedBy: Array<'name' | 'full-text' | 'meaning'>
  matchedWords: string[]
  why: string
}

export interface SearchResponse {
  query: string
  mode: SearchMode
  results: SearchHit[]
  /** How many documents matched (after filters, at most one entity document and one docs section per entity). */
  total: number
  facets: Record<'kind' | 'type' | 'owner' | 'system' | 'lifecycle' | 'tag', Array<{ value: string; count: number }>>
  /** Misspelt words and the words searched for instead. */
  corrections: Record<string, string>
  /** Whether meaning-based search took part: `ready`, `indexing` (embeddings are being computed), or `off`. */
  semantic: 'ready' | 'indexing' | 'off'
}

export interface SearchServiceOptions {
  catalog: Catalog
  bus: EventBus
  /** The store; without one (in-memory catalogs), an in-memory PGlite is opened on first use. */
  store?: Store
  embedder?: Embedder
  /** Texts embedded per pass; each pass is stored before the next starts. */
  embeddingBatch?: number
  /**
   * Replicas share the store: runs the embedding of pending documents on one replica at a time (resolving to
   * false when another replica is at it), so no document is embedded twice. Without it this process embeds.
   */
  exclusive?: (name: string, work: () => Promise<void>) => Promise<boolean>
  /** When another replica was embedding: how long until this one looks for documents still pending. */
  exclusiveRetryMs?: number
  log?: (message: string) => void
}

const CANDIDATES = 60
/** Nearest documents fused: as many as one HNSW scan gives by default (ranks past 40 add under 1/100 each). */
const MEANING_CANDIDATES = DEFAULT_EF_SEARCH
const COMMON_SHARE = 0.2
const NAME_CANDIDATES = 50
const PER_ENTITY = 2
const MAX_LIMIT = 100
const QUERY_CACHE = 256
// Full-text and names carry the exact words people typed; meaning adds what they did not type.
const WEIGHTS = { name: 1, 'full-text': 1, meaning: 1 }

/**
 * Search over the catalog and its docs. The corpus — one document per entity and one per docs section — is
 * kept in the store and kept current: fully checked against the catalog on first use (only changed documents
 * are rewritten), then updated from `catalog-changed` events. Embeddings are computed in the background, so
 * full-text search is available at once and meaning joins in as vectors arrive.
 */
export class SearchService {
  private readonly catalog: Catalog
  private readonly embedder?: Embedder
  private readonly embeddingBatch: number
  private readonly log: (message: string) => void
  private readonly names = new NameIndex()
  private readonly queryVectors = new Map<string, Promise<Float32Array>>()
  private readonly unsubscribe: () => void
  private readonly ownsStore: boolean
  private storePromise?: Promise<Store>
  private searchIndex?: SearchIndex
  private started?: Promise<void>
  private writes: Promise<unknown> = Promise.resolve()
  private embedding?: Promise<void>
  private embedAgain = false
  private embeddingError?: string
  private closed = false
  private readonly exclusive?: (name: string, work: () => Promise<void>) => Promise<boolean>
  private readonly exclusiveRetryMs: number
  private retryTimer?: NodeJS.Timeout

  constructor({ catalog, bus, store, embedder, embeddingBatch = 128, exclusive, exclusiveRetryMs = 5000, log = (message) => process.stderr.write(`search: ${message}\n`) }: SearchServiceOptions) {
    this.catalog = catalog
    this.embedder = embedder
    this.embeddingBatch = embeddingBatch
    this.exclusive = exclusive
    this.exclusiveRetryMs = exclusiveRetryMs
    this.log = log
    this.ownsStore = store === undefined
    if (store) this.storePromise = Promise.resolve(store)
    this.unsubscribe = bus.subscribe(CATALOG_CHANGED, async (event) => {
      // Before the first sync there is nothing to update: the sync reads the whole catalog.
      if (!this.started) return
      const { upserted, removed } = event.payload as CatalogChangedPayload
      await this.write(() => this.syncEntities([...upserted, ...removed]))
      this.scheduleEmbedding()
    })
  }

  /** Builds or checks the index (once); later calls return the same promise. */
  start(): Promise<void> {
    this.started ??= this.write(() => this.syncAll()).then(() => this.scheduleEmbedding())
    return this.started
  }

  /** Resolves once the index is current and every document is embedded (or embedding failed). */
  async ready(): Promise<void> {
    await this.start()
    await this.writes
    while (this.embedding) await this.embedding
  }

  /** What the index holds: documents, how many are embedded, and entities known by name. */
  async status(): Promise<{ documents: number; embedded: number; entities: number; embedder?: string; embeddingError?: string }> {
    await this.start()
    return { ...(await (await this.index()).count()), entities: this.names.size, embedder: this.embedder?.id, embeddingError: this.embeddingError }
  }

  async search({ query, filters = {}, limit = 10, offset = 0, mode = 'hybrid' }: SearchRequest): Promise<SearchResponse> {
    await this.start()
    const index = await this.index()
    const words = queryWords(query)
    const corrections: Record<string, string> = {}
    for (const word of words) {
      const corrected = this.names.correct(word)
      if (corrected) corrections[word] = corrected
    }
    // A word in most documents ("service" in a catalog of services, or "res" as the prefix of "rest" and
    // "resource") ranks nothing and makes Postgres score every row; it is left out of the full-text query when
    // rarer words remain (names still match it).
    const common = (word: string) => this.names.reach(word) > Math.max(50, this.names.texts * COMMON_SHARE)
    const searched = [...words, ...Object.values(corrections)]
    const rare = searched.filter((word) => !common(word))
    const rareWords = words.filter((word) => !common(word))
    const anyWords = rare.length > 0 ? rare : searched
    const textQuery = toTextQuery(anyWords, wordsRankingAlone(anyWords, (word) => this.names.reach(word)), (rareWords.length > 0 ? rareWords : words).map((word) => [word, ...(corrections[word] ? [corrections[word]!] : [])]), (word) => this.names.knows(word))
    const lists: RankedList[] = []
    const similarity = new Map<string, number>()
    // Documents' fields as the rankings read them; name matches found by neither take theirs from the catalog.
    const known = new Map<string, StoredDocument>()
    let semantic: SearchResponse['semantic'] = this.embedder ? (this.embedding ? 'indexing' : 'ready') : 'off'
    if (this.embedder && this.embeddingError) semantic = 'off'

    const bySemantic = mode !== 'full-text' && this.embedder !== undefined && semantic !== 'off' && query.trim() !== ''
    // The rankings overlap: the query is embedded off the main thread, and on PostgreSQL the full-text and
    // nearest-vector queries run on two connections, while names are matched here. (PGlite runs one at a time.)
    const byMeaning = bySemantic ? this.queryVector(query).then((vector) => index.nearest(vector, this.embedder!.id, filters, MEANING_CANDIDATES)) : undefined
    const byText = mode === 'semantic' ? undefined : index.fullText(textQuery, filters, CANDIDATES)
    const nameMatches = mode === 'semantic' ? [] : this.names.match(query, [...words, ...Object.values(corrections)], NAME_CANDIDATES)
    const nameWords = new Map(nameMatches.map((match) => [match.ref, match.matched]))
    const [textMatches, nearest] = await Promise.all([byText, byMeaning])
    if (textMatches) {
      lists.push({ name: 'name', ids: nameMatches.map((match) => match.ref), weight: WEIGHTS.name })
      for (const match of textMatches) known.set(match.id, match.document)
      lists.push({ name: 'full-text', ids: textMatches.map((match) => match.id), weight: WEIGHTS['full-text'] })
    }
    if (nearest) {
      for (const row of nearest) {
        similarity.set(row.id, row.score)
        known.set(row.id, row.document)
      }
      lists.push({ name: 'meaning', ids: nearest.map((row) => row.id), weight: WEIGHTS.meaning })
    }

    const fused = reciprocalRankFusion(lists)
    const filtered = Object.values(filters).some((values) => values && values.length > 0)
    const perEntity = new Map<string, number>()
    const kept: Array<{ item: (typeof fused)[number]; document: StoredDocument }> = []
    for (const item of fused) {
      const document = known.get(item.id) ?? this.entityFields(item.id)
      // Name matches come from memory, unfiltered.
      if (!document || (filtered && !matchesFilters(document, filters))) continue
      const seen = perEntity.get(document.entityRef) ?? 0
      if (seen >= PER_ENTITY) continue
      perEntity.set(document.entityRef, seen + 1)
      kept.push({ item, document })
    }
    const page = kept.slice(offset, offset + Math.min(limit, MAX_LIMIT))
    const snippets = await index.snippets(page.map(({ document }) => document.id), textQuery)
    const best = lists.reduce((sum, list) => sum + (list.weight ?? 1) / 61, 0) || 1
    const results = page.map(({ item, document }): SearchHit => {
      const snippet = snippets.get(document.id) ?? ''
      const matchedBy = (['name', 'full-text', 'meaning'] as const).filter((name) => item.ranks[name] !== undefined)
      const marked = [...new Set([...snippet.matchAll(/<mark>([^<]*)<\/mark>/g)].map((match) => match[1]!.toLowerCase()))]
      const named = document.documentType === 'entity' ? (nameWords.get(document.entityRef) ?? []) : []
      return {
        id: document.id,
        ref: document.entityRef,
        documentType: document.documentType,
        kind: document.kind,
        ...(document.type ? { type: document.type } : {}),
        ...(document.owner ? { owner: document.owner } : {}),
        ...(document.system ? { system: document.system } : {}),
        ...(document.lifecycle ? { lifecycle: document.lifecycle } : {}),
        tags: document.tags,
        title: document.title,
        ...(document.section ? { section: document.section } : {}),
        location: document.location,
        snippet,
        score: Math.round((item.score / best) * 1000) / 1000,
        matchedBy,
        matchedWords: [...new Set([...named.map((match) => match.as), ...marked])],
        why: explain(item.ranks, named, marked, similarity.get(document.id)),
      }
    })
    return { query, mode, results, total: kept.length, facets: facetsOf(kept.map(({ document }) => document)), corrections, semantic }
  }

  /** An entity document's fields, from the catalog (the index holds the same, as of its last update). */
  private entityFields(ref: string): StoredDocument | undefined {
    // The stored entity: `get` would also build its relations, which the header reads from the index.
    const entity = this.catalog.index.getStored(ref)?.entity
    if (!entity) return undefined
    const { type, owner, system, lifecycle, ...header } = entityHeader(this.catalog.index, ref, entity)
    return { id: ref, entityRef: ref, documentType: 'entity', ...header, type: type ?? null, owner: owner ?? null, system: system ?? null, lifecycle: lifecycle ?? null, section: null }
  }

  /** The sections of an entity's docs as indexed (title, location, text), in page order. */
  async indexedDocs(ref: string): Promise<Array<{ id: string; title: string; section: string; location: string; text: string }>> {
    await this.start()
    return (await this.index()).docsSections(ref)
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.unsubscribe()
    await this.writes.catch(() => undefined)
    while (this.embedding) await this.embedding.catch(() => undefined)
    if (this.ownsStore && this.storePromise) await (await this.storePromise).close()
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.then(work)
    this.writes = result.catch((error: unknown) => this.log(`indexing failed: ${(error as Error).message}`))
    return result
  }

  private async index(): Promise<SearchIndex> {
    if (this.searchIndex) return this.searchIndex
    this.storePromise ??= PgliteStore.open().then(async (store) => {
      await migrate(store)
      return store
    })
    this.searchIndex = new SearchIndex(await this.storePromise)
    return this.searchIndex
  }

  private async syncAll(): Promise<void> {
    const index = await this.index()
    const refs = [...this.catalog.index.refs()]
    const documents = await this.documentsOf(refs)
    const existing = await index.hashes()
    const changed = documents.filter((document) => existing.get(document.id) !== document.contentHash)
    await (await this.storePromise!).transaction(async (transaction) => {
      await index.upsert(changed, transaction)
      if (existing.size > documents.length - changed.length) await index.retainOnly(documents.map((document) => document.id), transaction)
    })
    await index.mergePendingText()
  }

  private async syncEntities(refs: string[]): Promise<void> {
    const index = await this.index()
    const present = refs.filter((ref) => this.catalog.index.has(ref))
    for (const ref of refs) if (!this.catalog.index.has(ref)) this.names.remove(ref)
    const documents = await this.documentsOf(present)
    await (await this.storePromise!).transaction(async (transaction) => {
      await index.upsert(documents, transaction)
      await index.removeEntities(refs, documents.map((document) => document.id), transaction)
    })
    await index.mergePendingText()
  }

  /** The documents of these entities (their docs read from disk), and their names in the name index. */
  private async documentsOf(refs: string[]): Promise<SearchDocument[]> {
    const documents: SearchDocument[] = []
    for (const ref of refs) {
      const stored = this.catalog.index.getStored(ref)
      if (!stored) continue
      const entity = stored.entity
      const document = entityDocument(this.catalog.index, ref, entity)
      documents.push(document)
      const aliases = entity.metadata.annotations?.['next-portal.io/aliases']?.split(',').map((alias) => alias.trim()) ?? []
      const displayName = ((entity.spec?.profile ?? {}) as { displayName?: unknown }).displayName
      this.names.setNames(ref, [entity.metadata.name, entity.metadata.title, typeof displayName === 'string' ? displayName : undefined, ...aliases].filter((name): name is string => Boolean(name)))
      this.names.addVocabulary(`${document.names} ${document.keywords} ${document.summary}`)
      const folder = docsFolder(entity)
      const pages = folder ? await readDocsPages(folder) : undefined
      for (const page of pages ?? []) {
        for (const section of markdownSections(page.text, { fallbackTitle: entity.metadata.title ?? entity.metadata.name })) {
          const sectionDocument = docsSectionDocument(this.catalog.index, ref, entity, page.path, section)
          documents.push(sectionDocument)
          this.names.addVocabulary(`${sectionDocument.names} ${sectionDocument.body}`)
        }
      }
    }
    return documents
  }

  private scheduleEmbedding(): void {
    if (!this.embedder || this.closed) return
    if (this.embedding) {
      this.embedAgain = true
      return
    }
    this.embedding = this.embedOnce()
      .catch((error: unknown) => {
        this.embeddingError = (error as Error).message
        this.log(`embedding failed; searching by full text only: ${this.embeddingError}`)
      })
      .finally(() => {
        this.embedding = undefined
        if (this.embedAgain && !this.embeddingError) {
          this.embedAgain = false
          this.scheduleEmbedding()
        }
      })
  }

  private async embedOnce(): Promise<void> {
    if (!this.exclusive) return this.embedPending()
    if (await this.exclusive('search-embeddings', () => this.embedPending())) return
    // Another replica is embedding; it may have looked before this one's documents were written.
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => this.scheduleEmbedding(), this.exclusiveRetryMs)
    this.retryTimer.unref()
  }

  private async embedPending(): Promise<void> {
    const embedder = this.embedder!
    const index = await this.index()
    for (;;) {
      if (this.closed) return
      const pending = await index.pendingEmbeddings(embedder.id, this.embeddingBatch)
      if (pending.length === 0) return
      const vectors = await embedder.embed(pending.map((item) => item.text))
      await index.storeEmbeddings(embedder.id, pending.map((item, position) => ({ id: item.id, contentHash: item.contentHash, vector: vectors[position]! })))
      this.embeddingError = undefined
    }
  }

  private queryVector(query: string): Promise<Float32Array> {
    const key = query.trim().toLowerCase()
    let vector = this.queryVectors.get(key)
    if (!vector) {
      vector = this.embedder!.embed([query]).then((vectors) => vectors[0]!)
      vector.catch(() => this.queryVectors.delete(key))
      this.queryVectors.set(key, vector)
      if (this.queryVectors.size > QUERY_CACHE) this.queryVectors.delete(this.queryVectors.keys().next().value!)
    }
    return vector
  }
}

/**
 * The words that find documents with only some of the query words. Those are ranked from at most SCORED_MATCHES
 * documents; a word in many more documents than that would fill those places with arbitrary ones, crowding out
 * the rarer words' documents. When every word is that common, the rarest.
 */
export function wordsRankingAlone(words: string[], frequency: (word: string) => number): string[] {
  const distinctive = words.filter((word) => frequency(word) <= SCORED_MATCHES)
  return distinctive.length > 0 ? distinctive : [...words].sort((a, b) => frequency(a) - frequency(b)).slice(0, 1)
}

/** tsquery texts from all the words (to highlight), from those that rank alone, and word by word from each word with its spellings. */
function toTextQuery(words: string[], ranked: string[], spellings: string[][], known: (word: string) => boolean): TextQuery {
  const forms = (words: string[]) => wordForms(words, known)
  return { ...forms(words), some: forms(ranked), words: spellings.map(forms).filter((forms) => forms.stemmed !== '') }
}

/**
 * Only letters and digits reach a tsquery, so its syntax cannot be injected. Prefixes only for words no document has whole, as someone still typing leaves them ("paym"): a prefix of a
 * known word adds little to its stem and makes Postgres merge the postings of every word it begins.
 */
function wordForms(words: string[], known: (word: string) => boolean): WordForms {
  const clean = [...new Set(words.map((word) => word.replace(/[^\p{L}\p{N}]/gu, '')).filter((word) => word.length > 0))]
  return { stemmed: clean.join(' | '), prefixes: clean.filter((word) => word.length >= PREFIX_MIN_LENGTH && !known(word)).map((word) => `${word}:*`).join(' | ') }
}

function matchesFilters(document: StoredDocument, filters: SearchFilters): boolean {
  const within = (values: string[] | undefined, value: string | null) => !values || values.length === 0 || (value !== null && values.includes(value))
  return (
    within(filters.kind, document.kind) &&
    within(filters.type, document.type) &&
    within(filters.owner, document.owner) &&
    within(filters.system, document.system) &&
    within(filters.lifecycle, document.lifecycle) &&
    within(filters.documentType, document.documentType) &&
    (!filters.tag || filters.tag.length === 0 || document.tags.some((tag) => filters.tag!.includes(tag)))
  )
}

function facetsOf(documents: StoredDocument[]): SearchResponse['facets'] {
  const count = (values: Array<string | null>) => {
    const counts = new Map<string, number>()
    for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1)
    return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, 20)
  }
  return {
    kind: count(documents.map((document) => document.kind)),
    type: count(documents.map((document) => document.type)),
    owner: count(documents.map((document) => document.owner)),
    system: count(documents.map((document) => document.system)),
    lifecycle: count(documents.map((document) => document.lifecycle)),
    tag: count(documents.flatMap((document) => document.tags)),
  }
}

function explain(ranks: Record<string, number>, named: Array<{ word: string; as: string; how: string }>, marked: string[], similarity: number | undefined): string {
  const reasons: string[] = []
  if (ranks.name !== undefined) reasons.push(named.length > 0 ? `name matches ${named.map((match) => (match.how === 'exact' ? `"${match.as}"` : `"${match.as}" (${match.how} of "${match.word}")`)).join(', ')}` : 'the name is the query')
  if (ranks['full-text'] !== undefined) reasons.push(marked.length > 0 ? `text contains ${marked.map((word) => `"${word}"`).join(', ')}` : 'text matches the query words')
  if (ranks.meaning !== undefined && similarity !== undefined) reasons.push(`similar in meaning (${similarity.toFixed(2)})`)
  return reasons.join('; ')
}
