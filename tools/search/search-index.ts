import type { Queryable, Store } from '../../core/store/store.ts'
import type { SearchDocument } from './search-document.ts'

/** Narrows a search: each list is "any of"; tags match when the document has any of them. */
export interface SearchFilters {
  kind?: string[]
  type?: string[]
  owner?: string[]
  system?: string[]
  lifecycle?: string[]
  tag?: string[]
  documentType?: Array<'entity' | 'docs'>
}

/** Words as two tsquery texts: stemmed (English) and as prefixes (simple). */
export interface WordForms {
  stemmed: string
  prefixes: string
}

/**
 * A query's words: all of them OR-ed (what snippets mark), those that rank documents with only some of the words
 * (`some`), and word by word, each with its spelling corrections, for documents with every word.
 */
export interface TextQuery extends WordForms {
  some: WordForms
  words: WordForms[]
}

/** A ranked document, with the fields results and facets need (read with the ranking, not fetched again). */
export interface RankedDocument {
  id: string
  score: number
  document: StoredDocument
}

export interface StoredDocument {
  id: string
  entityRef: string
  documentType: 'entity' | 'docs'
  kind: string
  type: string | null
  owner: string | null
  system: string | null
  lifecycle: string | null
  tags: string[]
  title: string
  section: string | null
  location: string
}

const META_FIELDS = ['id', 'entity_ref', 'document_type', 'kind', 'type', 'owner', 'system', 'lifecycle', 'tags', 'title', 'section', 'location']
/**
 * A ranked row's fields as one JSON value: drivers decode a row field by field, and on PGlite decoding ~180 rows
 * of a dozen fields (an array among them) was a fifth of a hybrid query.
 */
const DOCUMENT_JSON = `json_build_object('id', id, 'entityRef', entity_ref, 'documentType', document_type, 'kind', kind, 'type', type, 'owner', owner, 'system', system, 'lifecycle', lifecycle, 'tags', tags, 'title', title, 'section', section, 'location', location) as document`
const HIGHLIGHT_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
const BATCH = 500
// Headlines parse the text they highlight; the start of a long body (an API definition) is enough to quote.
const SNIPPET_SOURCE = 2000
/** Matching documents scored per full-text query (see `ranking`); more than any query in the search evals matches. */
export const SCORED_MATCHES = 500
/** pgvector's default `hnsw.ef_search`: the rows one HNSW scan returns at most. */
export const DEFAULT_EF_SEARCH = 40
/** A page of documents with every word is answer enough; fewer, and documents with some of the words fill in. */
const ENOUGH_WITH_EVERY_WORD = 10

function vectorText(vector: Float32Array): string {
  let text = '['
  for (let position = 0; position < vector.length; position++) text += `${position === 0 ? '' : ','}${Number.isFinite(vector[position]) ? vector[position]!.toFixed(6) : '0'}`
  return `${text}]`
}

/**
 * The search documents in the store: full text (a weighted tsvector, GIN-indexed) and meaning (pgvector,
 * HNSW-indexed), the same SQL on PGlite and PostgreSQL. It ranks and fetches; fusing the rankings is the
 * service's job.
 */
export class SearchIndex {
  constructor(private readonly store: Store) {}

  /** Every document's content hash, to index only what changed. */
  async hashes(): Promise<Map<string, string>> {
    const { rows } = await this.store.query<{ id: string; content_hash: string }>('select id, content_hash from search_documents')
    return new Map(rows.map((row) => [row.id, row.content_hash]))
  }

  async count(): Promise<{ documents: number; embedded: number }> {
    const { rows } = await this.store.query<{ documents: number; embedded: number }>('select count(*)::int as documents, count(embedding)::int as embedded from search_documents')
    return rows[0]!
  }

