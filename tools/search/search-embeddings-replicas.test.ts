import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClusterJobs } from '../../core/cluster/cluster-jobs.ts'
import { SqlLeases } from '../../core/cluster/leases.ts'
import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from '../../core/embeddings/embedder.ts'
import { InProcessEventBus } from '../../core/events/in-process-event-bus.ts'
import { PostgresStore } from '../../core/store/postgres-store.ts'
import type { Store } from '../../core/store/store.ts'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { Catalog } from '../../graph/catalog/catalog.ts'
import { SqlCatalogRepository } from '../../graph/catalog/sql-catalog-repository.ts'
import { SearchService } from './search-service.ts'

/** Vectors from the letters of each text (enough to store), counting every text it was asked to embed. */
class CountingEmbedder implements Embedder {
  readonly id = 'counting:letters'
  readonly dimensions = EMBEDDING_DIMENSIONS
  texts = 0

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.texts += texts.length
    // Slow enough that the replicas' embedding runs would overlap if nothing kept them apart.
    await new Promise((resolve) => setTimeout(resolve, 20))
    return texts.map((text) => {
      const vector = new Float32Array(EMBEDDING_DIMENSIONS)
      for (const [position, character] of [...text].entries()) vector[(character.charCodeAt(0) + position) % EMBEDDING_DIMENSIONS]! += 1
      return normalize(vector)
    })
  }
}

const ORG = Array.from({ length: 40 }, (_, position) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: service-${position}, description: Service number ${position} of the shop }\nspec: { type: service, lifecycle: production, owner: shop }\n`).join('---\n')

describe.each(testEngines)('search embeddings with two replicas on one store (%s)', (engine) => {
  let test: TestStore
  let stores: Store[]

  beforeAll(async () => {
    test = await openTestStore(engine)
    stores = engine === 'postgres' ? [test.store, new PostgresStore({ connectionString: test.databaseUrl! })] : [test.store, test.store]
    const seed = await Catalog.open({ repository: new SqlCatalogRepository(test.store), bus: new InProcessEventBus() })
    expect((await seed.import([{ name: 'org.yaml', text: ORG }])).errors).toEqual([])
  }, 60_000)
  afterAll(async () => {
    if (engine === 'postgres') await stores[1]!.close()
    await test.close()
  })

  it('embeds each document once across the replicas', async () => {
    const replicas = await Promise.all(
      stores.map(async (store, position) => {
        const bus = new InProcessEventBus()
        const catalog = await Catalog.open({ repository: new SqlCatalogRepository(store), bus })
        const jobs = new ClusterJobs({ leases: new SqlLeases(store), holder: `replica-${position}`, ttlMs: 5_000, log: () => undefined })
        const embedder = new CountingEmbedder()
        const search = new SearchService({ catalog, bus, store, embedder, embeddingBatch: 8, exclusive: (name, work) => jobs.runExclusive(name, work).then((outcome) => outcome.ran), exclusiveRetryMs: 100, log: () => undefined })
        return { search, embedder }
      }),
    )
    try {
      await Promise.all(replicas.map(({ search }) => search.start()))
      const deadline = Date.now() + 20_000
      let status = await replicas[0]!.search.status()
      while (status.embedded < status.documents && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        status = await replicas[0]!.search.status()
      }
      expect(status.documents).toBeGreaterThanOrEqual(40)
      expect(status.embedded).toBe(status.documents)
      // Let a retry of the replica that was kept out run: it finds nothing left to embed.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(replicas[0]!.embedder.texts + replicas[1]!.embedder.texts).toBe(status.documents)
    } finally {
      await Promise.all(replicas.map(({ search }) => search.close()))
    }
  }, 60_000)
})
