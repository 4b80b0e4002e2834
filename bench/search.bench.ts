import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { LocalEmbedder } from '../core/embeddings/local-embedder.ts'
import { normalize } from '../core/embeddings/embedder.ts'
import { migrate } from '../core/store/migrations.ts'
import { PgliteStore } from '../core/store/pglite-store.ts'
import { PostgresStore } from '../core/store/postgres-store.ts'
import type { Store } from '../core/store/store.ts'
import { createSeededRandom } from '../graph/demo/seeded-random.ts'
import { fetchEmbeddingModel } from '../scripts/fetch-embedding-model.js'
import { SearchIndex } from '../tools/search/search-index.ts'
import { SearchService, type SearchMode } from '../tools/search/search-service.ts'
import type { Platform } from '../platform/create-platform.ts'
import { environmentNumber, progress, roundTo, type Benchmark } from './benchmark.ts'
import { createScratchDatabase } from './catalog-import.bench.ts'
import { againstTarget, summarizeLatencies } from './latency-summary.ts'

const P99_TARGET_MS = 25

/**
 * Search at scale: the index build for the whole demo catalog (documents for every entity and docs section,
 * written to an embedded PGlite, then to a fresh PostgreSQL database when BENCH_DATABASE_URL is set), the local
 * embedder's throughput, and query latency by mode on each engine.
 *
 * Embedding 100,000 documents with the local model takes far longer than the rest of the benchmark on two
 * cores, so by default a deterministic sample (BENCH_SEARCH_EMBED_SAMPLE, 2,000) is embedded with the real
 * model, the full time is extrapolated from its rate, and the other documents get copies of the sampled
 * vectors with a little noise, so that the HNSW index holds as many vectors as it would. BENCH_SEARCH_EMBED_ALL=1
 * embeds every document instead. The output says which was done.
 */
export const searchBenchmark: Benchmark = async (context) => {
  const { platform } = await context.memoryPlatform()
  const embedder = new LocalEmbedder({ modelDir: process.env.PORTAL_EMBEDDINGS_MODEL_DIR ?? (await fetchEmbeddingModel()) })
  // The model's vectors by document id: computed on the first engine, reused on the second.
  const vectors = new Map<string, Float32Array>()
  const pgliteStore = await PgliteStore.open()
  const pglite = await searchOn(pgliteStore, { platform, embedder, vectors }).finally(() => pgliteStore.close())

  const serverUrl = process.env.BENCH_DATABASE_URL
  if (!serverUrl) return { ...pglite, postgres: { skipped: 'set BENCH_DATABASE_URL to a PostgreSQL server to measure there too, in a fresh database' } }
  const database = await createScratchDatabase(serverUrl)
  const postgresStore = new PostgresStore({ connectionString: database.url })
  try {
    return { ...pglite, postgres: await searchOn(postgresStore, { platform, embedder, vectors }) }
  } finally {
    await postgresStore.close()
    await database.drop()
  }
}

async function searchOn(store: Store, { platform, embedder, vectors }: { platform: Platform; embedder: LocalEmbedder; vectors: Map<string, Float32Array> }): Promise<Record<string, unknown>> {
  const { catalog } = platform
  const sample = environmentNumber('BENCH_SEARCH_EMBED_SAMPLE', 2000)
  const embedAll = process.env.BENCH_SEARCH_EMBED_ALL === '1'
  // A thousand, so that p99 is the tenth-worst query rather than the third: one scheduler hiccup on two cores
  // should not decide it.
  const queryCount = environmentNumber('BENCH_SEARCH_QUERIES', 1000)
  const engine = store.engine
  const log = (message: string) => progress(`search (${engine}): ${message}`)
  await migrate(store)
  log(`indexing ${catalog.index.size} entities and their docs (full text)`)
  let started = performance.now()
  const textOnly = new SearchService({ catalog, bus: platform.bus, store, log })
  await textOnly.ready()
  const buildMs = roundTo(performance.now() - started, 1)
  const { documents } = await textOnly.status()
  await textOnly.close()
  log(`${documents} documents indexed in ${Math.round(buildMs)} ms`)

  const index = new SearchIndex(store)
  const embedding = await embedDocuments({ index, embedder, sample: embedAll ? Number.POSITIVE_INFINITY : sample, vectors })
  log(`embedded ${embedding.embedded} documents${'documentsPerSecond' in embedding ? ` at ${embedding.documentsPerSecond} per second` : ' (vectors of the first engine)'}`)
  // Storing the vectors rewrote every row. Queries are timed on a settled table, as after autovacuum: otherwise
  // on PostgreSQL autovacuum would be cleaning up those rows during the timed queries, on the same two cores.
  started = performance.now()
  await store.query('vacuum analyze search_documents')
  const vacuumMs = roundTo(performance.now() - started, 1)
  // The checkpoint writes out what the build and the vacuum dirtied, which the checkpointer would otherwise do
  // during the timed queries. The test server runs with fsync off, so its checkpoint leaves the files' pages to the
  // kernel, which would write a gigabyte back while queries are timed (p99 more than doubled here): `sync` flushes
  // them first, as a checkpoint with fsync on does (a system without `sync` measures without the flush).
  started = performance.now()
  await store.query('checkpoint')
  await promisify(execFile)('sync').catch(() => undefined)
  const checkpointMs = roundTo(performance.now() - started, 1)

  started = performance.now()
  const search = new SearchService({ catalog, bus: platform.bus, store, embedder, log })
  await search.ready()
  const reopenMs = roundTo(performance.now() - started, 1)

  const queries = sampleQueries(catalog.index.refs(), catalog, queryCount)
  const byMode: Record<string, unknown> = {}
  for (const mode of ['full-text', 'semantic', 'hybrid'] as SearchMode[]) {
    // One warm-up pass fills caches (query vectors, the engine's buffers); the timed pass repeats the same queries
    // with the query-vector cache cleared, so every timed hybrid and semantic query embeds its text.
    for (const query of queries.slice(0, 20)) await search.search({ query, mode, limit: 10 })
    const durations: number[] = []
    for (const query of queries) {
      ;(search as unknown as { queryVectors: Map<string, unknown> }).queryVectors.clear()
      const queryStarted = performance.now()
      await search.search({ query, mode, limit: 10 })
      durations.push(performance.now() - queryStarted)
    }
    const summary = summarizeLatencies(durations)
    byMode[mode] = { ...summary, p99: againstTarget(summary.p99Ms, P99_TARGET_MS) }
    log(`${mode} p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms`)
  }
  const embedDurations: number[] = []
  for (const query of queries.slice(0, 100)) {
    const queryStarted = performance.now()
    await embedder.embed([query])
    embedDurations.push(performance.now() - queryStarted)
  }
  await search.close()
  return {
    engine,
    entities: catalog.index.size,
    documents,
    indexBuild: { fullTextMs: buildMs, reopenCheckMs: reopenMs, vacuumAfterEmbeddingMs: vacuumMs, checkpointAndFlushMs: checkpointMs },
    embedding,
    queries: { count: queries.length, limit: 10, byMode, queryEmbedding: summarizeLatencies(embedDurations) },
  }
}

