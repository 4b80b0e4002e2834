import { normalizeEntityRef } from '../graph/model/entity-ref.ts'
import type { ExpectedTool } from './eval-item.ts'

export interface ToolCall {
  name: string
  input: unknown
}

/** Fills defaults (e.g. `depth`) into an actual input before comparing, as the registry would; identity if absent. */
export type NormalizeInput = (toolName: string, input: unknown) => unknown

const ENTITY_KINDS = new Set(['component', 'api', 'resource', 'system', 'domain', 'group', 'user', 'location', 'template'])
const KINDED_REF = /^([a-z][a-z0-9-]*):(?:[^\s/:]+\/)?[^\s/:]+$/i

/** The kind of an expected value written as an entity reference with a kind (`group:default/x`, `api:x`). */
export function refKindOf(value: string): string | undefined {
  const match = KINDED_REF.exec(value.trim())
  const kind = match?.[1]?.toLowerCase()
  return kind && ENTITY_KINDS.has(kind) ? kind : undefined
}

/** Tool selection: the called tool names equal the expected ones as a multiset (order does not matter). */
export function selectionMatches(expected: readonly string[], actual: readonly string[]): boolean {
  if (expected.length !== actual.length) return false
  const left = [...expected].sort()
  const right = [...actual].sort()
  return left.every((name, index) => name === right[index])
}

/**
 * Deep partial match of an expected value against an actual one:
 * - objects: every expected key is present in the actual object and matches (extra actual keys are fine);
 * - arrays: every expected element matches a different actual element, in any order;
 * - strings: compared case-insensitively after trimming; an expected entity reference with a kind
 *   (`component:default/cart-service`) matches any actual reference that canonicalises to it when read with
 *   that kind as the default (`cart-service`, `default/cart-service`, `Component:cart-service`);
 * - numbers, booleans and null: equal.
 */
export function valueMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string') return false
    const kind = refKindOf(expected)
    if (kind) return sameEntityRef(expected, actual, kind)
    return expected.trim().toLowerCase() === actual.trim().toLowerCase()
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && assignDistinct(expected, actual, valueMatches)
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false
    const record = actual as Record<string, unknown>
    return Object.entries(expected).every(([key, value]) => Object.hasOwn(record, key) && valueMatches(value, record[key]))
  }
  return Object.is(expected, actual)
}

function sameEntityRef(expected: string, actual: string, kind: string): boolean {
  try {
    return normalizeEntityRef(actual, { defaultKind: kind }) === normalizeEntityRef(expected)
  } catch {
    return false
  }
}

/**
 * Argument accuracy for one item: every expected tool is matched by a different actual call of the same name
 * whose input (after `normalize`) partially matches the expected input. Expected tools without input only need
 * a call of that name.
 */
export function argumentsMatch(expected: readonly ExpectedTool[], actual: readonly ToolCall[], normalize: NormalizeInput = (_, input) => input): boolean {
  const normalized = actual.map((call) => ({ name: call.name, input: normalize(call.name, call.input) }))
  return assignDistinct(expected, normalized, (tool, call) => tool.name === call.name && (tool.input === undefined || valueMatches(tool.input, call.input)))
}

/** Whether each expected element can be paired with a different actual element (a small backtracking search). */
function assignDistinct<E, A>(expected: readonly E[], actual: readonly A[], matches: (expected: E, actual: A) => boolean): boolean {
  if (expected.length > actual.length) return false
  const used = new Set<number>()
  const place = (index: number): boolean => {
    if (index === expected.length) return true
    for (const [candidate, value] of actual.entries()) {
      if (used.has(candidate) || !matches(expected[index]!, value)) continue
      used.add(candidate)
      if (place(index + 1)) return true
      used.delete(candidate)
    }
    return false
  }
  return place(0)
}

export interface AnswerCheck {
  passed: boolean
  /** `contains` strings the answer lacks. */
  missing: string[]
  /** `excludes` strings the answer has. */
  forbidden: string[]
}

/** An answer is fully correct when it contains every `contains` string and none of `excludes`, case-insensitively. */
export function checkAnswer(answer: string, { contains = [], excludes = [] }: { contains?: readonly string[]; excludes?: readonly string[] }): AnswerCheck {
  const text = answer.toLowerCase()
  const missing = contains.filter((fact) => !text.includes(fact.toLowerCase()))
  const forbidden = excludes.filter((wrong) => text.includes(wrong.toLowerCase()))
  return { passed: missing.length === 0 && forbidden.length === 0, missing, forbidden }
}

/** A share in [0, 1], or null when nothing was measured. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator
}
