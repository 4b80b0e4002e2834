import type { ToolDefinition } from '../../tools/define-tool.ts'
import { TOPIC_WORDS } from './unsupported-topics.ts'
import { KNOWN_VOCABULARY, PREPOSITIONS, canonicalWord, foldIdioms, words } from './words.ts'

/** Words worth correcting towards that tools' examples may not contain. */
const EXTRA_WORDS = ['databases', 'database', 'services', 'service', 'websites', 'website', 'libraries', 'library', 'caches', 'queues', 'buckets', 'resources', 'components', 'production', 'experimental', 'deprecated', 'dependencies', 'dependency', 'dependents', 'depends', 'depend', 'owns', 'owner', 'owned', 'responsible', 'everything', 'which', 'what', 'where', 'their', 'there', 'levels', 'level', 'directly', 'breaks', 'down', 'team', 'teams', 'members', 'connected', 'between']

export const ENTITY_TOKEN = '<entity>'

const WEAK_WORDS = new Set(['what', 'which', 'whats', 'show', 'list', 'me'])

/** A question's features: canonical words and word pairs, with entity mentions replaced by one token; numbers say nothing of intent. */
export function features(tokens: string[]): Map<string, number> {
  const canonical = tokens.map((token) => (token === ENTITY_TOKEN ? token : /^\d+$/.test(token) ? undefined : canonicalWord(token))).filter((token): token is string => token !== undefined)
  const out = new Map<string, number>()
  const add = (feature: string, weight: number) => out.set(feature, (out.get(feature) ?? 0) + weight)
  // Question words carry little intent of their own ("what is X" and "what are X's dependencies").
  const weightOf = (token: string) => (WEAK_WORDS.has(token) ? 0.3 : 1)
  canonical.forEach((token, position) => {
    if (token !== ENTITY_TOKEN) add(token, weightOf(token))
    if (position === 0) return
    const previous = canonical[position - 1]!
    // Pairs keep word order: "depend on <entity>" (dependents) is not "<entity> depend" (dependencies).
    const entityAfterPreposition = token === ENTITY_TOKEN && PREPOSITIONS.has(previous)
    add(`${previous} ${token}`, 1.5 * Math.min(weightOf(token), weightOf(previous)) * (entityAfterPreposition ? 0.3 : 1))
  })
  return out
}

/** Replaces the words of each mention span with the entity token. */
export function maskSpans(tokens: string[], spans: Array<{ start: number; end: number }>): string[] {
  const out: string[] = []
  for (let position = 0; position < tokens.length; position++) {
    const span = spans.find((item) => item.start === position)
    if (span) {
      out.push(ENTITY_TOKEN)
      position = span.end - 1
    } else out.push(tokens[position]!)
  }
  return out
}