  /** Writes documents (their embeddings are computed later, by `embedPending`); one transaction. */
  async upsert(documents: SearchDocument[], transaction: Queryable = this.store): Promise<void> {
    for (let start = 0; start < documents.length; start += BATCH) {
      const rows = documents.slice(start, start + BATCH).map((document) => ({
        id: document.id,
        entity_ref: document.entityRef,
        document_type: document.documentType,
        kind: document.kind,
        type: document.type ?? null,
        owner: document.owner ?? null,
        system: document.system ?? null,
        lifecycle: document.lifecycle ?? null,
        tags: document.tags,
        title: document.title,
        section: document.section ?? null,
        location: document.location,
        names: document.names,
        keywords: document.keywords,
        summary: document.summary,
        body: document.body,
        embedding_text: document.embeddingText,
        content_hash: document.contentHash,
      }))
      await transaction.query(
        `insert into search_documents (id, entity_ref, document_type, kind, type, owner, system, lifecycle, tags, title, section, location, names, keywords, summary, body, embedding_text, content_hash)
         select id, entity_ref, document_type, kind, type, owner, system, lifecycle, coalesce(tags, '{}'), title, section, location, names, keywords, summary, body, embedding_text, content_hash
         from jsonb_to_recordset($1::jsonb) as r(id text, entity_ref text, document_type text, kind text, type text, owner text, system text, lifecycle text, tags text[], title text, section text, location text, names text, keywords text, summary text, body text, embedding_text text, content_hash text)
         on conflict (id) do update set entity_ref = excluded.entity_ref, document_type = excluded.document_type, kind = excluded.kind, type = excluded.type, owner = excluded.owner,
           system = excluded.system, lifecycle = excluded.lifecycle, tags = excluded.tags, title = excluded.title, section = excluded.section, location = excluded.location,
           names = excluded.names, keywords = excluded.keywords, summary = excluded.summary, body = excluded.body, embedding_text = excluded.embedding_text,
           content_hash = excluded.content_hash, embedding = null, embedding_model = null, updated_at = now()
         where search_documents.content_hash <> excluded.content_hash`,
        [JSON.stringify(rows)],
      )
    }
  }

  /**
   * Merges the full-text index's pending entries into the index proper. GIN queues new entries in a list that
   * every search reads through, until a vacuum merges them; PostgreSQL's autovacuum does, but PGlite runs no
   * autovacuum, so after a bulk write each search would scan megabytes of that list.
   */
  async mergePendingText(): Promise<void> {
    if (this.store.engine === 'pglite') await this.store.query(`select gin_clean_pending_list('search_documents_text'::regclass)`)
  }

  /** Removes the documents of these entities, except the ids in `keep`. */
  async removeEntities(refs: string[], keep: string[] = [], transaction: Queryable = this.store): Promise<void> {
    if (refs.length === 0) return
    await transaction.query('delete from search_documents where entity_ref = any($1::text[]) and not (id = any($2::text[]))', [refs, keep])
  }

  /** Removes every document whose id is not in `keep`. */
  async retainOnly(keep: string[], transaction: Queryable = this.store): Promise<void> {
    await transaction.query('delete from search_documents where not (id = any($1::text[]))', [keep])
  }

  /** Documents not yet embedded by `model`, with the text to embed. */
  async pendingEmbeddings(model: string, limit: number): Promise<Array<{ id: string; text: string; contentHash: string }>> {
    // New and changed documents first, through the partial index; vectors of another model only after them.
    const columns = 'select id, embedding_text as text, content_hash as "contentHash" from search_documents'
    const fresh = await this.store.query<{ id: string; text: string; contentHash: string }>(`${columns} where embedding is null order by id limit $1`, [limit])
    if (fresh.rows.length > 0) return fresh.rows
    const { rows } = await this.store.query<{ id: string; text: string; contentHash: string }>(`${columns} where embedding_model <> $1 order by id limit $2`, [model, limit])
    return rows
  }

