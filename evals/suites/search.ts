import { fileURLToPath } from 'node:url'
import { mapConcurrent } from '../map-concurrent.ts'
import { ndcgAt, recallAt, reciprocalRankAt } from '../retrieval-metrics.ts'
import { defineSuite, type Failure, type Metrics } from '../suite.ts'
import type { SearchMode } from '../../tools/search/search-service.ts'

const MODES: Array<{ mode: SearchMode; prefix: string }> = [
  { mode: 'hybrid', prefix: '' },
  { mode: 'full-text', prefix: 'fullText.' },
  { mode: 'semantic', prefix: 'embedder.' },
]

/**
 * Retrieval: a suite of queries with the entities they should find, measured on the platform's search directly
 * (not through the agent). A docs section found counts as its entity. The hybrid figures are held to the
 * thresholds; full text alone and the embedder alone are reported beside them, so the value of each part shows.
 */
export const searchSuite = defineSuite({
  name: 'search',
  description: 'Search over the demo organisation: names, partial names, typos, synonyms, questions, doc content',
  dataset: fileURLToPath(new URL('../datasets/search.jsonl', import.meta.url)),
  thresholds: { recallAt5: 0.9, mrrAt10: 0.8 },
  check: (item) => (item.expect.relevant === undefined ? 'a search item needs expect.relevant (the entity references it should find)' : undefined),
  async run(items, { platform, concurrency }) {
    // Every document embedded first, so the figures do not depend on how far background indexing got.
    await platform.search.ready()
    const failures: Failure[] = []
    const metrics: Metrics = {}
    for (const { mode, prefix } of MODES) {
      const rankings = await mapConcurrent(items, concurrency, async (item) => {
        const { results } = await platform.search.search({ query: item.question, mode, limit: 10 })
        // Entity level: the first hit of each entity, entity document or docs section.
        return [...new Set(results.map((hit) => hit.ref))]
      })
      let recall = 0
      let reciprocal = 0
      let ndcg = 0
      for (const [index, item] of items.entries()) {
        const relevant = new Set(item.expect.relevant)
        const ranked = rankings[index]!
        recall += recallAt(5, ranked, relevant)
        reciprocal += reciprocalRankAt(10, ranked, relevant)
        ndcg += ndcgAt(10, ranked, relevant)
        if (mode === 'hybrid' && recallAt(5, ranked, relevant) < 1) {
          failures.push({ question: item.question, reason: 'recall@5', expected: item.expect.relevant, actual: ranked.slice(0, 5) })
        }
      }
      const count = items.length || 1
      metrics[`${prefix}recallAt5`] = recall / count
      metrics[`${prefix}mrrAt10`] = reciprocal / count
      metrics[`${prefix}ndcgAt10`] = ndcg / count
    }
    return { metrics, failures }
  },
})