/** Masks words that look like names (hyphenated or with digits) in the tools' own example questions. */
function maskExample(text: string): string[] {
  // Idioms are folded over the whole text first, as in a question: "on the hook for" spans several pieces.
  const raw = foldIdioms(text).replace(/['’]s\b/g, '').split(/\s+/)
  const out: string[] = []
  for (const piece of raw) {
    const cleaned = piece.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(cleaned) || /^[a-z]+:[a-z0-9/-]+$/.test(cleaned)) out.push(ENTITY_TOKEN)
    else out.push(...words(piece))
  }
  return out
}

/** How much a tool's profile counts beside its best example. */
const PROFILE_SHARE = 0.3

interface Vector {
  weights: Map<string, number>
  norm: number
}

export interface IntentScore {
  tool: string
  score: number
}

/**
 * Ranks tools for a question by similarity to each tool's example questions and description (TF-IDF over
 * canonical words and word pairs). Built from the registry, so a new tool with examples is understood
 * without changing the planner.
 */
export class IntentClassifier {
  private readonly examples: Array<{ tool: string; vector: Vector }> = []
  /** Each tool's examples and description taken together: the words a tool is asked with, wherever they occur. */
  private readonly profiles: Array<{ tool: string; vector: Vector }> = []
  private readonly idf = new Map<string, number>()
  readonly vocabulary = new Set<string>()
  /** Every word the planner knows as written, for spelling correction. */
  readonly dictionary = new Set<string>([...KNOWN_VOCABULARY, ...EXTRA_WORDS, ...TOPIC_WORDS])

  constructor(tools: ToolDefinition[]) {
    for (const tool of tools) for (const word of words(`${tool.title} ${tool.description} ${(tool.examples ?? []).join(' ')}`)) if (!/\d/.test(word)) this.dictionary.add(word)
    const documents: Array<{ tool: string; features: Map<string, number>; weight: number }> = []
    for (const tool of tools) {
      for (const example of tool.examples ?? []) documents.push({ tool: tool.name, features: features(maskExample(example)), weight: 1 })
      documents.push({ tool: tool.name, features: features(maskExample(`${tool.title}. ${tool.description}`)), weight: 0.6 })
    }
    const documentFrequency = new Map<string, number>()
    for (const document of documents) for (const feature of document.features.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1)
    for (const [feature, count] of documentFrequency) {
      this.idf.set(feature, Math.log(1 + documents.length / count))
      if (!feature.includes(' ')) this.vocabulary.add(feature)
    }
    for (const document of documents) {
      const vector = this.vectorize(document.features)
      for (const [feature, weight] of vector.weights) vector.weights.set(feature, weight * document.weight)
      vector.norm *= document.weight
      this.examples.push({ tool: document.tool, vector })
    }
    const sums = new Map<string, Map<string, number>>()
    for (const { tool, vector } of this.examples) {
      const sum = sums.get(tool) ?? new Map<string, number>()
      for (const [feature, weight] of vector.weights) sum.set(feature, (sum.get(feature) ?? 0) + weight / (vector.norm || 1))
      sums.set(tool, sum)
    }
    for (const [tool, weights] of sums) this.profiles.push({ tool, vector: { weights, norm: Math.sqrt([...weights.values()].reduce((total, weight) => total + weight * weight, 0)) } })
  }

  private vectorize(counts: Map<string, number>): Vector {
    const weights = new Map<string, number>()
    let sum = 0
    for (const [feature, count] of counts) {
      const idf = this.idf.get(feature)
      if (idf === undefined) continue
      const weight = count * idf
      weights.set(feature, weight)
      sum += weight * weight
    }
    return { weights, norm: Math.sqrt(sum) }
  }

  /**
   * Tools ranked best first (0 to 1): mostly by the best-matching example, partly by the tool's profile, so that
   * a question using words spread over several of a tool's examples ("anomaly report") is not outweighed by
   * one short example of another tool that shares a rarer word ("migration report").
   */
  rank(maskedTokens: string[], allowed?: ReadonlySet<string>): IntentScore[] {
    const question = this.vectorize(features(maskedTokens))
    if (question.norm === 0) return []
    const best = this.bestCosines(question, this.examples, allowed)
    const profile = this.bestCosines(question, this.profiles, allowed)
    const tools = new Set([...best.keys(), ...profile.keys()])
    return [...tools].map((tool) => ({ tool, score: (1 - PROFILE_SHARE) * (best.get(tool) ?? 0) + PROFILE_SHARE * (profile.get(tool) ?? 0) })).sort((a, b) => b.score - a.score)
  }

  private bestCosines(question: Vector, vectors: Array<{ tool: string; vector: Vector }>, allowed?: ReadonlySet<string>): Map<string, number> {
    const best = new Map<string, number>()
    for (const example of vectors) {
      if (allowed && !allowed.has(example.tool)) continue
      let dot = 0
      for (const [feature, weight] of question.weights) dot += weight * (example.vector.weights.get(feature) ?? 0)
      const cosine = example.vector.norm === 0 ? 0 : dot / (question.norm * example.vector.norm)
      if (cosine > (best.get(example.tool) ?? 0)) best.set(example.tool, cosine)
    }
    return best
  }
}