  /** Stores embeddings, only where the document is still the one that was embedded. Not in a transaction. */
  async storeEmbeddings(model: string, items: Array<{ id: string; contentHash: string; vector: Float32Array }>): Promise<void> {
    const rows = items.map((item) => ({ id: item.id, content_hash: item.contentHash, embedding: vectorText(item.vector) }))
    await this.store.query(
      `update search_documents set embedding = r.embedding::vector, embedding_model = $2
       from jsonb_to_recordset($1::jsonb) as r(id text, content_hash text, embedding text)
       where search_documents.id = r.id and search_documents.content_hash = r.content_hash`,
      [JSON.stringify(rows), model],
    )
    // A stored vector is a new row version, with new full-text index entries.
    await this.mergePendingText()
  }

  /**
   * Documents matching the words, best first (ts_rank: names weigh most, then keywords, summary, body): those
   * with every word first, since they are few and usually what was meant, then those with any word to fill the
   * list.
   */
  async fullText(query: TextQuery, filters: SearchFilters, limit: number): Promise<RankedDocument[]> {
    if (query.some.stemmed === '' && query.some.prefixes === '') return []
    const some = tsquery('$1', '$2')
    if (query.words.length <= 1) {
      const { clause, params } = filterClause(filters, 3)
      return (await this.store.query<RankedDocument>(ranking(some, clause, limit), [query.some.stemmed, query.some.prefixes, ...params])).rows
    }
    // One statement for both rankings (a round trip each would cost more than the rarely needed second ranking):
    // the documents with any word are ranked only when too few have every word.
    const every = everyWord(query.words, 3)
    const { clause, params } = filterClause(filters, 3 + every.params.length)
    const { rows } = await this.store.query<RankedDocument & { pass: number }>(
      `with every as materialized (${ranking(every.sql, clause, limit)})
       select 0 as pass, * from every
       union all
       select 1 as pass, * from (${ranking(some, clause, limit)}) as some_words where (select count(*) from every) < ${ENOUGH_WITH_EVERY_WORD}
       order by pass, score desc, id`,
      [query.some.stemmed, query.some.prefixes, ...every.params, ...params],
    )
    const withEvery = rows.filter((row) => row.pass === 0)
    const found = new Set(withEvery.map((row) => row.id))
    return [...withEvery, ...rows.filter((row) => row.pass === 1 && !found.has(row.id))].slice(0, limit).map(({ pass: _pass, ...row }) => row)
  }

  /** Documents nearest in meaning (cosine), embedded by `model`, best first. */
  async nearest(vector: Float32Array, model: string, filters: SearchFilters, limit: number): Promise<RankedDocument[]> {
    const { clause, params } = filterClause(filters, 3)
    const nearest = (store: Queryable) =>
      store.query<RankedDocument>(
        `select id, ${DOCUMENT_JSON}, 1 - (embedding <=> $1::vector) as score from search_documents
         where embedding_model = $2 ${clause}
         order by embedding <=> $1::vector limit ${Math.trunc(limit)}`,
        [vectorText(vector), model, ...params],
      )
    // The HNSW scan returns at most hnsw.ef_search rows, and its work grows with them. The default is enough for
    // a list of its size with no filters: one statement, where raising it takes a transaction of four (each a
    // round trip, and a system call to write it, the costliest part of a query on a busy machine).
    if (clause === '' && limit <= DEFAULT_EF_SEARCH) return (await nearest(this.store)).rows
    return this.store.transaction(async (transaction) => {
      // As many as the list needs, twice as many when filters drop some.
      await transaction.query(`select set_config('hnsw.ef_search', '${Math.max(DEFAULT_EF_SEARCH, Math.trunc(limit) * (clause === '' ? 1 : 2))}', true)`)
      return (await nearest(transaction)).rows
    })
  }

