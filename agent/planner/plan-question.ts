import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { similarRefs } from '../../graph/index/resolve-entity.ts'
import type { ToolDefinition } from '../../tools/define-tool.ts'
import { linkEntities, resolveMention, type Mention } from './entity-linker.ts'
import { ENTITY_TOKEN, maskSpans, type IntentClassifier } from './intent-classifier.ts'
import { canonicalWord, words } from './words.ts'

export interface PlannedCall {
  toolName: string
  input: Record<string, unknown>
}

export type Plan = { type: 'calls'; calls: PlannedCall[] } | { type: 'reply'; text: string; citations: string[] }

export interface PlannerContext {
  index: CatalogIndex
  classifier: IntentClassifier
  /** The tools this call may use (the model call's tool list), by name. */
  tools: Map<string, ToolDefinition>
  /** Entities the conversation was about, most recent first: what "it" and "that" refer to. */
  previousRefs: string[]
}

const MAX_QUESTION = 4000
const MIN_INTENT_SCORE = 0.18

/** Topics people ask a platform about; when no registered tool speaks of one, the planner says so. */
const TOPICS: Record<string, string[]> = {
  'costs and spend': ['cost', 'costs', 'spend', 'spent', 'spending', 'bill', 'billing', 'budget', 'budgets', 'expensive', 'money', 'pay', 'dollars', 'finops', 'savings', 'cheaper'],
  'carbon footprint': ['carbon', 'co2', 'emissions', 'emission', 'footprint', 'green'],
  'incidents and alerts': ['incident', 'incidents', 'alert', 'alerts', 'paged', 'pagerduty', 'postmortem', 'sev1', 'sev2'],
  'root-cause analysis': ['slow', 'slower', 'slowness', 'latency', 'degraded', 'spike', 'anomaly', 'anomalies', 'rca'],
  'remediation (restarts, scaling, rollbacks)': ['restart', 'reboot', 'scale', 'rollback', 'roll', 'redeploy', 'bounce', 'failover', 'flush', 'kill', 'replicas', 'pods'],
  'deployments': ['deploy', 'deployed', 'deployment', 'deployments', 'release', 'released', 'shipped'],
  'Backstage migration': ['migrate', 'migration', 'backstage'],
  'documentation search': ['docs', 'documentation', 'runbook', 'readme', 'howto'],
}

/** Where an entity goes in each tool's input, and which kinds make sense there. */
const ENTITY_SLOTS: Record<string, Array<{ slot: string; onlyKinds?: string[]; preferKinds?: string[] }>> = {
  catalog_get_entity: [{ slot: 'ref', preferKinds: ['component', 'api', 'resource', 'system', 'domain', 'group', 'user'] }],
  catalog_who_owns: [{ slot: 'ref', onlyKinds: ['component', 'api', 'resource', 'system', 'domain', 'template'], preferKinds: ['component', 'resource', 'api', 'system'] }],
  graph_dependencies: [{ slot: 'ref', onlyKinds: ['component', 'resource', 'api'], preferKinds: ['component', 'resource', 'api'] }],
  graph_dependents: [{ slot: 'ref', onlyKinds: ['component', 'resource', 'api'], preferKinds: ['resource', 'component', 'api'] }],
  graph_path: [{ slot: 'from' }, { slot: 'to' }],
  graph_owned_by: [{ slot: 'group', onlyKinds: ['group'] }],
  graph_parts: [{ slot: 'ref', onlyKinds: ['system', 'domain'], preferKinds: ['system', 'domain'] }],
}

const PRONOUNS = new Set(['it', 'its', 'that', 'this', 'they', 'them', 'there', 'those', 'these', 'same', 'one'])

function capabilities(tools: Map<string, ToolDefinition>): string {
  return [...tools.values()].map((tool) => `- ${tool.title}: e.g. "${tool.examples?.[0] ?? tool.description}"`).join('\n')
}

/** Splits "what breaks if X goes down and who owns it?" into clauses that may each need a tool. */
function clauses(question: string): string[] {
  return question
    .split(/\?+\s*|;\s*|\s+(?:and then|and also|also|and|plus|then)\s+/i)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
}

