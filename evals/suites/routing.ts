import { fileURLToPath } from 'node:url'
import { askItem, excerpt } from '../ask-item.ts'
import { mapConcurrent } from '../map-concurrent.ts'
import { argumentsMatch, checkAnswer, ratio, selectionMatches, type NormalizeInput } from '../scoring.ts'
import { defineSuite, type Failure } from '../suite.ts'

/**
 * Tool routing: does the agent pick the right tools (as a multiset of names) and, when it does, the right
 * arguments (a deep partial match on the inputs, entity references compared in canonical form)?
 */
export const routingSuite = defineSuite({
  name: 'routing',
  description: 'Tool selection and arguments for platform questions',
  dataset: fileURLToPath(new URL('../datasets/routing.jsonl', import.meta.url)),
  thresholds: { toolSelectionAccuracy: 0.95, argumentAccuracy: 0.95 },
  check: (item) => (item.expect.tools === undefined ? 'a routing item needs expect.tools ([] when no tool should be called)' : undefined),
  async run(items, { ask, platform, model, concurrency }) {
    // Compare inputs as the registry will run them: defaults filled in (an omitted depth is the default depth).
    const normalize: NormalizeInput = (name, input) => {
      try {
        return platform.tools.parseInput(name, input)
      } catch {
        return input
      }
    }
    const failures: Failure[] = []
    let selected = 0
    let withInputs = 0
    let argumentsRight = 0
    let checked = 0
    let checksPassed = 0
    const outcomes = await mapConcurrent(items, concurrency, (item) => askItem(ask, platform, item, model))
    for (const [index, outcome] of outcomes.entries()) {
      const item = items[index]!
      const expectedTools = item.expect.tools ?? []
      const expected = { tools: expectedTools, ...(item.expect.contains ? { contains: item.expect.contains } : {}), ...(item.expect.excludes ? { excludes: item.expect.excludes } : {}) }
      const base = { question: item.question, ...(item.thread ? { thread: item.thread } : {}), expected }
      const hasInputs = expectedTools.some((tool) => tool.input !== undefined)
      const needsCheck = item.expect.contains !== undefined || item.expect.excludes !== undefined
      if (needsCheck) checked++
      if (!outcome.ok) {
        failures.push({ ...base, reason: 'error', actual: { error: outcome.error } })
        continue
      }
      const { toolCalls, answer } = outcome.result
      const actual = { tools: toolCalls.map((call) => ({ name: call.name, input: call.input })), answer: excerpt(answer) }
      const selectionRight = selectionMatches(expectedTools.map((tool) => tool.name), toolCalls.map((call) => call.name))
      if (selectionRight) selected++
      else failures.push({ ...base, reason: 'tool selection', actual })
      if (selectionRight && hasInputs) {
        withInputs++
        if (argumentsMatch(expectedTools, toolCalls, normalize)) argumentsRight++
        else failures.push({ ...base, reason: 'arguments', actual })
      }
      if (needsCheck) {
        const check = checkAnswer(answer, item.expect)
        if (check.passed) checksPassed++
        else failures.push({ ...base, reason: 'answer', actual: { ...actual, missing: check.missing, forbidden: check.forbidden } })
      }
    }
    return {
      metrics: {
        toolSelectionAccuracy: ratio(selected, items.length),
        argumentAccuracy: ratio(argumentsRight, withInputs),
        // Reported, not gated: ambiguous and unknown names must be named back to the user.
        answerCheckAccuracy: ratio(checksPassed, checked),
      },
      failures,
    }
  },
})