  /** Snippets with the matched words marked `<mark>…</mark>`, by id. */
  async snippets(ids: string[], query: TextQuery): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map()
    const { rows } = await this.store.query<{ id: string; snippet: string }>(
      `select id, ts_headline('english', summary || E'\\n' || left(body, ${SNIPPET_SOURCE}), q, '${HIGHLIGHT_OPTIONS}') as snippet
       from search_documents, (select ${tsquery('$2', '$3')} as q) as query where id = any($1::text[])`,
      [ids, query.stemmed, query.prefixes],
    )
    return new Map(rows.map((row) => [row.id, row.snippet]))
  }

  /** The sections of one entity's docs, in page order. */
  async docsSections(ref: string): Promise<Array<{ id: string; title: string; section: string; location: string; text: string }>> {
    const { rows } = await this.store.query<{ id: string; title: string; section: string; location: string; text: string }>(
      `select id, title, section, location, body as text from search_documents where entity_ref = $1 and document_type = 'docs' order by id`,
      [ref],
    )
    return rows
  }
}

/**
 * The statement ranking at most SCORED_MATCHES of the documents a tsquery (SQL) matches, filtered by a clause:
 * scoring reads each document's vector, and a word in most documents would otherwise have every one of them read
 * for a single query.
 */
function ranking(query: string, filters: string, limit: number): string {
  // The tsquery is written out where it is used, not taken from a subquery, so that the planner folds it into a
  // constant and sees the words: it then reads a rare word's documents from the index, where with an opaque
  // query it guessed that a sequential scan would soon find enough rows and read the whole table.
  // The JSON is built outside the ranking, for the rows kept rather than every row scored.
  return `select id, ${DOCUMENT_JSON}, score from (
       select ${META_FIELDS.join(', ')}, ts_rank(search_vector, (${query})) as score
       from (select ${META_FIELDS.join(', ')}, search_vector from search_documents where search_vector @@ (${query}) ${filters} limit ${SCORED_MATCHES}) as matched
       order by score desc, id limit ${Math.trunc(limit)}) as kept
     order by score desc, id`
}

/** Every word's forms AND-ed, numbered from `firstParam`; a word that is only a stop word ("for", "the") is left out, as Postgres leaves it out of documents. */
function everyWord(words: WordForms[], firstParam: number): { sql: string; params: unknown[] } {
  const params = words.flatMap((word) => [word.stemmed, word.prefixes])
  const sql = words
    .map((_, position) => {
      const [stemmed, prefixes] = [`$${firstParam + position * 2}`, `$${firstParam + position * 2 + 1}`]
      return `(case when numnode(to_tsquery('english', ${stemmed})) = 0 then ''::tsquery else ${tsquery(stemmed, prefixes)} end)`
    })
    .join(' && ')
  return { sql, params }
}

/** Both query forms OR-ed: stemmed words match inflections, prefixes match partial names. Empty forms are skipped. */
function tsquery(stemmed: string, prefixes: string): string {
  return `(case when ${stemmed} = '' then ''::tsquery else to_tsquery('english', ${stemmed}) end || case when ${prefixes} = '' then ''::tsquery else to_tsquery('simple', ${prefixes}) end)`
}

function filterClause(filters: SearchFilters, firstParam: number): { clause: string; params: unknown[] } {
  const parts: string[] = []
  const params: unknown[] = []
  const add = (sql: (param: string) => string, values: string[] | undefined) => {
    if (!values || values.length === 0) return
    params.push(values)
    parts.push(sql(`$${firstParam + params.length - 1}::text[]`))
  }
  add((param) => `kind = any(${param})`, filters.kind)
  add((param) => `type = any(${param})`, filters.type)
  add((param) => `owner = any(${param})`, filters.owner)
  add((param) => `system = any(${param})`, filters.system)
  add((param) => `lifecycle = any(${param})`, filters.lifecycle)
  add((param) => `tags && ${param}`, filters.tag)
  add((param) => `document_type = any(${param})`, filters.documentType)
  return { clause: parts.map((part) => `and ${part}`).join(' '), params }
}