function unsupportedTopic(question: string, tools: Map<string, ToolDefinition>): string | undefined {
  const asked = new Set(words(question))
  const toolText = new Set([...tools.values()].flatMap((tool) => words(`${tool.name} ${tool.title} ${tool.description} ${(tool.examples ?? []).join(' ')}`)))
  for (const [topic, vocabulary] of Object.entries(TOPICS)) {
    const hits = vocabulary.filter((word) => asked.has(word))
    if (hits.length > 0 && !hits.some((word) => toolText.has(word))) return topic
  }
  return undefined
}

/** The words of a question that look like a name the catalog lacks (for "not found" answers). */
function unknownNames(question: string, mentions: Mention[]): string[] {
  const linked = new Set(mentions.flatMap((mention) => mention.text.split(' ')))
  const hyphenated = question.match(/[A-Za-z0-9][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)+/g) ?? []
  const names = hyphenated.filter((name) => !words(name).every((word) => linked.has(word)))
  if (names.length > 0) return names
  // "who owns zebra?": the last word that is neither vocabulary nor a stop word.
  const tail = words(question).filter((word) => canonicalWord(word) === word && !linked.has(word) && word.length > 2)
  return tail.slice(-1)
}

function depthFrom(text: string): number | undefined {
  const lower = text.toLowerCase()
  const explicit = /\b(?:depth|level|levels|hops?)\s*(?:of\s*)?(\d{1,2})\b|\b(\d{1,2})\s*(?:levels?|hops?|deep)\b/.exec(lower)
  if (explicit) return Math.min(20, Math.max(1, Number(explicit[1] ?? explicit[2])))
  if (/\b(directly|direct|immediate|first[- ]level)\b/.test(lower)) return 1
  if (/\b(transitive(ly)?|all the way|recursively|everything|entire|whole)\b/.test(lower)) return 10
  return undefined
}

const KIND_WORDS: Array<[RegExp, { kind?: string; type?: string }]> = [
  [/\b(databases?|dbs?)\b/, { kind: 'resource', type: 'database' }],
  [/\b(caches?)\b/, { kind: 'resource', type: 'cache' }],
  [/\b(queues?)\b/, { kind: 'resource', type: 'queue' }],
  [/\b(buckets?)\b/, { kind: 'resource', type: 'bucket' }],
  [/\b(resources?)\b/, { kind: 'resource' }],
  [/\b(websites?|frontends?|web ?apps?)\b/, { kind: 'component', type: 'website' }],
  [/\b(librar(y|ies)|libs?|sdks?)\b/, { kind: 'component', type: 'library' }],
  [/\b(apis?|endpoints?|interfaces?)\b/, { kind: 'api' }],
  [/\b(services?|microservices?|svcs?)\b/, { kind: 'component', type: 'service' }],
  [/\b(components?)\b/, { kind: 'component' }],
  [/\b(teams?|groups?|squads?)\b/, { kind: 'group' }],
  [/\b(users?|people|persons?|engineers?|members?)\b/, { kind: 'user' }],
  [/\b(systems?)\b/, { kind: 'system' }],
  [/\b(domains?)\b/, { kind: 'domain' }],
  [/\b(templates?)\b/, { kind: 'template' }],
]

const API_TYPES = ['openapi', 'grpc', 'asyncapi', 'graphql', 'trpc']

