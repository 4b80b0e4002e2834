import { afterAll, describe, expect, inject, it, vi } from 'vitest'
import { LocalEmbedder } from './local-embedder.ts'

describe('LocalEmbedder', () => {
  const embedder = new LocalEmbedder({ modelDir: inject('embeddingModelDir') })
  afterAll(() => embedder.close())

  it('embeds texts as unit vectors, nearer in meaning nearer in space, in the order given', async () => {
    const [database, postgres, kitten] = await embedder.embed(['the payments database', 'PostgreSQL cluster holding payment records', 'a kitten playing'])
    expect(database).toHaveLength(384)
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, position) => sum + value * b[position]!, 0)
    expect(dot(database!, database!)).toBeCloseTo(1, 4)
    expect(dot(database!, postgres!)).toBeGreaterThan(dot(database!, kitten!))
  })

  it('works while the event loop is busy: the model runs in its own thread', async () => {
    await embedder.embed(['warm up'])
    const embedded = embedder.embed(['who owns checkout-api?']).then(() => 'embedded')
    // Keep this thread busy far longer than one short embedding takes. Run on this thread, the model could not
    // have started; in its own thread its answer is waiting when this thread looks again.
    const until = Date.now() + 2000
    while (Date.now() < until);
    const later = new Promise((resolve) => setImmediate(() => resolve('not yet')))
    expect(await Promise.race([embedded, later])).toBe('embedded')
  })

  it('answers a query while a batch of documents is being embedded, not after it', async () => {
    // One forward pass of 64 long texts takes far longer than a query's few word pieces.
    const batched = new LocalEmbedder({ modelDir: inject('embeddingModelDir'), batchSize: 64 })
    try {
      await Promise.all([batched.embed(['warm up']), batched.embed(['warm up', 'both threads'])])
      const finished: string[] = []
      const documents = batched.embed(Array.from({ length: 64 }, (_, position) => `document ${position}: ${'the payments service settles card transactions nightly '.repeat(12)}`)).then(() => finished.push('documents'))
      const query = batched.embed(['who owns checkout-api?']).then(() => finished.push('query'))
      await Promise.all([documents, query])
      expect(finished).toEqual(['query', 'documents'])
    } finally {
      await batched.close()
    }
  })

  it('stops the documents\' thread once it has been idle for a while, and starts it again for the next batch', async () => {
    const idle = new LocalEmbedder({ modelDir: inject('embeddingModelDir'), documentsIdleMs: 200 })
    try {
      await idle.embed(['a query'])
      await idle.embed(['a document', 'another document'])
      expect(idle.threadsRunning()).toEqual(['query', 'documents'])
      await vi.waitFor(() => expect(idle.threadsRunning()).toEqual(['query']), { timeout: 5000, interval: 50 })
      expect(await idle.embed(['a third document', 'and a fourth'])).toHaveLength(2)
      expect(idle.threadsRunning()).toEqual(['query', 'documents'])
    } finally {
      await idle.close()
    }
  })

  it('says where it looked when the model cannot be loaded, and tries again on the next call', async () => {
    const missing = new LocalEmbedder({ modelDir: '/nonexistent/all-MiniLM-L6-v2' })
    const notLoaded = /could not be loaded from \/nonexistent\/all-MiniLM-L6-v2.*fetch-embedding-model/
    // Requests waiting together (a query beside a batch of documents) all learn why.
    const together = await Promise.allSettled([missing.embed(['a query']), missing.embed(['a document'])])
    expect(together.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'embedded'))).toEqual([expect.stringMatching(notLoaded), expect.stringMatching(notLoaded)])
    await expect(missing.embed(['x'])).rejects.toThrow(notLoaded)
    await missing.close()
  })
})
