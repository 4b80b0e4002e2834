import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { resolveMention, type Mention } from './entity-linker.ts'
import { parseTimeExpression } from './time-expressions.ts'

/** The cost and carbon tools, whose inputs are a scope, a window and a grouping rather than one entity. */
export const COST_TOOLS = new Set(['cost_breakdown', 'cost_anomalies', 'cost_forecast', 'cost_recommendations', 'carbon_footprint'])

/** Words for FOCUS service categories. */
const CATEGORY_WORDS: Array<[RegExp, string]> = [
  [/\b(compute|servers?|instances?|ec2|vms?|virtual machines?|cpu)\b/, 'Compute'],
  [/\b(storage|disks?|volumes?|s3|buckets?)\b/, 'Storage'],
  [/\b(databases?|dbs?|rds)\b/, 'Databases'],
  [/\b(network|networking|data transfer|egress|bandwidth|traffic)\b/, 'Networking'],
  [/\b(ai|ml|machine learning|gpus?)\b/, 'AI and Machine Learning'],
  [/\b(analytics)\b/, 'Analytics'],
]

/** "by region", "per team", "for each service": the grouping asked for. */
const GROUP_WORDS: Array<[RegExp, string]> = [
  [/^(teams?|squads?|groups?)$/, 'team'],
  [/^(services?|applications?|apps?|components?)$/, 'service'],
  [/^systems?$/, 'system'],
  [/^domains?$/, 'domain'],
  [/^(regions?|locations?|data ?centers?)$/, 'region'],
  [/^(providers?|clouds?|vendors?)$/, 'provider'],
  [/^(categor(y|ies)|service categor(y|ies))$/, 'serviceCategory'],
  [/^skus?$/, 'sku'],
]

const GROUPINGS: Record<string, string[]> = {
  cost_breakdown: ['team', 'service', 'system', 'domain', 'region', 'provider', 'serviceCategory', 'sku'],
  carbon_footprint: ['team', 'service', 'system', 'domain', 'region', 'provider', 'serviceCategory'],
  cost_anomalies: ['team', 'service', 'region', 'provider', 'serviceCategory', 'sku'],
}

/** The scope a clause names, kept for a following clause that names none ("… and what can we cut?"). */
export const SCOPE_KEYS = ['team', 'service', 'system', 'domain', 'serviceCategory'] as const

function day(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function groupingOf(text: string): string | undefined {
  const match = /\b(?:by|per|for each|each|across|split by|broken down by)\s+(service categor(?:y|ies)|[a-z]+)/.exec(text)
  if (!match) return undefined
  return GROUP_WORDS.find(([pattern]) => pattern.test(match[1]!))?.[1]
}

/**
 * The input of a cost or carbon tool from a clause: the entities it names as team, service, system or domain;
 * the window its time words mean ("last week"); the service category ("compute"); the grouping ("by region").
 * A clause that names no scope takes the previous cost call's scope, but not its window.
 */
export function costInput(toolName: string, { text, mentions, index, now, previous }: { text: string; mentions: Mention[]; index: CatalogIndex; now: Date; previous?: Record<string, unknown> }): Record<string, unknown> {
  const lower = text.toLowerCase()
  const input: Record<string, unknown> = {}
  for (const mention of mentions) {
    const resolved = resolveMention(mention, { preferKinds: ['group', 'component', 'resource', 'system', 'domain'] }, index)
    if (!resolved || !('ref' in resolved)) continue
    const kind = resolved.ref.slice(0, resolved.ref.indexOf(':'))
    const slot = kind === 'group' ? 'team' : kind === 'component' || kind === 'resource' ? 'service' : kind === 'system' || kind === 'domain' ? kind : undefined
    if (slot && input[slot] === undefined) input[slot] = resolved.ref
  }
  const category = CATEGORY_WORDS.find(([pattern]) => pattern.test(lower.replace(/\b(by|per)\s+\w+/g, '')))?.[1]
  if (category) input.serviceCategory = category
  if (previous && !SCOPE_KEYS.some((key) => input[key] !== undefined)) {
    for (const key of SCOPE_KEYS) if (previous[key] !== undefined && input[key] === undefined) input[key] = previous[key]
  }
  if (toolName !== 'cost_forecast') {
    const range = parseTimeExpression(text, now)
    if (range) {
      input.from = day(range.from)
      // Windows end before a day (exclusive); a range ending now includes today.
      input.to = range.to.getTime() === now.getTime() ? day(new Date(now.getTime() + 86_400_000)) : day(range.to)
    }
  }
  const grouping = groupingOf(lower)
  const allowed = GROUPINGS[toolName]
  if (allowed) {
    const key = toolName === 'cost_anomalies' ? 'dimension' : 'groupBy'
    if (grouping && allowed.includes(grouping)) input[key] = grouping
    else if (toolName === 'cost_breakdown') input[key] = input.service ? 'sku' : input.team || input.system || input.domain ? 'service' : 'team'
  }
  return input
}