/** Filters for catalog_query from the words of a question. */
function queryFilters(text: string, mentions: Mention[], index: CatalogIndex): Record<string, unknown> {
  const lower = text.toLowerCase()
  const input: Record<string, unknown> = {}
  const tag = /\b(?:tagged(?: with)?|with (?:the )?tag|tag)\s+["']?([a-z0-9:+#-]+)/.exec(lower) ?? /\b([a-z0-9+#-]+)[- ]tagged\b/.exec(lower)
  const apiType = API_TYPES.find((type) => new RegExp(`\\b${type}\\b`).test(lower))
  const withoutTag = tag ? lower.replace(tag[0], ' ') : lower
  for (const [pattern, filter] of KIND_WORDS) {
    if (pattern.test(withoutTag)) {
      if (filter.kind) input.kind = filter.kind
      if (filter.type) input.type = filter.type
      break
    }
  }
  if (apiType) {
    input.kind = 'api'
    input.type = apiType
  }
  const lifecycle = /\b(production|experimental|deprecated)\b/.exec(lower)
  if (lifecycle) input.lifecycle = lifecycle[1]
  if (tag) input.tag = tag[1]
  else {
    const language = /\b(?:written in|in|using)\s+(go|golang|java|kotlin|python|node|typescript|rust|scala|ruby)\b/.exec(lower)
    if (language) input.tag = language[1] === 'golang' ? 'go' : language[1]
  }
  for (const mention of mentions) {
    const owner = resolveMention(mention, { onlyKinds: ['group'] }, index)
    if (owner && 'ref' in owner && owner.ref.startsWith('group:') && (mention.kindHint === 'group' || /\bown|belong|team\b/.test(lower))) {
      input.owner = owner.ref
      continue
    }
    const system = resolveMention(mention, { onlyKinds: ['system'] }, index)
    if (system && 'ref' in system && system.ref.startsWith('system:')) input.system = system.ref
  }
  const textFilter = /\b(?:matching|named|called|containing|about|mentioning|for)\s+["']?([a-z0-9][a-z0-9 -]{1,40}?)["']?(?:\s*$|[?.!,])/.exec(lower)
  if (textFilter && !input.owner && !input.system) input.text = textFilter[1]!.trim()
  return input
}

function reply(text: string, citations: string[] = []): Plan {
  return { type: 'reply', text, citations }
}

/**
 * Plans the tool calls that answer a question, or a reply when it cannot: a clarifying question for an
 * ambiguous name, "not in the catalog" for an unknown one, "not yet" for a topic no tool covers. It never
 * invents an entity: every reference it passes to a tool was found in the live catalog.
 */
export function planQuestion(question: string, context: PlannerContext): Plan {
  const { index, classifier, tools } = context
  const trimmed = question.trim()
  if (trimmed === '') return reply(`Ask me about your software catalog, for example:\n${capabilities(tools)}`)
  if (trimmed.length > MAX_QUESTION) return reply(`That message is ${trimmed.length} characters long; ask in under ${MAX_QUESTION} characters (paste only the part that matters).`)

  const yaml = /```(?:ya?ml)?\s*\n([\s\S]*?)```/.exec(trimmed)?.[1] ?? (/^\s*(apiVersion|kind)\s*:/m.test(trimmed) ? trimmed.slice(trimmed.search(/^\s*(apiVersion|kind)\s*:/m)) : undefined)
  if (yaml && tools.has('catalog_validate')) return { type: 'calls', calls: [{ toolName: 'catalog_validate', input: { yaml } }] }

  if (/^(hi|hello|hey|help|what can you do|how do i use this|who are you)\b[\s!?.]*$/i.test(trimmed)) {
    return reply(`I answer questions about the software catalog by calling the platform's tools:\n${capabilities(tools)}`)
  }

  const allowed = new Set(tools.keys())
  const calls: PlannedCall[] = []
  let lastRefs = context.previousRefs
  let firstProblem: Plan | undefined

  const parts = clauses(trimmed)
  for (const [position, part] of parts.entries()) {
    const tokens = words(part)
    const mentions = linkEntities(index, part)
    const ranked = classifier.rank(maskSpans(tokens, mentions.map((mention) => widenOverKindWord(tokens, mention))).map((token) => (PRONOUNS.has(token) ? ENTITY_TOKEN : token)), allowed)
    const top = ranked[0]
    if (!top || top.score < MIN_INTENT_SCORE) {
      if (position === 0 && parts.length === 1) {
        const topic = unsupportedTopic(part, tools)
        if (topic) return reply(`I can't help with ${topic} yet: no tool in this portal covers it. I can answer:\n${capabilities(tools)}`)
      }
      continue
    }
    // "what did team payments spend?" names a team, but asks about spend: a topic no tool covers.
    const topic = unsupportedTopic(part, tools)
    if (topic) {
      firstProblem ??= reply(`I can't help with ${topic} yet: no tool in this portal covers it. I can answer:\n${capabilities(tools)}`)
      continue
    }
    const tool = tools.get(top.tool)!
    const input: Record<string, unknown> = {}
    const usesPronoun = tokens.some((token) => PRONOUNS.has(token))
    const slots = ENTITY_SLOTS[tool.name] ?? genericSlots(tool)
    let missing = false
    const remaining = [...mentions]
    for (const slot of slots) {
      const mention = remaining.shift()
      if (mention) {
        const resolved = resolveMention(mention, slot, index)
        if (resolved && 'ref' in resolved) {
          input[slot.slot] = resolved.ref
          continue
        }
        if (resolved && 'ambiguous' in resolved) {
          firstProblem ??= reply(`"${mention.text}" could mean ${resolved.ambiguous.join(', ')}. Which one do you mean?`, resolved.ambiguous)
          missing = true
          break
        }
      }
      // A follow-up ("and who owns it?") refers to what the conversation was about.
      const previous = lastRefs.find((ref) => !slot.onlyKinds || slot.onlyKinds.includes(ref.slice(0, ref.indexOf(':'))))
      if (previous && (usesPronoun || mentions.length === 0) && !Object.values(input).includes(previous)) {
        input[slot.slot] = previous
        continue
      }
      missing = true
      break
    }
    if (missing) {
      if (!firstProblem) {
        const unknown = unknownNames(part, mentions)
        if (unknown.length > 0) {
          const suggestions = similarRefs(index, unknown[0]!.toLowerCase())
          firstProblem = reply(`I couldn't find "${unknown[0]}" in the catalog${suggestions.length ? `. Did you mean ${suggestions.join(', ')}?` : '. Check the name, or search the catalog with a part of it.'}`, suggestions)
        } else firstProblem = reply(`Which entity do you mean? Name the service, API, resource, system or team, e.g. "${tool.examples?.[0] ?? tool.title}".`)
      }
      continue
    }
    if (tool.name === 'catalog_query') Object.assign(input, queryFilters(part, mentions, index))
    if (tool.name === 'graph_owned_by') {
      const kind = queryFilters(part, [], index).kind
      if (typeof kind === 'string' && kind !== 'group' && kind !== 'user') input.kind = kind
    }
    if (tool.name === 'graph_dependencies' || tool.name === 'graph_dependents') {
      const depth = depthFrom(part)
      if (depth !== undefined) input.depth = depth
    }
    if (!calls.some((call) => call.toolName === tool.name && JSON.stringify(call.input) === JSON.stringify(input))) calls.push({ toolName: tool.name, input })
    const refs = Object.values(input).filter((value): value is string => typeof value === 'string' && value.includes(':'))
    if (refs.length > 0) lastRefs = [...refs, ...lastRefs]
  }
  if (calls.length > 0) return { type: 'calls', calls }
  if (firstProblem) return firstProblem
  const topic = unsupportedTopic(trimmed, tools)
  if (topic) return reply(`I can't help with ${topic} yet: no tool in this portal covers it. I can answer:\n${capabilities(tools)}`)
  return reply(`I'm not sure what you're asking. I can answer:\n${capabilities(tools)}`)
}

const KIND_NOUNS = new Set(['team', 'squad', 'service', 'svc', 'api', 'db', 'database', 'system', 'domain', 'resource', 'component', 'cache', 'queue', 'bucket', 'website', 'library', 'app'])

/** "the payments team", "payments-db database": the kind word belongs to the name, not to the intent. */
function widenOverKindWord(tokens: string[], mention: Mention): { start: number; end: number } {
  let { start, end } = mention
  if (KIND_NOUNS.has(tokens[end] ?? '')) end++
  else if (KIND_NOUNS.has(tokens[start - 1] ?? '')) start--
  return { start, end }
}

/** For tools the planner has no special knowledge of: string inputs that name entities, in schema order. */
function genericSlots(tool: ToolDefinition): Array<{ slot: string }> {
  const shape = (tool.input as unknown as { shape?: Record<string, { def?: { type?: string }; isOptional?: () => boolean }> }).shape ?? {}
  return Object.entries(shape)
    .filter(([name, schema]) => /^(ref|entity|service|component|from|to|group|team|target)$/.test(name) && !schema.isOptional?.())
    .map(([name]) => ({ slot: name }))
}