async function embedDocuments({ index, embedder, sample, vectors: known }: { index: SearchIndex; embedder: LocalEmbedder; sample: number; vectors: Map<string, Float32Array> }) {
  const random = createSeededRandom({ seed: 7 })
  const real: Float32Array[] = []
  let embedded = 0
  let synthetic = 0
  let embedMs = 0
  let modelEmbedded = 0
  let reused = 0
  for (;;) {
    const pending = await index.pendingEmbeddings(embedder.id, 256)
    if (pending.length === 0) break
    let vectors: Float32Array[]
    if (embedded < sample) {
      if (pending.every((item) => known.has(item.id))) {
        vectors = pending.map((item) => known.get(item.id)!)
        reused += pending.length
      } else {
        const started = performance.now()
        vectors = await embedder.embed(pending.map((item) => item.text))
        embedMs += performance.now() - started
        modelEmbedded += pending.length
        pending.forEach((item, position) => known.set(item.id, vectors[position]!))
      }
      embedded += pending.length
      real.push(...vectors)
    } else {
      // A sampled real vector with noise: the index sees realistic directions, not identical points.
      vectors = pending.map(() => normalize(real[random.int(0, real.length - 1)]!.map((value) => value + (random.next() - 0.5) * 0.02)))
      synthetic += pending.length
    }
    await index.storeEmbeddings(embedder.id, pending.map((item, position) => ({ id: item.id, contentHash: item.contentHash, vector: vectors[position]! })))
  }
  const total = embedded + synthetic
  const method = synthetic === 0 ? 'every document embedded with the local model' : 'a sample embedded with the local model; the rest are noisy copies of sampled vectors'
  if (modelEmbedded === 0) return { model: embedder.id, embedded, synthetic, method, reusedFromFirstEngine: reused }
  const perSecond = modelEmbedded / (embedMs / 1000)
  return {
    model: embedder.id,
    embedded,
    synthetic,
    method,
    embedMs: roundTo(embedMs, 1),
    documentsPerSecond: roundTo(perSecond, 1),
    ...(synthetic > 0 ? { extrapolatedFullEmbedMinutes: roundTo(total / perSecond / 60, 1) } : {}),
  }
}

/** Queries people type: exact names, name prefixes, one-letter typos and words of descriptions. */
function sampleQueries(refs: Iterable<string>, catalog: { index: { get(ref: string): { metadata: { name: string; description?: string } } | undefined } }, count: number): string[] {
  const random = createSeededRandom({ seed: 11 })
  const all = [...refs]
  const queries: string[] = []
  while (queries.length < count) {
    const entity = catalog.index.get(all[random.int(0, all.length - 1)]!)!
    const name = entity.metadata.name
    switch (queries.length % 4) {
      case 0:
        queries.push(name)
        break
      case 1:
        queries.push(name.slice(0, Math.max(3, Math.ceil(name.length / 2))))
        break
      case 2: {
        const at = random.int(1, Math.max(1, name.length - 2))
        queries.push(`${name.slice(0, at)}${name.slice(at + 1)}`)
        break
      }
      default:
        queries.push((entity.metadata.description ?? name).split(/\s+/).slice(0, 6).join(' '))
    }
  }
  return queries
}
