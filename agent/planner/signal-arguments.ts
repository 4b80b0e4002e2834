import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { resolveMention, type Mention } from './entity-linker.ts'
import { parseTimeExpression } from './time-expressions.ts'

/** Incident ids as the platform writes them ("inc-8-3") and as paging tools do ("INC-1234"). */
export const INCIDENT_ID = /\b(inc-[a-z0-9]+(?:-[a-z0-9]+)*)\b/i

/** The signals tools whose entity is optional: without one they answer for everything. */
const OPTIONAL_ENTITY: Record<string, string> = { incidents_list: 'entity', anomalies_list: 'ref', incidents_predict: 'ref' }
/** Where a time expression goes in each signals tool. */
const TIME_SLOT: Record<string, 'since' | 'from' | 'at'> = { incidents_list: 'since', anomalies_list: 'since', signals_timeline: 'from', rca_analyze: 'at' }

export function isSignalsTool(name: string): boolean {
  return name in OPTIONAL_ENTITY || name in TIME_SLOT || name === 'incident_get'
}

/**
 * Arguments of the signals tools that are not required entities: an incident id named in the question, the
 * entity a list is narrowed to, "open"/"resolved", and a time expression ("since 10:00", "last 7 days").
 * `subject` is what a pronoun in the question refers to. Returns undefined when the tool still needs its
 * required entity from slot filling.
 */
export function signalArguments(toolName: string, { text, tokens, mentions, index, now, subject }: { text: string; tokens: string[]; mentions: Mention[]; index: CatalogIndex; now: Date; subject?: string }): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  const id = INCIDENT_ID.exec(text)?.[1]?.toLowerCase()
  if (id && toolName === 'incident_get') input.id = id
  if (id && toolName === 'rca_analyze') input.incidentId = id
  const slot = OPTIONAL_ENTITY[toolName]
  if (slot && mentions.length > 0) {
    // "incident risk for the cart service": the strongest name is the subject ("risk" is only an alias); of two as
    // strong, the longer ("the billing run … is the billing service at risk": the billing service).
    const strength = (mention: Mention) => mention.candidates[0]!.score + (mention.end - mention.start) / 100
    const strongest = mentions.reduce((best, mention) => (strength(mention) > strength(best) ? mention : best))
    const resolved = resolveMention(strongest, { preferKinds: ['component', 'resource', 'api'] }, index)
    if (resolved && 'ref' in resolved) input[slot] = resolved.ref
  }
  // "is it healthy?": the entity the conversation is about.
  if (slot && mentions.length === 0 && subject) input[slot] = subject
  if (toolName === 'incidents_list') {
    if (tokens.some((token) => ['open', 'ongoing', 'active', 'current', 'currently', 'now', 'fire', 'unresolved'].includes(token))) input.status = 'open'
    else if (tokens.some((token) => ['resolved', 'closed', 'past'].includes(token))) input.status = 'resolved'
  }
  const time = TIME_SLOT[toolName]
  const range = time ? parseTimeExpression(text, now) : undefined
  if (time && range) input[time] = range.from.toISOString()
  return input
}
