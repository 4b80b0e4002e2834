import { fileURLToPath } from 'node:url'
import { askItem, excerpt } from '../ask-item.ts'
import { mapConcurrent } from '../map-concurrent.ts'
import { checkAnswer, ratio } from '../scoring.ts'
import { defineSuite, type Failure } from '../suite.ts'

/** Answer facts: the answer holds the catalog's facts (`contains`) and none of the wrong ones (`excludes`). */
export const answersSuite = defineSuite({
  name: 'answers',
  description: 'Facts from the catalog in the answer; no wrong owners, invented services or obeyed injections',
  dataset: fileURLToPath(new URL('../datasets/answers.jsonl', import.meta.url)),
  thresholds: { answerAccuracy: 0.9 },
  check: (item) => (item.expect.contains === undefined && item.expect.excludes === undefined ? 'an answers item needs expect.contains or expect.excludes' : undefined),
  async run(items, { ask, platform, model, concurrency }) {
    const failures: Failure[] = []
    let correct = 0
    const outcomes = await mapConcurrent(items, concurrency, (item) => askItem(ask, platform, item, model))
    for (const [index, outcome] of outcomes.entries()) {
      const item = items[index]!
      const expected = { contains: item.expect.contains ?? [], excludes: item.expect.excludes ?? [] }
      const base = { question: item.question, ...(item.thread ? { thread: item.thread } : {}), expected }
      if (!outcome.ok) {
        failures.push({ ...base, reason: 'error', actual: { error: outcome.error } })
        continue
      }
      const check = checkAnswer(outcome.result.answer, item.expect)
      if (check.passed) correct++
      else failures.push({ ...base, reason: 'answer', actual: { answer: excerpt(outcome.result.answer), missing: check.missing, forbidden: check.forbidden } })
    }
    return { metrics: { answerAccuracy: ratio(correct, items.length) }, failures }
  },
})
