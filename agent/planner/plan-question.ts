import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { similarRefs } from '../../graph/index/resolve-entity.ts'
import type { ToolDefinition } from '../../tools/define-tool.ts'
import { KIND_WORDS, linkEntities, resolveMention, type Mention } from './entity-linker.ts'
import { ENTITY_TOKEN, maskSpans, type IntentClassifier, type IntentScore } from './intent-classifier.ts'
import { PLURAL_KINDS, QUOTED, TEXT_SEARCH, hasAttributeFilter, queryFilters } from './query-filters.ts'
import { numberArguments, optionArguments } from './option-arguments.ts'
import { asksToSearchLogs, unsupportedTopic } from './unsupported-topics.ts'
import { COST_TOOLS, costInput } from './cost-inputs.ts'
import { INCIDENT_ID, isSignalsTool, signalArguments } from './signal-arguments.ts'
import { KNOWN_VOCABULARY, PREPOSITIONS, canonicalWord, numberWord, words } from './words.ts'
import { correctSpelling } from './correct-spelling.ts'
import { FENCED_BLOCK, readPastes } from './pasted-text.ts'

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
  /** The call that answered the previous question, for follow-ups like "same for cart-service". */
  previousCall?: PlannedCall
  /** The one remediation request the previous answer was about ("undo that one", "is it approved yet?"). */
  previousRequestId?: string
  /** The one incident the previous answer named ("show me that one"). */
  previousIncidentId?: string
  /** The likely cause a previous root-cause analysis named: what "roll that back" acts on. */
  previousCause?: string
  /** The one address the previous turn named ("ok import it then"). */
  previousUrl?: string
  /** What "last week" is relative to; the current time unless given. */
  now?: Date
}

const MAX_QUESTION = 4000
const MIN_INTENT_SCORE = 0.18
/** How close a tool that takes the named kind of entity must come to the best one to be preferred. */
const NEAR_TIE = 0.15
const NEAR_TIE_SHARE = 0.5

/** Where an entity goes in each tool's input, and which kinds make sense there. */
const ENTITY_SLOTS: Record<string, Array<{ slot: string; onlyKinds?: string[]; preferKinds?: string[] }>> = {
  catalog_get_entity: [{ slot: 'ref', preferKinds: ['component', 'api', 'resource', 'system', 'domain', 'group', 'user'] }],
  catalog_who_owns: [{ slot: 'ref', onlyKinds: ['component', 'api', 'resource', 'system', 'domain', 'template'], preferKinds: ['component', 'resource', 'api', 'system'] }],
  graph_dependencies: [{ slot: 'ref', onlyKinds: ['component', 'resource', 'api'], preferKinds: ['component', 'resource', 'api'] }],
  graph_dependents: [{ slot: 'ref', onlyKinds: ['component', 'resource', 'api'], preferKinds: ['resource', 'component', 'api'] }],
  graph_path: [{ slot: 'from' }, { slot: 'to' }],
  graph_owned_by: [{ slot: 'group', onlyKinds: ['group'] }],
  graph_parts: [{ slot: 'ref', onlyKinds: ['system', 'domain'], preferKinds: ['system', 'domain'] }],
  remediation_request: [{ slot: 'entity', onlyKinds: ['component'], preferKinds: ['component'] }],
  remediation_plan: [{ slot: 'entity', onlyKinds: ['component'], preferKinds: ['component'] }],
  rca_analyze: [{ slot: 'ref', onlyKinds: ['component', 'resource', 'api'], preferKinds: ['component', 'resource'] }],
  signals_timeline: [{ slot: 'ref', onlyKinds: ['component', 'resource', 'api'], preferKinds: ['component', 'resource'] }],
  // Their entity is optional (signal-arguments.ts fills it); an incident id is not an entity.
  incidents_list: [],
  anomalies_list: [],
  incidents_predict: [],
  incident_get: [],
}

/** Words that stand for the entity the conversation is about. */
const PRONOUNS = new Set(['it', 'its', 'they', 'them', 'their', 'theirs', 'those', 'these', 'she', 'her', 'hers', 'he', 'him', 'his'])

function capabilities(tools: Map<string, ToolDefinition>): string {
  return [...tools.values()].map((tool) => `- ${tool.title}: e.g. "${tool.examples?.[0] ?? tool.description}"`).join('\n')
}

/** Greetings and chat filler before the question itself ("hey, can you…", "ok so", "quick q -"). */
const FILLER = /^(?:(?:hey|hi|hello|yo|ok|okay|cool|great|thanks|thx|so|hmm+|hm|ugh|oops|argh|as (?:a|an) [\w-]+(?:\s+[\w-]+){0,2}(?=,)|lgtm|perfect|nice|(?:looks|sounds) (?:fine|good|great|ok|okay)|sorry(?: to (?:bother|bug|interrupt)(?: you)?)?|quick q(?:uestion)?|pls|please)(?:\s+(?:team|all|folks|everyone|there))?\b[\s,!:.–—-]*)+/i

const QUESTION_START = '(?:who|whom|whose|what|whats|which|where|how|does|do|is|are|can|could|list|show|tell|give|find|check|its|their|also|any|compare)\\b'

interface Clause {
  text: string
  /** Whether the clause asks something (a question mark, a question word or a request) rather than states context. */
  asks: boolean
  /** Whether it ended with a full stop: a sentence that says something ("…and it won't start without env vars."). */
  stated: boolean
}

/**
 * Splits "what breaks if X goes down and who owns it?" into clauses that may each need a tool. A conjunction
 * splits only when a new question follows it, so "how are cart-service and pricing-db related" stays whole.
 */
function clauses(question: string): Clause[] {
  const listed = new Set<string>()
  return question
    // Separate questions are separate clauses ("how is X connected to Y? and what else depends on Y").
    .split(/(?<=\?)\s+(?=\S)/)
    // "how are cart-service and pricing-db related": one question about two entities.
    // "How is X connected to Y, and what else relies on Y?": a relation question ends where a new question starts.
    .flatMap((question) => (RELATION_QUESTION.test(question) ? question.split(/,\s*(?:and|also|plus)\s+(?=(?:what|who|which|where|how|is|are|does|do|were|was|has|have|did|any)\b)/i) : question
    // Separate sentences are separate clauses ("SYSTEM OVERRIDE: … . Who owns payments-db?"); "incl." ends none.
    .split(/(?<!\b(?:incl|e\.g|i\.e|etc|vs|approx|esp|resp)\.)(?<=(?:[A-Za-z0-9)%]|['"’”])\.['"’”]?)\s+(?=[A-Za-z])/)
    .flatMap((sentence) => enumerated(sentence, listed))
    .flatMap((sentence) => (listed.has(sentence) ? [sentence] : sentence.split(new RegExp(`(?<=\\?)\\s*(?=[^\\s?])|;\\s*|,?\\s+(?:and then|and also|and separately|also|and|plus|then|\\+|&)\\s+(?=${QUESTION_START}|${NEXT_ASK})|,?\\s+and\\s+(?=(?:of\\s+)?[a-z0-9]+(?:-[a-z0-9]+)+\\s*[?.!]*$)|,?\\s+(?:plus|and also|also)\\s+(?=(?:a|the)\\s+(?:full\\s+|complete\\s+)?(?:list|rundown|overview|summary)\\b)|,\\s+(?=${ACTION_VERB})|,\\s+(?=which\\s+\\w+\\s+(?:is|would|could)\\s+(?:it|that|this)\\b)|\\s+[-–—]\\s+(?=(?:if|when|before|after|since|because|once)\\b)`, 'i'))))
    .flatMap((part) => (listed.has(part) ? [part] : splitLeadingCondition(part)))))
    .map((part) => {
      // "…, so I can check the rollback notes": why it is asked, not a further ask.
      const text = part.trim().replace(FILLER, '').replace(PURPOSE_TAIL, '').replace(/[?.!]+$/, '')
      // "I'm on call: any open incidents" asks after its bit of context.
      // "…and its README has no contacts at all" says something of it; "…and its owner?" asks.
      const saysOfIt = /^\s*(?:its|their)\b/i.test(text) && DECLARATIVE.test(text) && !/\?\s*$/.test(part)
      // A sentence ended by a full stop states: "saw users-db in a trace, which surprised me." asks nothing.
      const stated = /\.\s*$/.test(part)
      // A question about how two things are connected asks, whatever context comes before it in the same sentence.
      // "and are there any open incidents", "Separately, give me a dry run": a connective before the ask.
      const head = text.replace(/^\s*(?:(?:and|also|plus|then|separately|additionally|oh and|and also|(?:or\s+)?at least|but)\b[,\s]*)+/i, '')
      return { text, stated, asks: listed.has(part) || RELATION_QUESTION.test(text) || !saysOfIt && (/\?\s*$/.test(part) || ASKING_START.test(head) || WANTS.test(text) || (!stated && askedAfterContext(head) !== undefined) || ASKED_AFTER_COLON.test(text)) }
    })
    .filter((part) => part.text.length > 0)
}

/**
 * "Need: (1) what depends on it, (2) the docs for X", "Three things: any open incidents on X, what changed on it,
 * and who owns it": each item of a list of asks is an ask. Returns the lead and the items, recording the items.
 */
function enumerated(sentence: string, listed: Set<string>): string[] {
  // "Need:", "Can you", "Three things:" introduce the list and ask nothing themselves; a longer lead is context.
  const leadOf = (lead: string) => (lead.trim().split(/\s+/).length <= 4 ? [] : [`${lead.trim().replace(/[:,]\s*$/, '')}.`])
  const record = (items: string[]) => items.map((item) => item.trim().replace(/[,;]\s*$/, '').trim()).filter((item) => item.length > 0).map((item) => (listed.add(item), item))
  if (/\((?:1|a)\)\s*\S/i.test(sentence) && /\((?:2|b)\)\s*\S/i.test(sentence)) {
    const [lead, ...items] = sentence.split(/\s*(?:[,;]\s*)?(?:and\s+)?\((?:[1-9]|[a-e])\)\s*/i)
    return [...leadOf(lead!), ...record(items)]
  }
  const counted = /^(.*?\b(?:two|three|four|2|3|4) (?:things|questions|asks|items)\b[^:]*:)\s*(.+)$/i.exec(sentence)
  if (counted) return [...leadOf(counted[1]!), ...record(counted[2]!.split(/,\s*(?:and\s+)?|\s+and\s+(?=(?:what|who|which|where|how|any|is|are|does|do|the|its)\b)/i))]
  return [sentence]
}

/** A request in the imperative ("show me inc-8-3", "run an rca on it", "plan a restart of X"): it asks as a question does. */
const IMPERATIVE = '(?:let (?:me|us) know|walk (?:me|us) through|dig into|look into|show|list|give|tell|find|check|pull|open|fetch|grab|get|run|plan|dry[- ]?run|explain|describe|summari[sz]e|search|look|trace|diagnose|investigate|analy[sz]e|preview|restart|reboot|bounce|roll|rollback|revert|scale|undo)\\b'
/** After "and": a further ask that is not a question word ("…, and has it had incidents", "…, and pull up its docs"). */
const NEXT_ASK = `(?:has|have|had|was|were|did|will|why|when|whether|(?:i|we)(?:'d| would)? (?:really )?(?:need|want) (?:to know|every|all|the list|a list)|(?:everything|anything|all) (?:that|which)|${IMPERATIVE})\\b`
/** "how are cart-service and pricing-db related": one question about two entities, whatever joins them. */
const RELATION_QUESTION = /\b(between|connect(ed|s)?|relat(ed|ion|ionship)|path|link(ed)?|(?:anything|something) to do with)\b/i
/** A condition or a time said before the ask ("before I ask the payments folks, show me the plan…", "if payments-db dies, what breaks?"). */
const LEADING_CONDITION = new RegExp(`^(\\s*(?:before|after|if|when|whenever|since|because|while|once|as soon as|now that|given that|in case)\\b[^,]{3,}?),\\s+((?:${QUESTION_START}|${IMPERATIVE}|why|when|who'?s|what'?s)[\\s\\S]*)$`, 'i')

/** Asking after one incident without naming it: "show me that one", "what happened in it?", "open that one up". */
const INCIDENT_FOLLOW_UP = /\b(?:that one|this one|what happened|happened (?:in|during|with) (?:it|that|this)|show (?:me )?(?:it|that|this)\b|open (?:it|that|this)(?: one)? up|(?:its|the) (?:details|timeline)|root cause of (?:it|that|this)|what(?:['’]s| is| was) the root cause(?= though|\s*$)|why did (?:it|that|this) happen)\b/i

/** Saying yes to a planned action: "ok go ahead and do it", "yes, run it", "proceed". */
const GO_AHEAD = /^\s*(?:(?:ok(?:ay)?|yes|yep|yeah|sure|great|cool|alright|fine|looks good)[,!.]?\s+)*(?:please\s+)?(?:go ahead(?:\s+and\s+(?:do|run|apply|execute)\s+(?:it|that|this))?|do it|run it|apply it|execute it|proceed|make it so|ship it|let'?s do (?:it|that))\b/i

/** "Can you pull it?", "could you get me that": a request that says nothing but "it". */
const BARE_REQUEST = /^\s*(?:(?:can|could|would) you\s+|please\s+|pls\s+)*(?:pull|get|show|give|send|fetch|find|share|grab|list|dig out|look up|produce|provide|prepare|compile|put together)\s+(?:me\s+|us\s+)?(?:it|that|this|those|them)(?:\s+(?:list|one|info|information|data|report|record|trail))?(?:\s+(?:up|out|together|for me|for us|please|pls|for (?:the|our|my|a|an) [\w\s-]{1,40}))*\s*$/i

/**
 * "Compliance needs the complete trail of approval decisions. Can you pull it?": a bare request for "it" asks for
 * what the sentence before it described, when that sentence names no entity for "it" to be.
 */
function askedThroughContext(parts: Clause[], index: CatalogIndex): Clause[] {
  return parts.flatMap((part, position) => {
    const next = parts[position + 1]
    // "Our DPO asked for a list of everything that uses the Users DB. Could you produce that?": a list described is what "that" is.
    const described = (clause: Clause) => linkEntities(index, clause.text).length === 0 || LIST_NOUN.test(clause.text)
    if (next && !part.asks && BARE_REQUEST.test(next.text) && described(part)) return [{ ...part, asks: true }]
    const previous = parts[position - 1]
    if (previous && !previous.asks && BARE_REQUEST.test(part.text) && described(previous)) return []
    return [part]
  })
}

const LIST_NOUN = /\b(?:list|rundown|overview|inventory|summary|trail|breakdown)\b/i

/** Splits a condition said first from the ask after it: the condition is context, what it names is what the ask is about. */
function splitLeadingCondition(part: string): string[] {
  const match = LEADING_CONDITION.exec(part)
  return match ? [`${match[1]!}.`, match[2]!] : [part]
}
/** "I want every consumer of it listed", "i need the list of services…", "I need to know…": a request said as a need. */
const WANTS = /\b(?:i|we)(?:'d| would)? (?:really )?(?:need|want)\s+(?:to (?:know|see|find|check|understand|get|confirm)|(?:the |a |an )?(?:full |complete )?(?:list|overview|rundown|breakdown|summary|inventory)|every|all|everything)\b/i
/** "so I can check the notes", "so that we know": the reason for an ask. */
const PURPOSE_TAIL = /,?\s+so(?: that)? (?:i|we|you|they|someone) (?:can|could|may|might|will|know)\b.*$/i
/** "saw users-db queries in a trace", "payments db has been sluggish", "if the bus goes down": a clause that says how things are. */
const DECLARATIVE = /^\s*(?:(?:saw|seen|seeing|noticed|noticing|got|getting|found|heard|had|if|when|whenever|since|because|after|before|while|once|as)\b|(?:[\w.'’-]+,?\s+){0,6}?(?:am|is|are|was|were|has|have|had|keeps?|kept|seems?|looks?|feels?|felt|sounds?|appears?|went|got|gets|started|starts|began|broke|crashed|crashes|been|asked|said|told|mentioned|reported|made|caused|isn[\'’]?t|aren[\'’]?t|wasn[\'’]?t|doesn[\'’]?t|don[\'’]?t|didn[\'’]?t|won[\'’]?t|can[\'’]?t|cannot)\b)/i

/** "…, roll it back", "…, restart it please": an action asked for after a statement of what went wrong. */
const ACTION_VERB = '(?:please\\s+)?(?:restart|reboot|bounce|roll\\s*(?:it\\s+|that\\s+)?back|rollback|revert|scale|undo)\\b'
/** How a clause that asks begins: a question word, or a request the tools can act on ("search-indexer …" is a name). */
const ASKING_START = new RegExp(`^\\s*(?:${QUESTION_START}|${IMPERATIVE}|(?:why|when|who'?s|what'?s|please|pls|(?:i'?d like|i would like|i want) to (?:know|see|request|get|have|check|find|view|look|understand)|kindly|(?:i |we )?(?:need|have) to (?:warn|notify|tell|ping|contact|reach|inform|alert|page)|reverse|import|migrate|validate|lint|predict|forecast|troubleshoot|debug|enumerate|detect|(?:everything|anything|all) (?:that|which))\\b)(?!-)`, 'i')
const ASKED_AFTER_COLON = new RegExp(`[:–—]\\s*(?:${QUESTION_START}|${IMPERATIVE})`, 'i')
/** How context begins ("we're rotating creds on fraud-db tonight", "the last release is broken", "got a question about renewals", "Finance here"). */
const STATEMENT_START = /^\s*(?:[\w-]+(?:\s+[\w-]+)?\s+here\s*$|heads[- ]up|fyi|btw|context|(?:we|i|it|they|our|my|this|that|these|those|the|there|he|she|someone|somebody)(?:['’](?:re|m|ve|s|ll|d))?|got|been|just|seems|looks like)\b/i

/** The keys a catalog entity's YAML starts with. */
const CATALOG_YAML = /^\s*(?:apiVersion|kind|metadata)\s*:/m

/** YAML pasted without a fence: from its first `apiVersion:` or `kind:` line while lines look like YAML; the rest is the question. */
function unfencedYaml(text: string): { yaml: string; rest: string } | undefined {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => /^\s*(apiVersion|kind)\s*:/.test(line))
  if (start === -1) return undefined
  let end = start + 1
  while (end < lines.length && /^(?:\s+\S|\s*$|\s*-\s|\s*#|[\w.-]+\s*:(?:\s|$)|---)/.test(lines[end]!)) end++
  return { yaml: lines.slice(start, end).join('\n').trimEnd(), rest: [...lines.slice(0, start), ...lines.slice(end)].join('\n') }
}

/** Name-like words ("warp-drive-service", "zaphod.beeblebrox") that are neither in the catalog, nor tags, nor English. */
function unknownEntityNames(part: string, mentions: Mention[], dictionary: ReadonlySet<string>, index: CatalogIndex): string[] {
  return unknownNames(part, mentions, dictionary).filter((name) => (name.includes('-') || USER_NAME.test(name)) && !INCIDENT_ID.test(name) && index.withValue('metadata.tags', name.toLowerCase()).size === 0 && !words(name).every((word) => dictionary.has(word) || ENGLISH_PREFIXES.has(word)))
}

/** Whether a clause is nothing but names of entities ("for pricing-db", "the event bus"). */
function onlyNames(index: CatalogIndex, text: string): boolean {
  const mentions = linkEntities(index, text)
  if (mentions.length === 0) return false
  const tokens = words(text)
  const masked = maskSpans(tokens, mentions.map((mention) => widenOverKindWord(tokens, mention)))
  return masked.every((token) => token === ENTITY_TOKEN || canonicalWord(token) === undefined || PREPOSITIONS.has(token))
}

/** The words of a question that look like a name the catalog lacks (for "not found" answers). */
function unknownNames(question: string, mentions: Mention[], dictionary: ReadonlySet<string>): string[] {
  const linked = new Set(mentions.flatMap((mention) => mention.text.split(' ')))
  // "warp-drive-service", and people's user names ("zaphod.beeblebrox").
  const hyphenated = question.replace(/\bhttps?:\/\/\S+|\S+@\S+/gi, ' ').replace(/-wise\b/gi, '').match(/[A-Za-z0-9][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)+/g) ?? []
  const names = hyphenated.filter((name) => !words(name).every((word) => linked.has(word)))
  if (names.length > 0) return names
  // "who owns zebra?": the last word that is neither vocabulary nor a stop word.
  const tail = words(question).filter((word) => canonicalWord(word) === word && !KNOWN_VOCABULARY.has(word) && !dictionary.has(word) && !linked.has(word) && word.length > 2)
  return tail.slice(-1)
}

function depthFrom(tokens: string[]): number | undefined {
  for (let position = 0; position < tokens.length; position++) {
    const word = tokens[position]!
    const next = tokens[position + 1] ?? ''
    const previous = tokens[position - 1] ?? ''
    // "2 levels", "two hops deep", "depth 3", "depth of 3"
    if (/^(levels?|hops?|deep|layers?)$/.test(next) && numberWord(word) !== undefined) return Math.min(20, Math.max(1, numberWord(word)!))
    if (/^(depth|level|levels)$/.test(previous) && numberWord(word) !== undefined) return Math.min(20, Math.max(1, numberWord(word)!))
    if (previous === 'of' && tokens[position - 2] === 'depth' && numberWord(word) !== undefined) return Math.min(20, Math.max(1, numberWord(word)!))
  }
  const text = tokens.join(' ')
  if (/\b(directly|direct|immediate|first level)\b/.test(text)) return 1
  if (/\b(transitive|transitively|all the way|recursively|entire|whole)\b/.test(text)) return 10
  return undefined
}

/** Words that carry a question without saying what it is about: question words and times. */
const CARRIER_WORDS = new Set(['what', 'which', 'whats', 'who', 'how', 'where', 'when', 'show', 'list', 'today', 'tomorrow', 'yesterday', 'now', 'tonight', 'week', 'month', 'year', 'day'])

/** Whether two words differ by two neighbouring letters swapped ("lsit", "list"). */
function isSwap(typed: string, fixed: string): boolean {
  if (typed.length !== fixed.length || typed === fixed) return false
  const at = [...typed].findIndex((letter, position) => letter !== fixed[position])
  return typed[at] === fixed[at + 1] && typed[at + 1] === fixed[at] && typed.slice(at + 2) === fixed.slice(at + 2)
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
  // Time words ("since yesterday") are read against one clock for the whole question.
  const now = context.now ?? new Date()
  const trimmed = question.trim()
  if (trimmed === '') return reply(`Ask me about your software catalog, for example:\n${capabilities(tools)}`)
  if (trimmed.length > MAX_QUESTION) return reply(`That message is ${trimmed.length} characters long; ask in under ${MAX_QUESTION} characters (paste only the part that matters).`)

  // A fenced block is YAML to validate when its fence says so or it reads as a catalog entity; a pasted log or stack trace is not.
  const fenced = [...trimmed.matchAll(FENCED_BLOCK)].map((match) => ({ body: match[2]!, language: match[1]!.toLowerCase() })).find((block) => /^ya?ml$/.test(block.language) || (block.language === '' && CATALOG_YAML.test(block.body)))
  const unfenced = fenced ? undefined : unfencedYaml(trimmed)
  const yaml = fenced?.body ?? unfenced?.yaml
  if (yaml && tools.has('catalog_validate')) {
    // "validate this and tell me who owns cart-service: ```…```": the YAML, then the rest of the question.
    const rest = (fenced ? trimmed.replace(/```[\s\S]*?```/g, ' ') : unfenced!.rest).replace(/\b(validate|check|lint)\s+(this|it|that)\b/gi, ' ').trim()
    // Only a further ask that names an entity adds a call: the story around the YAML ("the catalog keeps rejecting
    // our reviews-service entity … what's wrong with it?") is about the YAML.
    const asked = clauses(rest).filter((clause) => (clause.asks || !DECLARATIVE.test(clause.text)) && linkEntities(index, clause.text).length > 0 && !/\b(?:it|this|that)\b/i.test(clause.text))
    const more = asked.length > 0 ? planQuestion(asked.map((clause) => `${clause.text}?`).join(' '), context) : undefined
    return { type: 'calls', calls: [{ toolName: 'catalog_validate', input: { yaml } }, ...(more?.type === 'calls' ? more.calls.filter((call) => call.toolName !== 'catalog_query') : [])] }
  }

  const message = readPastes(trimmed, index, (line) => ASKING_START.test(line))
  // "thanks, that's all for now!": the conversation ends; nothing to look up.
  if (/^(?:(?:ok(?:ay)?|great|cool|perfect|thanks?(?: you| a lot| so much)?|thx|ty|cheers)[\s,!.]*)*(?:that(?:'?s| is) (?:all|it|everything)(?: (?:i|we) (?:needed|wanted))?(?: for (?:now|today))?|(?:thanks?(?: you| a lot| so much)?|thx|ty|cheers)(?: for (?:the|your) help)?|nothing else|all good|no more questions)[\s!.]*$/i.test(trimmed)) return reply('Glad to help. Ask again any time.')
  if (/^(hi|hello|hey|help|what can you do|how do i use this|who are you)\b[\s!?.]*$/i.test(trimmed)) {
    return reply(`I answer questions about the software catalog by calling the platform's tools:\n${capabilities(tools)}`)
  }

  // Tools that need input the question does not carry are not candidates (validation needs YAML).
  const allowed = new Set([...tools.keys()].filter((name) => name !== 'catalog_validate'))
  const dictionary = classifier.dictionary
  const calls: PlannedCall[] = []
  let lastRefs = context.previousRefs
  let previousCall = context.previousCall
  let firstProblem: Plan | undefined

  // "what would restarting X do? don't run it": a clause that forbids the action makes the whole question hypothetical.
  // "plan only, no execution: scale the mobile bff to 12 pods": the prohibition, then the ask after the colon.
  const parts = askedThroughContext(clauses(message), index).flatMap((part) => {
    const ask = NOT_NOW.test(part.text) ? /:\s*(\S.*)$/.exec(part.text)?.[1] : undefined
    return ask ? [{ ...part, text: part.text.slice(0, part.text.length - ask.length).replace(/:\s*$/, '') }, { text: ask, stated: part.stated, asks: true }] : [part]
  })
  const forbidsAction = parts.some((part) => NOT_NOW_ANYWHERE.test(part.text))
  const somethingAsked = parts.length > 1 && parts.some((part) => part.asks)
  // "order-service is stuck, restart it": beside an action asked for, what is merely said is why.
  const actionAsked = parts.length > 1 && parts.some((part) => ACTION_FIRST.test(part.text))
  // An incident named in the context ("the postmortem for inc-21-2 is due") is what a later "it" means.
  let contextIncident: string | undefined
  // The components, resources and APIs this message's context named ("asked for a scale-up on checkout-api … verified?").
  let contextRefs: string[] = []
  // What the context said, in its words: "Something sends the order emails. Which service?" searches for it.
  const contextSaid: string[] = []
  for (const [position, { text: said, asks, stated }] of parts.entries()) {
    // "show me inc-8-3 and run an rca on it": an incident an earlier clause asked about is what "it" means, too.
    // "show me that one" after an answer about one incident: that incident, when the clause asks after an incident.
    const earlierIncident = context.previousIncidentId !== undefined && INCIDENT_FOLLOW_UP.test(said) ? context.previousIncidentId : undefined
    const incident = contextIncident ?? calls.map((call) => call.input.id ?? call.input.incidentId).findLast((id): id is string => typeof id === 'string' && INCIDENT_ID.test(id)) ?? earlierIncident
    const pronounForIncident = incident !== undefined && !INCIDENT_ID.test(said) && linkEntities(index, said).length === 0 ? /\b(?:it|this|that)\b(?!.*\b(?:it|this|that)\b)/i : undefined
    const part = pronounForIncident ? said.replace(pronounForIncident, incident!) : said
    const mentions = linkEntities(index, part)
    // "who owns that cache?": of the entities in view, the one of the kind said.
    // "why is checkout-api slow?" … "roll that back": an action on "that" after a root-cause analysis is on its likely cause.
    const inView = referredFirst(part, context.previousCause && (ACTION_NAMED.test(part) || ACTION_FIRST.test(part)) ? [context.previousCause, ...lastRefs] : lastRefs)
    // An incident named earlier in the message, or in the answer before, and nothing else named here.
    const incidentOfContext = incident !== undefined && !INCIDENT_ID.test(part) && mentions.length === 0
    // "…, don't run it", "…? want to chat about pick lists": a clause that asks nothing adds no call.
    if (NOT_NOW.test(part) || (calls.length > 0 && REASON_FOR_ASKING.test(part))) continue
    // "latency anomalies? all svcs", "…?? dbs queues apis": kinds said after an ask narrow it; they ask nothing new.
    // "what's design-system? a lib or a running service?": a choice of kinds asks what the thing just named is.
    if (calls.length > 0 && (!asks || /\bor\b/i.test(part)) && words(part).every((word) => KIND_FRAGMENT.has(word))) continue
    // "what changed on users-db overnight? migrations, config, anything": a list of examples after an ask narrows it.
    if (calls.length > 0 && mentions.every((mention) => (mention.candidates[0]?.score ?? 0) < 3) && /^[\w\s/-]+(?:,\s*[\w\s/-]+)+,\s*(?:or\s+)?(?:anything|everything|whatever|etc)$/i.test(part) && words(part).length <= 8) continue
    // "we're rotating creds on fraud-db tonight. what could be impacted?": the statement is context; what it names is
    // what the question is about.
    // "pricing-db, who owns it?": a clause that only names something says what the question is about.
    // A whole sentence that asks nothing, before or after the one that asks, is what the ask is about.
    if (somethingAsked && !asks && (STATEMENT_START.test(part) || actionAsked || DECLARATIVE.test(part) || (stated && words(part).length >= 5) || (onlyNames(index, part) && parts.slice(position + 1).some((later) => later.asks)))) {
      // "Just joined Fulfillment this week": one joins a team.
      const said = words(part)
      // "took over as EM for Recommendations", "new lead on Fulfillment": a role in a team is in that team.
      const joined = (mention: Mention) => ['joined', 'joining', 'join'].includes(said[mention.start - 1] ?? '') || (['for', 'on', 'of', 'in'].includes(said[mention.start - 1] ?? '') && ['em', 'manager', 'lead', 'engineer', 'member', 'pm', 'director'].includes(said[mention.start - 2] ?? ''))
      // The team one joined is who "we" are; "it" is still the thing named (so the team goes last).
      const named = [...mentions.filter((mention) => !joined(mention)), ...mentions.filter(joined)].map((mention) => resolveMention(mention, joined(mention) ? { onlyKinds: ['group'], preferKinds: ['group'] } : { preferKinds: ['component', 'resource', 'api'] }, index)).flatMap((resolved) => (resolved && 'ref' in resolved ? [resolved.ref] : []))
      contextIncident = INCIDENT_ID.exec(part)?.[1] ?? contextIncident
      // "pegasus-sync has been failing. why is it failing?": the context is about something the catalog lacks, so "it" is that.
      const unknown = named.length === 0 ? unknownEntityNames(part, mentions, dictionary, index) : []
      if (unknown.length > 0) {
        firstProblem ??= notFound(part, mentions, dictionary, index, [...tools.values()][0]!)
        lastRefs = []
        continue
      }
      lastRefs = [...named, ...lastRefs]
      contextRefs = [...named, ...contextRefs]
      contextSaid.push(part)
      continue
    }
    // "Something here handles gift wrapping. Which service is it?": asking which one fits what was described is a search
    // for the description; a search already planned for it answers it.
    const identifies = WHICH_ONE.test(part) || (/^\s*what(?:['’]s| is) (?:it|that)(?: called)?\s*$/i.test(part) && contextSaid.some((said) => SOMETHING_UNNAMED.test(said)))
    if (identifies && mentions.length === 0 && tools.has('search') && (!contextRefs.some((ref) => /^(component|resource|api):/.test(ref)) || contextSaid.some((said) => SOMETHING_UNNAMED.test(said)))) {
      const described = contextSaid.join(' ')
      if (calls.some((call) => call.toolName === 'search')) continue
      if (described !== '') {
        addCall(calls, { toolName: 'search', input: { query: searchQuery(described) } })
        continue
      }
    }
    const tokens = demonstrativesAsPronouns(correctSpelling(words(part), mentions, dictionary))
    // The clause as typed, its misspelt words fixed ("rstart auth-service"), for the rules that read its phrasing.
    const spelled = respell(part, words(part), correctSpelling(words(part), mentions, dictionary))
    const spans = mentions.map((mention) => widenOverKindWord(tokens, mention))
    const masked = maskSpans(tokens, spans).map((token) => (PRONOUNS.has(token) ? ENTITY_TOKEN : token))
    const outside = masked.filter((token) => token !== ENTITY_TOKEN)
    // "planning maintenance on payments-db tonight, what will be impacted?": after the context, the question says what is asked.
    // "…what the subscription service calls downstream - can you list it?": an ask that says only "it" leaves the words to the context.
    const asked = ((found) => (found && BARE_REQUEST.test(found) ? undefined : found))(askedAfterContext(part))
    const askedRanked = asked ? classifier.rank(maskSpans(words(asked), linkEntities(index, asked)).map((token) => (PRONOUNS.has(token) ? ENTITY_TOKEN : token)), allowed) : []
    const ranked = (askedRanked[0]?.score ?? 0) >= MIN_INTENT_SCORE ? askedRanked : classifier.rank(masked, allowed)
    let top: IntentScore | undefined = ranked[0]
    // Looking for something ("anything in the docs about blue-green deploys?") may be about any topic.
    const findsSomething = HOW_TO_ANYWHERE.test(part) || DISCOVERY.test(part) || SEARCH_THE_DOCS.test(part)
    // "How do I create a new service?" is a question for the docs, whatever it is about.
    // "does it have techdocs?": whether there are docs is answered by reading them.
    const hasDocs = /\b(?:does|do|did)\s+(?:[\w-]+\s+){1,4}?(?:have|got)\s+(?:any\s+)?(?:tech)?(?:docs?|documentation|readme)\b/i.test(part)
    // "show me its docs, especially the section on failover": an entity's docs may be about anything.
    const docsOfEntity = DOCS_WORDS.test(part) && (mentions.length > 0 || /\b(?:its|their)\b/i.test(part)) && tools.has('docs_get')
    // "list every bucket in the catalog, finance is chasing S3 storage costs": the topic is only why it is asked.
    const pieces = part.split(/,\s+/)
    const topicOnlyInStatement = pieces.length > 1 && ASKING_START.test(pieces[0]!) && pieces.slice(1).every((piece) => DECLARATIVE.test(piece)) && !unsupportedTopic(words(pieces[0]!), tools, { strongOnly: false })
    const topic = docsOfEntity || topicOnlyInStatement ? undefined : asksToSearchLogs(part, tools) && !/\baudit\b/i.test(part) ? 'searching logs' : findsSomething && (HOW_TO_ANYWHERE.test(part) || DOCS_WORDS.test(part)) && tools.has('search') ? unsupportedTopic(outside, tools, { strongOnly: true, outsideDocsOnly: true }) : unsupportedTopic(outside, tools, { strongOnly: (top?.score ?? 0) >= 0.4 || findsSomething })
    if (topic) {
      firstProblem ??= reply(`I can't help with ${topic} yet: no tool in this portal covers it. I can answer:\n${capabilities(tools)}`)
      continue
    }
    // "deploy cart-service 4.2.0 to prod": deploying is not an action this portal runs (a rollback is).
    if (/^\s*(?:(?:please|pls|can you|could you|go ahead and)\s+)*(?:deploy|redeploy|ship|promote)\b(?!-)(?!\s+(?:history|log|logs|timeline|status|events?|records?|dates?|times?)\b)/i.test(part)) {
      firstProblem ??= reply(`I can't help with deployments yet: no tool in this portal covers it. I can answer:\n${capabilities(tools)}`)
      continue
    }
    // "can u do rollbacks?", "what else can you do remediation-wise": what the portal can do, not a request to do it.
    if (CAPABILITY.test(spelled) && mentions.length === 0) {
      if (REMEDIATION_WORDS.test(part) && tools.has('remediation_playbooks')) addCall(calls, { toolName: 'remediation_playbooks', input: {} })
      else firstProblem ??= reply(`I answer questions about the software catalog by calling the platform's tools:\n${capabilities(tools)}`)
      continue
    }
    // "new to the team … - what's in the Recommendations system?": the kinds and attributes asked for are in the ask, not its context.
    const askedMentions = asked && ranked === askedRanked ? linkEntities(index, asked) : undefined
    const filters = asked && askedMentions ? queryFilters(maskSpans(words(asked), askedMentions.map((mention) => widenOverKindWord(words(asked!), mention))).filter((token) => token !== ENTITY_TOKEN).join(' '), asked, askedMentions, index) : queryFilters(outside.join(' '), part, mentions, index)
    // Text in quotes, or "…that mention refunds": something to search for, not an entity to describe.
    // "need the owner of the rma service, returns are stuck in 'pending'": a quote in what is said about a named thing is no search.
    const quotedInStatement = mentions.length > 0 && part.split(/,\s+/).some((piece) => QUOTED.test(piece) && DECLARATIVE.test(piece))
    const quoted = (QUOTED.test(part) && !quotedInStatement) || TEXT_SEARCH.test(part.toLowerCase())

    // "who owns order-service?" … "and the db?": the same question about that service's database.
    const sibling = previousCall && mentions.length === 0 ? KIND_FOLLOW_UP.exec(part)?.[1]?.toLowerCase() : undefined
    const subjectKey = sibling ? Object.keys(previousCall!.input).find((key) => /^(component|resource|api):/.test(String(previousCall!.input[key]))) : undefined
    const siblingRef = sibling && subjectKey ? relatedOfKind(index, String(previousCall!.input[subjectKey]), sibling) : undefined
    if (siblingRef && subjectKey) {
      const call = { toolName: previousCall!.toolName, input: { ...previousCall!.input, [subjectKey]: siblingRef } }
      addCall(calls, call)
      previousCall = call
      lastRefs = [siblingRef, ...lastRefs]
      continue
    }
    // "ok go ahead and do it" after a dry run: the planned action, asked for (it still waits for approval).
    if (previousCall?.toolName === 'remediation_plan' && GO_AHEAD.test(part) && tools.has('remediation_request')) {
      addCall(calls, { toolName: 'remediation_request', input: { ...previousCall.input } })
      continue
    }
    // A follow-up that asks the previous question again, changed: "same for cart-service", "only the direct
    // ones", "go 5 levels deep", "which of those are databases?", "and for the email queue?".
    // "…? And is there a runbook anywhere for database failovers?": looking for something is a question of its own.
    const followUp = previousCall && !findsSomething && (!top || top.score < MIN_INTENT_SCORE || STRONG_FOLLOW_UP.test(part.trim()) || (FOLLOW_UP.test(part.trim()) && top.score < 0.35))
    if (followUp && previousCall) {
      const followed = followUpCall(previousCall, { text: part, mentions, tokens, filters, index, tools, now })
      if (followed) {
        const { call, refines } = followed
        // "…? direct deps only" refines the call this same question just planned.
        if (refines && calls.at(-1) === previousCall) calls.pop()
        addCall(calls, call)
        previousCall = call
        lastRefs = [...refsOf(call.input), ...lastRefs]
        continue
      }
    }
    // A named incident: why it happened is an RCA, anything else is the incident itself ("details on inc-8-4").
    if (INCIDENT_ID.test(part) && tools.has('incident_get') && tools.has('rca_analyze')) top = { tool: /\b(why|cause|caused|causes|root|rca)\b/.test(tokens.join(' ')) ? 'rca_analyze' : 'incident_get', score: 1 }
    // Without an incident id, "the timeline of orders-db" is not about one incident: the next tool is.
    else if (top?.tool === 'incident_get') top = ranked.find((candidate) => candidate.tool !== 'incident_get')
    // "Is there a service that handles refunds?", "where do I find…", "how do I…": finding something is a search,
    // unless the question names an entity in full, lists by attributes, or a tool that needs no entity answers it.
    const fullNames = mentions.filter((mention) => (mention.candidates[0]?.score ?? 0) >= 3)
    // "which part of our platform deals with currency?": a word that names several things is, in a search, just a word.
    const isUnclear = (mention: Mention) => 'ambiguous' in (resolveMention(mention, {}, index) ?? {})
    const answeredWithoutEntity = top !== undefined && top.score >= 0.3 && needsNoEntity(top.tool, tools)
    // "which components handle card data (tagged pci)": a tag said outright makes the list, whatever the purpose.
    const attributeList = hasAttributeFilter(filters) && filters.text === undefined && (!PURPOSE.test(part) || (filters.tag !== undefined && /\btag(?:ged)?\b/i.test(part)))
    const howTo = HOW_TO_ANYWHERE.test(part)
    // "is there a runbook for a stuck pick list queue?": looking for documents is a search, whatever it names.
    const looksForDocs = DISCOVERY.test(part) && DOCS_WORDS.test(spelled)
    // A search for documents is a search also when a pronoun says what they are about ("docs that explain how they flow").
    const docsOfIt = /\b(?:its|their|his|her)\s+(?:\w+\s+)?(?:docs?|documentation|techdocs|runbooks?|readme|write-?ups?|wiki)\b/i.test(part)
    if (((looksForDocs && !docsOfIt) || ((howTo || (DISCOVERY.test(part) && !answeredWithoutEntity && !attributeList)) && fullNames.every(isUnclear) && (!tokens.some((token) => PRONOUNS.has(token)) || QUOTED.test(part)))) && tools.has('search')) top = { tool: 'search', score: Math.max(top?.score ?? 0, MIN_INTENT_SCORE) }
    if (SEARCH_THE_DOCS.test(part) && tools.has('search')) top = { tool: 'search', score: Math.max(top?.score ?? 0, MIN_INTENT_SCORE) }
    // "which components carry the gdpr tag?": a tag said outright, and nothing named, is a list.
    else if (filters.tag !== undefined && /\btag(?:ged)?\b/i.test(part) && fullNames.length === 0 && (top?.tool === 'search' || !top || top.score < MIN_INTENT_SCORE) && tools.has('catalog_query')) top = { tool: 'catalog_query', score: Math.max(top?.score ?? 0, MIN_INTENT_SCORE) }
    // "Which APIs are currently marked as experimental?": a kind and a lifecycle, nothing named, is a list.
    if (filters.kind !== undefined && filters.lifecycle !== undefined && mentions.length === 0 && top && isSignalsTool(top.tool) && tools.has('catalog_query')) top = { tool: 'catalog_query', score: top.score }
    const spelledOut = spelledOutTool(spelled, { asked, message, mentions: mentions.length, actionInContext: contextRefs.length > 0 && ACTION_NAMED.test(message), earlierRequest: context.previousRequestId !== undefined && /\b(?:it|that|this|them|those)\b/i.test(part) })
    if (spelledOut && tools.has(spelledOut)) top = { tool: spelledOut, score: Math.max(top?.score ?? 0, MIN_INTENT_SCORE) }
    // "Our DPO wants a list of everything tagged gdpr": attributes said outright make a list, however many other words.
    if (top?.tool === 'catalog_query' && top.score < MIN_INTENT_SCORE && mentions.length === 0 && hasAttributeFilter(filters)) top = { tool: 'catalog_query', score: MIN_INTENT_SCORE }
    if (!top || top.score < MIN_INTENT_SCORE) continue
    // A name-like word the catalog does not have ("warp-drive-service") must not be answered about something else.
    const unknown = unknownEntityNames(part, mentions, dictionary, index)
    // A search looks for words, known or not ("anything in the docs about blue-green deploys?").
    // A tool that takes no entity (an import, the playbooks) cannot answer about the wrong one.
    if (unknown.length > 0 && !QUOTED.test(part) && !TEXT_SEARCH.test(part.toLowerCase()) && !(top.tool === 'search' && findsSomething) && takesEntity(tools.get(top.tool))) {
      firstProblem ??= notFound(part, mentions, dictionary, index, tools.get(top.tool)!)
      continue
    }

    // "will it rain in lisbon tomorrow?": a weak match on one or two words of a question the tools know nothing of.
    // Words as typed count, and typos of longer words ("databses") or swapped letters ("lsit"); a short word corrected
    // into a known one ("rain") does not. A tag of the catalog ("kotlin") is the catalog's own word.
    const corrected = correctSpelling(words(part), mentions, dictionary)
    const content = words(part).flatMap((token, position) => {
      const word = canonicalWord(token)
      if (word === undefined || /^\d+$/.test(word) || PREPOSITIONS.has(word)) return []
      const fixed = corrected[position] ?? token
      const typoOfKnown = (token.length >= 6 || isSwap(token, fixed)) && classifier.vocabulary.has(canonicalWord(fixed) ?? '')
      return [{ word, known: classifier.vocabulary.has(word) || typoOfKnown || index.withValue('metadata.tags', token).size > 0 }]
    })
    // Question words and times ("what's … like today") say nothing of what is asked about.
    const topical = content.filter((item) => !CARRIER_WORDS.has(item.word))
    const known = topical.filter((item) => item.known).length
    if (mentions.length === 0 && !previousCall && !findsSomething && !spelledOut && top.score < 0.5 && ((topical.length >= 3 && known * 2 < topical.length) || (topical.length === 2 && known === 0))) continue
    // "point of contact for tax-api?": a tool that needs two entities is not asked about one.
    const slotsOf = (name: string) => ENTITY_SLOTS[name] ?? (tools.get(name) ? genericSlots(tools.get(name)!) : [])
    if (slotsOf(top.tool).length > 1 && mentions.length === 1 && !tokens.some((token) => PRONOUNS.has(token))) {
      const single = ranked.find((candidate) => candidate.score > 0 && slotsOf(candidate.tool).length <= 1)
      if (single) top = single
    }
    // Near-ties go to the tool that takes the kind of entity named ("portfolio of the fulfillment team").
    const named = mentions[0] ? resolveMention(mentions[0], {}, index) : undefined
    const namedKind = named && 'ref' in named ? named.ref.slice(0, named.ref.indexOf(':')) : undefined
    if (namedKind && !COST_TOOLS.has(top.tool) && top.tool !== spelledOut) {
      const fitting = ranked.find((candidate) => candidate.score >= top!.score - Math.min(NEAR_TIE, top!.score * NEAR_TIE_SHARE) && ENTITY_SLOTS[candidate.tool]?.[0]?.onlyKinds?.includes(namedKind))
      // Only a top tool that wants an entity, and not of this kind, gives way (not the audit log, not incidents of any entity).
      const topSlot = ENTITY_SLOTS[top.tool]?.[0]
      // A tool that cannot take an entity at all (the audit log, cycles) gives way too, when the name is said in full.
      // Never towards an action: "audit entries for the checkout-api rollback" stays a read.
      const takesNoEntity = !topSlot && !takesEntity(tools.get(top.tool)) && !(top.tool === 'search' && findsSomething) && (mentions[0]!.candidates[0]?.score ?? 0) >= 3 && fitting !== undefined && !REMEDIATION_TOOLS.has(fitting.tool)
      // A tool that describes any kind gives way only to the listing of what a team or system holds; a near-tie must not
      // turn "tell me about checkout-api" into who owns it.
      const givesWay = topSlot !== undefined && (topSlot.onlyKinds ? !topSlot.onlyKinds.includes(namedKind) : fitting !== undefined && ['graph_owned_by', 'graph_parts'].includes(fitting.tool))
      if (fitting && (givesWay || takesNoEntity)) top = fitting
    }
    // "has the cart-db been behaving strangely?": the remediation tools answer only questions about remediations.
    if (REMEDIATION_TOOLS.has(top.tool) && !REMEDIATION_WORDS.test(spelled)) {
      const other = ranked.find((candidate) => !REMEDIATION_TOOLS.has(candidate.tool) && candidate.score >= MIN_INTENT_SCORE)
      if (other) top = other
    }
    let tool = tools.get(top.tool)!
    // "what's the difference between config-service and feature-flags-service?": what each one is, not how they connect.
    if (/\b(?:difference|differences|differ)\b/i.test(part) && fullNames.length === 2 && tool.name === 'graph_path' && tools.has('catalog_get_entity')) tool = tools.get('catalog_get_entity')!
    // "how on earth does admin-portal touch ledger-db?": how one named thing reaches another is the path between them.
    if (HOW_ONE_REACHES_ANOTHER.test(part) && fullNames.length === 2 && ['graph_dependencies', 'graph_dependents', 'catalog_get_entity'].includes(tool.name) && tools.has('graph_path')) tool = tools.get('graph_path')!
    // "Roll back the last deploy of X": a clause that starts with an action asks for that action, whatever else it names.
    // "What would restarting X do?", "dry run a rollback": a hypothetical action is planned, never run.
    const hypothetical = HYPOTHETICAL.test(part) || forbidsAction
    // "what would a rollback on shipping-service touch?": an action weighed for a named service is its plan, whatever verb asks.
    // "Thinking about scaling the api gateway. What would happen?": the action and the service may be named in the context.
    const actionWeighed = ACTION_NAMED.test(spelled) ? mentions.some((mention) => mention.candidates.some((candidate) => candidate.ref.startsWith('component:'))) : mentions.length === 0 && /^\s*(?:and\s+|so\s+)?what\b/i.test(part) && ACTION_NAMED.test(message) && contextRefs.some((ref) => ref.startsWith('component:'))
    if (hypothetical && actionWeighed && !/^\s*who\b/i.test(part) && !REMEDIATION_TOOLS.has(tool.name) && tools.has('remediation_plan')) tool = tools.get('remediation_plan')!
    // "email-sender is stuck draining the queue, can you restart it?": the action may be asked after the context.
    const actionAfterContext = ACTION_FIRST.test(spelled) || (asked !== undefined && ACTION_FIRST.test(asked))
    if (actionAfterContext && !hypothetical && tools.has('remediation_request') && tool.name !== 'remediation_undo') tool = tools.get('remediation_request')!
    if (tool.name === 'remediation_request' && hypothetical && tools.has('remediation_plan')) tool = tools.get('remediation_plan')!
    // "Did the restart of cart-service go through?", "who signed off on the rollback?": asking after an action, not for one.
    // "restart of pricing-service - verified yet?" names an action without asking for it.
    const asksForAction = ACTION_FIRST.test(spelled) && !/^\s*(?:the\s+)?\w+\s+(?:(?:status|state|progress)\s+)?(?:of|on|for)\b/i.test(part)
    if (REMEDIATION_TOOLS.has(tool.name) && !asksForAction && !hypothetical) {
      if (WHO_DECIDED.test(part) && tool.name !== 'audit_log' && tools.has('audit_log')) tool = tools.get('audit_log')!
      else if ((tool.name === 'audit_log' ? STILL_WAITING : ACTION_STATUS).test(part) && tools.has('remediation_status')) tool = tools.get('remediation_status')!
    }
    // "why is cart failing?": trouble now, asked about one service, is a root-cause analysis (not what its failure breaks).
    // "and why is it so slow", "what went wrong with X", "rca pls", "what's causing this": the cause of trouble is an RCA.
    const oneSubject = mentions.length === 1 || (mentions.length === 0 && tokens.some((token) => PRONOUNS.has(token)) && inView.some((ref) => /^(component|resource|api):/.test(ref)))
    // "search-indexer pods keep dying: what's causing it?": the cause asked for, not an action on the pods.
    const causeOverAction = CAUSE_ASKED.test(part) && (tool.name === 'remediation_request' || tool.name === 'remediation_plan') && !ACTION_FIRST.test(spelled)
    if ((WHY_TROUBLE.test(part) || (/^\s*(?:and\s+|also\s+|but\s+)?why\b/i.test(part) && TROUBLE.test(part)) || CAUSE_ASKED.test(part)) && oneSubject && (!REMEDIATION_TOOLS.has(tool.name) || causeOverAction) && tools.has('rca_analyze')) tool = tools.get('rca_analyze')!
    // What the signals words say outright outweighs a near match of other words.
    const signalsTool = refineSignalsTool(tool.name, spelled, mentions.length > 0 || oneSubject)
    if (signalsTool && tools.has(signalsTool)) tool = tools.get(signalsTool)!
    // "is payments-api down?": its state now is whether it has an open incident.
    if (STATE_NOW.test(part) && mentions.length === 1 && tools.has('incidents_list')) tool = tools.get('incidents_list')!
    // "Kindly run the Backstage import against https://…", "…, bring over everything": a request to import; "what came
    // across from backstage?" asks what an import did.
    const aboutMigration = tool.name === 'migration_report' || tool.name === 'migration_import_backstage' || (tool.name === 'catalog_query' && /\bbackstage\b/i.test(message) && MIGRATION_DONE.test(spelled))
    if (aboutMigration && tools.has('migration_import_backstage') && tools.has('migration_report')) {
      const requested = spelled.split(/[,;:.]\s+/).some((piece) => MIGRATION_REQUEST.test(piece))
      tool = tools.get(requested && !MIGRATION_DONE.test(spelled) ? 'migration_import_backstage' : MIGRATION_DONE.test(spelled) ? 'migration_report' : tool.name)!
    }
    // "how do I restart cart-service?" asks how, and is never the action itself.
    // "how do I deploy cart-service?" asks how, not what the timeline shows.
    if (HOW_TO_ANYWHERE.test(part) && ['remediation_request', 'remediation_plan', 'remediation_undo', 'signals_timeline', 'incidents_list', 'anomalies_list'].includes(tool.name) && tools.has('search')) tool = tools.get('search')!
    if (hasDocs && (mentions.length > 0 || tokens.some((token) => PRONOUNS.has(token))) && tools.has('docs_get')) tool = tools.get('docs_get')!
    // "search the docs for voucher codes": a search, even when its words name an entity.
    if (tool.name === 'docs_get' && /^\s*(?:please\s+)?(?:search|find|look for)\b/i.test(part) && tools.has('search')) tool = tools.get('search')!
    // "could you search the docs for our TLS renewal procedure?": a request to search the docs is a search, whatever it is about.
    if (SEARCH_THE_DOCS.test(part) && tools.has('search')) tool = tools.get('search')!
    // Text in quotes is something to search for, not an entity to describe.
    if (quoted && filters.text !== undefined && tool.name !== 'search' && tools.has('catalog_query')) tool = tools.get('catalog_query')!
    // Lists narrowed by attributes are catalog queries, also when they name a team or a system.
    const listish = ['catalog_query', 'graph_owned_by', 'graph_parts', 'graph_dependencies', 'catalog_get_entity'].includes(tool.name)
    if (listish && !quoted) {
      if (filters.owner !== undefined && hasAttributeFilter(filters) && tools.has('catalog_query')) tool = tools.get('catalog_query')!
      else if (filters.owner !== undefined && tool.name === 'catalog_query' && tools.has('graph_owned_by')) tool = tools.get('graph_owned_by')!
      else if (filters.system !== undefined && (filters.kind !== undefined || hasAttributeFilter(filters)) && tool.name !== 'catalog_get_entity' && tools.has('catalog_query')) tool = tools.get('catalog_query')!
      else if (filters.system !== undefined && tool.name === 'catalog_query' && tools.has('graph_parts')) tool = tools.get('graph_parts')!
    }
    // "list team-search's components": a team and a plural kind is what the team owns, not the team itself.
    if (tool.name === 'catalog_get_entity' && filters.owner !== undefined && PLURAL_KINDS.test(outside.join(' ')) && tools.has('graph_owned_by')) tool = tools.get('graph_owned_by')!
    // "which resources does warehouse-service use": a kind word, but the question is about one service.
    // "what kind of resource is search-indexing-queue?": the kind word asks what the one entity named is.
    if (['catalog_query', 'graph_dependencies', 'graph_dependents'].includes(tool.name) && WHAT_KIND.test(part) && mentions.length === 1 && filters.owner === undefined && filters.system === undefined && tools.has('catalog_get_entity')) tool = tools.get('catalog_get_entity')!
    // "…and is it actually live yet or still experimental?": a lifecycle asked of the thing in view is about that thing.
    if (tool.name === 'catalog_query' && mentions.length === 0 && /^\s*(?:and\s+)?(?:is|was|are)\s+(?:it|that|this|they)\b/i.test(part) && inView.length > 0 && tools.has('catalog_get_entity')) tool = tools.get('catalog_get_entity')!
    if (tool.name === 'catalog_query' && !quoted && filters.owner === undefined && filters.system === undefined && mentions.length > 0) {
      const next = ranked.find((candidate) => candidate.tool !== 'catalog_query' && candidate.score >= MIN_INTENT_SCORE)
      if (next) {
        tool = tools.get(next.tool)!
        top = next
      } else if (/^\s*(?:is|are|was)\b/i.test(part) && tools.has('catalog_get_entity')) tool = tools.get('catalog_get_entity')! // "is legacy-cart-api deprecated?": its description answers
      // "what language is rate-limiter written in?": nothing to filter a list by, so the question is about the one entity named.
      else if (Object.values(filters).every((value) => value === undefined) && mentions.length === 1 && tools.has('catalog_get_entity')) tool = tools.get('catalog_get_entity')!
    }

    // "Joined the inc-8-3 bridge late. What happened?": what happened is the incident the message named.
    if (incidentOfContext && /\bwhat\s+(?:happened|went on|went wrong)\b|\b(?:which|what)\s+alerts?\b|\balerts?\s+(?:fired|went off|triggered)\b/i.test(part) && ['signals_timeline', 'incidents_list', 'catalog_get_entity'].includes(tool.name) && tools.has('incident_get')) tool = tools.get('incident_get')!
    if (COST_TOOLS.has(tool.name)) {
      // A scope, a window and a grouping rather than one entity: "what did team payments spend on compute last week".
      const previousCost = [...calls].reverse().find((call) => COST_TOOLS.has(call.toolName))
      const call = { toolName: tool.name, input: costInput(tool.name, { text: part, mentions, index, now, previous: previousCost?.input }) }
      calls.push(call)
      previousCall = call
      lastRefs = [...refsOf(call.input), ...lastRefs]
      continue
    }
    // "…every service, API and datastore that moves with them": an unfiltered list about the team (or system) in view is what it holds.
    const heldBy = tool.name === 'catalog_query' && mentions.length === 0 && tokens.some((token) => PRONOUNS.has(token)) && Object.values(filters).every((value) => value === undefined) ? inView[0] : undefined
    if (heldBy?.startsWith('group:') && tools.has('graph_owned_by')) {
      addCall(calls, { toolName: 'graph_owned_by', input: { group: heldBy } })
      continue
    }
    if (heldBy && /^(system|domain):/.test(heldBy) && tools.has('graph_parts')) {
      addCall(calls, { toolName: 'graph_parts', input: { ref: heldBy } })
      continue
    }
    // "we need something that does address validation, does that exist?": the whole catalog unfiltered answers no search.
    if (tool.name === 'catalog_query' && findsSomething && Object.values(filters).every((value) => value === undefined) && tools.has('search')) tool = tools.get('search')!
    const inputs: Array<Record<string, unknown>> = []
    if (tool.name === 'catalog_query') inputs.push(Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)))
    // Search takes the words as they were asked; it ranks names, text and meaning itself.
    else if (tool.name === 'search') inputs.push({ query: searchQuery(part) })
    else if (isSignalsTool(tool.name) && (ENTITY_SLOTS[tool.name]!.length === 0 || (tool.name === 'rca_analyze' && (INCIDENT_ID.test(part) || incidentOfContext)))) {
      // Incidents, anomalies and risk need no entity; an RCA of a named incident needs none either.
      // "pricing-service p99 through the roof - what changed on it and are there open incidents?": the one thing this
      // message is about, when the clause names nothing and does not widen ("anywhere", "overall").
      const calledAbout = [...new Set([...calls.flatMap((call) => refsOf(call.input)), ...contextRefs])]
      const messageSubject = mentions.length === 0 && calledAbout.length === 1 && /^(component|resource|api):/.test(calledAbout[0]!) && !/\b(?:anywhere|overall|at all|in general|across|everywhere|else|other|platform|org)\b/i.test(part) ? calledAbout[0] : undefined
      const subject = tokens.some((token) => PRONOUNS.has(token)) ? inView.find((ref) => /^(component|resource|api):/.test(ref)) : messageSubject
      // "Joined the inc-8-3 bridge late. What happened and what was the root cause?": the incident of the context.
      const aboutIncident = (tool.name === 'incident_get' || tool.name === 'rca_analyze') && incidentOfContext
      const input = signalArguments(tool.name, { text: aboutIncident ? `${part} ${incident}` : part, tokens, mentions, index, now, subject })
      if (tool.name === 'incident_get' && input.id === undefined) {
        firstProblem ??= reply('Which incident do you mean? Name its id, e.g. "show incident inc-8-3", or ask "any open incidents?".')
        continue
      }
      // "any incidents on payments?": a name that fits several entities is asked back, not dropped for all incidents.
      const unclear = input.ref === undefined && input.entity === undefined && input.incidentId === undefined ? mentions.map((mention) => ({ mention, resolved: resolveMention(mention, { preferKinds: ['component', 'resource', 'api'] }, index) })).find(({ resolved }) => resolved && 'ambiguous' in resolved) : undefined
      if (unclear && unclear.resolved && 'ambiguous' in unclear.resolved) {
        firstProblem ??= reply(`"${unclear.mention.text}" could mean ${unclear.resolved.ambiguous.join(', ')}. Which one do you mean?`, unclear.resolved.ambiguous)
        continue
      }
      inputs.push({ ...input, ...numberArguments(tool, part) })
      // "any incidents on the refunds db or the payment webhooks queue?": one call for each name in a list.
      const slot = input.entity !== undefined ? 'entity' : input.ref !== undefined && !('incidentId' in input) ? 'ref' : undefined
      if (slot) for (const ref of listedRefs(mentions, tokens, index)) if (ref !== input[slot]) inputs.push({ ...input, [slot]: ref })
    } else {
      const filled = fillSlots(tool, { mentions, tokens, lastRefs: inView, index })
      if ('problem' in filled) {
        // "Which APIs are gRPC?": no entity, but filters — a catalog query.
        if (filled.problem === 'missing' && mentions.length === 0 && (filters.kind !== undefined || hasAttributeFilter(filters)) && tools.has('catalog_query')) {
          addCall(calls, { toolName: 'catalog_query', input: Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) })
          continue
        }
        // "How do I deploy?": a how-to about no entity in particular is answered from the docs.
        // "How do I run the storefront locally?": a how-to is answered from the docs, also when a name in it is ambiguous.
        if ((filled.problem === 'ambiguous' || (mentions.length === 0 && !tokens.some((token) => PRONOUNS.has(token)))) && HOW_TO.test(part) && tools.has('search')) {
          addCall(calls, { toolName: 'search', input: { query: searchQuery(part) } })
          continue
        }
        // "any certificates about to expire that could cause an outage?": nothing named, so the best tool that needs no entity.
        // One incident needs its id, which this clause does not have (a named one was settled above).
        const entityFree = filled.problem === 'missing' && mentions.length === 0 && !tokens.some((token) => PRONOUNS.has(token)) ? ranked.find((candidate) => candidate.tool !== tool.name && candidate.tool !== 'incident_get' && candidate.score >= MIN_INTENT_SCORE && candidate.score >= top!.score * 0.5 && needsNoEntity(candidate.tool, tools)) : undefined
        if (entityFree && !isSignalsTool(entityFree.tool)) {
          // "undo apr_…, the scale-down made it worse": its choices (a request id) come from the clause as for any tool.
          const options = optionArguments(tools.get(entityFree.tool)!, tokens, { text: part, refs: [], message, earlierRequestId: context.previousRequestId })
          if ('missing' in options) firstProblem ??= reply(options.missing)
          else addCall(calls, { toolName: entityFree.tool, input: options.values })
          continue
        }
        if (entityFree) {
          addCall(calls, { toolName: entityFree.tool, input: signalArguments(entityFree.tool, { text: part, tokens, mentions, index, now }) })
          continue
        }
        if (filled.problem === 'ambiguous') firstProblem ??= reply(filled.text, filled.citations)
        else firstProblem ??= notFound(part, mentions, dictionary, index, tool)
        continue
      }
      // Several entities for a one-entity tool: one call each ("who owns payments-db and ledger-db?").
      inputs.push(filled.input, ...filled.extra)
      if (isSignalsTool(tool.name)) for (const input of inputs) Object.assign(input, signalArguments(tool.name, { text: part, tokens, mentions: [], index, now }))
      // Choices the tool needs besides entities ("restart" or "scale", "to 6").
      const refs = mentions.flatMap((mention) => {
        const resolved = resolveMention(mention, { onlyKinds: ['component'], preferKinds: ['component'] }, index)
        return resolved && 'ref' in resolved ? [resolved.ref] : []
      })
      const options = optionArguments(tool, tokens, { text: part, refs: refs.length > 0 ? refs : [...contextRefs, ...(tokens.some((token) => PRONOUNS.has(token)) ? inView : [])].filter((ref) => ref.startsWith('component:')), message, earlierRequestId: mentions.length === 0 ? context.previousRequestId : undefined, earlierUrl: mentions.length === 0 ? context.previousUrl : undefined })
      // "which templates came over from Backstage?": a question, not a request, so a read that needs nothing more answers it.
      const reader = 'missing' in options && /^\s*(?:what|which|how|did|was|were|when|who|is|are)\b/i.test(part) ? ranked.find((candidate) => candidate.tool !== tool.name && candidate.score >= MIN_INTENT_SCORE && candidate.score >= top!.score * 0.5 && !isSignalsTool(candidate.tool) && needsNoEntity(candidate.tool, tools) && tools.get(candidate.tool)!.annotations.readOnlyHint) : undefined
      if (reader) {
        addCall(calls, { toolName: reader.tool, input: {} })
        continue
      }
      if ('missing' in options) {
        firstProblem ??= reply(options.missing)
        continue
      }
      for (const input of inputs) Object.assign(input, options.values)
      // "status of apr_1 and apr_2?": one call for each request named.
      const requestIds = [...new Set(part.match(/\bapr_[a-z0-9]{6,}\b/gi)?.map((id) => id.toLowerCase()) ?? [])]
      if (typeof options.values.requestId === 'string' && requestIds.length > 1 && inputs.length === 1) inputs.splice(0, 1, ...requestIds.map((requestId) => ({ ...inputs[0], requestId })))
    }
    for (const input of inputs) {
      let call: PlannedCall = { toolName: tool.name, input }
      const rerouted = reroute(call.toolName, call.input, tokens.some((token) => canonicalWord(token) === 'own'))
      if (rerouted && tools.has(rerouted.toolName)) call = rerouted
      // "who works on search-service?": people asked about a thing are its owners, members included.
      if (call.toolName === 'catalog_get_entity' && /^\s*whom?\b/i.test(askedAfterContext(part) ?? part) && /^(component|resource|api|system|domain):/.test(String(call.input.ref)) && tools.has('catalog_who_owns')) call = { toolName: 'catalog_who_owns', input: { ref: call.input.ref } }
      // "enumerate the members of the Fulfillment system": what a system or domain is made of are its parts.
      if (call.toolName === 'catalog_get_entity' && /^(system|domain):/.test(String(call.input.ref)) && CONTENTS.test(part) && tools.has('graph_parts')) call = { toolName: 'graph_parts', input: { ref: call.input.ref } }
      // "what services does team-checkout run": a team and a plural kind is what the team owns.
      const group = call.input.ref as string | undefined
      if (call.toolName === 'catalog_get_entity' && group?.startsWith('group:') && PLURAL_KINDS.test(outside.join(' ')) && tools.has('graph_owned_by')) call = { toolName: 'graph_owned_by', input: { group } }
      // "the local development section of cart-service's docs": one section.
      const section = call.toolName === 'docs_get' ? /\bthe\s+(["'“]?)([a-z][a-z0-9 &-]{2,60}?)\1\s+section\b/i.exec(part)?.[2] : undefined
      if (section) call.input.section = section
      if (call.toolName === 'graph_owned_by' && typeof filters.kind === 'string' && filters.kind !== 'group' && filters.kind !== 'user') call.input.kind = filters.kind
      if (call.toolName === 'graph_dependencies' || call.toolName === 'graph_dependents') {
        const depth = depthFrom(tokens)
        if (depth !== undefined) call.input.depth = depth
      }
      addCall(calls, call)
      previousCall = call
      lastRefs = [...refsOf(call.input), ...lastRefs]
    }
  }
  // "Dry run: scale the search service … want to see blast radius": a plan shows what its action reaches; a list of
  // dependents beside it says the same again, unless dependents were asked for by name.
  const planned = new Set(calls.filter((call) => call.toolName === 'remediation_plan').map((call) => call.input.entity))
  const unasked = (call: PlannedCall) => call.toolName === 'graph_dependents' && planned.has(call.input.ref) && !/\bdepend/i.test(message)
  if (calls.some(unasked)) calls.splice(0, calls.length, ...calls.filter((call) => !unasked(call)))
  if (calls.length > 0) return { type: 'calls', calls }
  if (firstProblem) return firstProblem
  return reply(`I'm not sure what you're asking. I can answer:\n${capabilities(tools)}`)
}

/** The text with each misspelt word replaced by its correction, punctuation kept. */
function respell(text: string, typed: string[], corrected: string[]): string {
  return typed.reduce((current, word, position) => (corrected[position] !== word && /^[a-z]+$/.test(word) ? current.replace(new RegExp(`\\b${word}\\b`, 'i'), corrected[position]!) : current), text)
}

/** The clause without the request around it: "search the docs for kafka lag" → "kafka lag". */
function searchQuery(part: string): string {
  const stripped = part
    .replace(/^\s*(?:and|also|plus)\s+/i, '')
    .replace(/^\s*(?:please\s+)?(?:can you\s+|could you\s+|would you\s+)?(?:please\s+)?(?:search|look|find|show me|show)\s+(?:(?:in|through)\s+)?(?:the\s+)?(?:docs|documentation|catalog)?\s*(?:for|about|on)?\s*:?\s*/i, '')
    .replace(/^\s*(?:search\s+)?docs\s*:\s*/i, '')
    .trim()
  return stripped.length > 0 ? stripped : part.trim()
}

/** Asking for the cause of trouble in words other than "why": "what went wrong with X", "rca pls", "the likely cause". */
const CAUSE_ASKED = /\b(?:tell (?:me|us) why(?=[^?]*\b(?:fail\w*|dy(?:ing|es)|die|crash\w*|slow\w*|down|errors?|broke\w*|falling|fell|timing out)\b)|rca|root[- ]?causes?|what went wrong|what(?:['’]s| is) broken\b|what(?:['’]s| is| was) (?:causing|behind|driving)|(?:likely|probable|possible) causes?|caus(?:e|es|ing) (?:this|it|that)|(?:slowness|latency|errors?|failures?|timeouts?)\b.*\bcoming from)\b/i

/** Words of a clause that only names kinds ("all svcs", "dbs queues apis"). */
const KIND_FRAGMENT = new Set(['all', 'every', 'any', 'the', 'and', 'or', 'of', 'them', 'service', 'services', 'apis', 'api', 'databases', 'database', 'db', 'queues', 'queue', 'caches', 'cache', 'resources', 'components', 'systems', 'teams', 'please', 'pls', 'too', 'also', 'only', 'etc', 'a', 'an', 'lib', 'libs', 'library', 'libraries', 'running', 'website', 'app', 'just'])

/** Asking what the portal can do ("what else can you do", "can you do rollbacks?", "are you able to scale things?"). */
const CAPABILITY = /\b(?:can|could) (?:you|u|the portal|the bot|it) do anything (?:to|about)\b|\bwhat (?:else |other \w+ |kinds? of \w+ |sorts? of \w+ )?(?:can|could) (?:you|u|the portal|the bot|the assistant|this(?: thing)?|it) (?:\w+ )?(?:do|help with|handle|run|fix|repair)\b|^\s*(?:(?:so|and|also)\s+)?(?:can|could) (?:you|u|the portal) (?:do|perform|handle|run) (?:any\s+)?(?:restarts|rollbacks|reboots|scal\w+|remediations?|fixes|actions|playbooks|things)\b|\b(?:are|r) (?:you|u) able to (?:do|run) (?:restarts|rollbacks|remediations?|fixes|actions)\b|\b(?:actions|fixes|remediations)\s+(?:is|are)\s+(?:the portal|you|it)\s+able to\s+(?:take|do|run)\b/i

/** Asking what a whole is made of: its members, contents or parts (not what it is "part of"). */
const CONTENTS = /\b(?:members?|contents?|parts|pieces|components|constituents|made (?:up )?of|consists? of|comprises?|what(?:['’]?s| is| are) (?:in|inside)|inside)\b/i
/** A request to bring a Backstage catalog over, in the imperative. */
const MIGRATION_REQUEST = /^\s*(?:(?:please|pls|kindly|can you|could you|would you|go ahead and|let'?s|i'?d like to|i want to|we need to|i need to|time to)\s+)*(?:import|migrate|bring|move|pull|copy|sync|run (?:the |a |an )?(?:backstage |catalog )?(?:import|migration)|(?:a |an )?(?:one-shot |full |complete )?(?:import|migration|move) (?:of|from)\b)/i
/** Asking what an import did: past tense, or counting what arrived. */
const MIGRATION_DONE = /\b(?:what|which|how many|did|was|were)\b[^?]*\b(?:did|came|come|brought|imported|migrated|arrived|got|made it|carried)\b|\bhow many\b|\b(?:outcome|results?|summary|summari[sz]e)\b/i
/** How an action went: "verified", "done", "did it work". */
/** "still pending or did it fail?", "check whether the restart actually verified": how an action named went. */
const OUTCOME_ASKED = /\b(?:whether|if)\b[^?]*\b(?:verified|done|finished|complete[ds]?|succeed(?:ed)?|work(?:ed)?|fail(?:ed)?|go(?:ne)? through|went through|land(?:ed)?)\b|\bstill (?:pending|waiting)\b|\bdid (?:it|that|this|they) (?:fail|work|succeed|finish|go through|land)\b/i
const RESULT_ASKED = /\b(?:verified|verify|done|finished|complete[ds]?|succeed(?:ed)?|work(?:ed)?|fail(?:ed)?|go(?:ne)? through|went through|pass(?:ed)?|land(?:ed)?)\b/i
/** Asking what was run or approved, across the board. */
const WHAT_RAN = /\bwhat\s+(?:got|was|were|has been|have been)\s+(?:executed|run|approved|carried out)\b|\b(?:every|each|all(?: the)?)\s+approvals?\b|\b(?:record|trail|history|log) of (?:(?:all |the )?approvals?|(?:approval )?decisions|actions|remediations)\b|\bapproval decisions\b/i
/** Who approved an action (not who runs a service). */
const WHO_APPROVED = /\bwho\b[^?]*\b(?:approved|said yes|signed off|okayed|ok'?d|gave the (?:ok|okay|go-ahead|green light)|green-?lit|authori[sz]ed|denied|rejected)\b/i
/** Undoing what a request did. */
const UNDO_WORDS = /\b(?:undo|revert|reverse|roll\s*(?:it\s+|that\s+|this\s+)?back|rollback|put\b[^?.]*\bback)\b/i
/** Words of the future: a prediction is asked in them ("likely to fail", "gonna turn into an outage", "at risk"). */
const FUTURE = /\b(?:predict\w*|forecast\w*|risk\w*|trend\w*|heading|towards|likel(?:y|ihood)|chances?|odds|soon|upcoming|coming|next|will|gonna|going to|about to|tonight|tomorrow)\b/i
/** Asking for a prediction outright. */
const PREDICTION_ASKED = /\b(?:predict\w*|forecast\w*|at risk|risky|worried about)\b|\b(?:chances?|odds|likel(?:y|ihood))\b[^?]*\b(?:go(?:es)? down|fail\w*|outage|incidents?|break\w*)\b|\bgonna\s+(?:turn into|cause|become)\b/i
const ANOMALY_WORDS = /\b(?:anomal\w*|unusual|abnormal\w*|outliers?|odd|weird|strange)\b/i
const DEPLOY_HISTORY = /\b(?:deploy(?:ment)?s?|releases?|config(?:uration)? changes?)\s+(?:history|log|timeline)\b|\bwhat(?:['’]s|\s+(?:is|was|got|has been|have been))\s+(?:been\s+)?(?:deployed|released|changed)\b/i

/**
 * A tool a clause names outright, however few of its words match an example: undoing a named request, a prediction
 * ("is X at risk of falling over?"), who approved an action, how an action went ("did the scale up of checkout-api
 * get verified?", "we scaled X down this morning. has that run finished?"), the playbooks themselves ("which
 * playbooks need approval?"), or what was run ("what got executed after approval").
 */
/** The playbooks by name ("restart/scale/rollback", "roll things back"): naming two asks which there are. */
const PLAYBOOK_NAMES = /\b(?:restarts?|scal(?:e|ing)|rollbacks?|roll\s+(?:\w+\s+)?back)\b/gi

function spelledOutTool(text: string, { asked, message, mentions, actionInContext, earlierRequest }: { asked?: string; message: string; mentions: number; actionInContext: boolean; earlierRequest: boolean }): string | undefined {
  // "revert apr_…", "the scale-down (apr_…) made it worse. Please reverse it.", "ok revert it" after an answer about
  // one request: undoing that request.
  if ((/\bapr_[a-z0-9]{6,}\b/i.test(message) || earlierRequest) && UNDO_WORDS.test(text)) return 'remediation_undo'
  // "is the billing service at risk of falling over?", "what's the chance X goes down": a prediction.
  if (PREDICTION_ASKED.test(text)) return 'incidents_predict'
  // "who said yes to the restart of the mobile bff": who decided is in the audit log, whatever was named.
  if (WHO_APPROVED.test(text)) return 'audit_log'
  if (ACTION_FIRST.test(text)) return undefined
  if ((ACTION_NAMED.test(text) || actionInContext) && ((RESULT_ASKED.test(text) && /^\s*(?:and\s+)?(?:did|has|have|is|was|were)\b/i.test(asked ?? text)) || OUTCOME_ASKED.test(text))) return 'remediation_status'
  // "which automated remediation actions exist and how each is undone", "can u roll things back or only restart?": the playbooks.
  const namesPlaybooks = (text.match(PLAYBOOK_NAMES) ?? []).length >= 2
  if (/^\s*(?:can|could)\s+(?:you|u|the portal|it)\b/i.test(text) && /\bor\b/i.test(text) && namesPlaybooks) return 'remediation_playbooks'
  if (/\b(?:which|what)\s+(?:\w+\s+){0,3}?(?:actions|remediations|playbooks|fixes|options)\s+(?:exist|are there|are available|(?:can|could) (?:you|it|the portal) (?:run|do))\b/i.test(text)) return 'remediation_playbooks'
  // "is there a playbook for flushing a cache, or only restart/scale/rollback?": the playbooks there are, by name.
  if (/\bplaybooks?\b/i.test(text) && namesPlaybooks) return 'remediation_playbooks'
  if (mentions > 0) return undefined
  if (/\bplaybooks\b/i.test(text)) return 'remediation_playbooks'
  if (WHAT_RAN.test(text)) return 'audit_log'
  return undefined
}

/**
 * The signals tool the words call for: a prediction needs words of the future, anomalies are asked by name, a
 * deploy history is a timeline, and incidents asked about outright are the incident list.
 */
function refineSignalsTool(chosen: string, text: string, aboutOne: boolean): string | undefined {
  if (chosen === 'incidents_predict' && !FUTURE.test(text)) return /\b(?:incidents?|outages?)\b/i.test(text) ? 'incidents_list' : undefined
  // "incidents on shipping-service yesterday?": incidents asked for by name.
  if (chosen === 'signals_timeline' && /^\s*(?:any\s+)?incidents?\b/i.test(text)) return 'incidents_list'
  if ((chosen === 'signals_timeline' || (chosen === 'incidents_list' && !/\bincidents?\b/i.test(text))) && ANOMALY_WORDS.test(text) && !DEPLOY_HISTORY.test(text)) return 'anomalies_list'
  if (aboutOne && DEPLOY_HISTORY.test(text) && ['incidents_list', 'catalog_get_entity', 'anomalies_list', 'audit_log'].includes(chosen)) return 'signals_timeline'
  if ((chosen === 'docs_get' || chosen === 'catalog_get_entity') && /\bincidents\b/i.test(text) && !DOCS_WORDS.test(text)) return 'incidents_list'
  return undefined
}

/** Words of trouble: a "why" with one of them asks for a root cause ("why was there an outage of cart-service yesterday"). */
const TROUBLE = /\b(?:down|outages?|fail\w*|broke\w*|break(?:s|ing)?|crash\w*|slow\w*|errors?|erroring|timing out|time ?outs?|latency|degraded|flaky|flapping|unhealthy|5\d\ds?|incidents?)\b/i
/** "is payments-api down?", "are the orders-db ok right now": the state of one thing now. */
const STATE_NOW = /^\s*(?:is|are)\s+(?:the\s+)?[\w.-]+(?:\s+(?:service|svc|api|app|db|database|pods?))?\s+(?:down|up|broken|healthy|ok|okay|fine|working|degraded|having (?:issues|problems))(?:\s+(?:right now|now|rn|atm|at the moment|today))?\s*[?!.]*\s*$/i
const WHY_TROUBLE = /^\s*why\s+(?:is|are)\s+(?:the\s+)?[\w.-]+(?:\s+(?:service|api|app|pods?))?\s+(?:failing|down|broken|erroring|crashing|unhealthy|flapping|timing out)\s*[?!.]*\s*$/i
/** "zaphod.beeblebrox": a user name as the catalog writes them (not "node.js"). */
const USER_NAME = /^[a-z]{3,}(?:\.[a-z]{3,})+$/i
const HYPOTHETICAL = /\b(?:would|what if|happens? if|dry[- ]?run|simulate|preview|involves?|entails?|without (?:running|executing|doing|applying|actually)|(?:is|are) (?:a |an |the )?\w+(?:\s+of\s+[\w.-]+)? allowed|the plan for)\b/i
/** "don't run it", "do not execute", "without running anything": a clause that holds an action back. */
const NOT_NOW = /^\s*(?:but\s+|and\s+)?(?:(?:please\s+)?(?:don'?t|dont|do not|never)\s+(?:actually\s+)?(?:run|execute|do|apply|touch|change)\b|without\s+(?:running|executing|doing|applying|changing)\b|(?:just\s+)?(?:a\s+)?dry[- ]?run\s*(?:only|please)?\s*[!.]*$|no (?:changes|action|actions|execution)\b|(?:just|only)\s+(?:the|a)\s+plan\b|plan only\b|nothing\s+(?:should|must|may|will|is to)\s+(?:be\s+)?(?:run|executed|applied|changed|touched)\b|(?:should|must)\s+not\s+be\s+(?:run|executed|applied)\b)/i
/** The same, also after a comma ("just show me, don't execute anything"): the whole question is hypothetical. */
const NOT_NOW_ANYWHERE = /(?:^|[,;]\s*)\s*(?:but\s+|and\s+)?(?:(?:please\s+)?(?:don'?t|dont|do not|never)\s+(?:actually\s+)?(?:run|execute|do|apply|touch|change)\b|without\s+(?:running|executing|doing|applying|changing)\b|(?:just\s+)?(?:a\s+)?dry[- ]?run\s*(?:only|please)?\s*[!.]*$|no (?:changes|action|actions|execution)\b|(?:just|only)\s+(?:the|a)\s+plan\b|plan only\b|nothing\s+(?:should|must|may|will|is to)\s+(?:be\s+)?(?:run|executed|applied|changed|touched)\b|(?:should|must)\s+not\s+be\s+(?:run|executed|applied)\b)/i
/** An action on a service named as a thing ("a rollback on X", "restarting X"), not asked for. */
const ACTION_NAMED = /\b(?:restart(?:ing|s|ed)?|reboot(?:ing|s|ed)?|bounc(?:e|ing|ed)|roll(?:ing)?[- ]?backs?|rolled (?:it |\w+ )?back|revert(?:ing|ed)?|scal(?:e|ing|ed)(?:[- ](?:up|down|out))?)\b/i
/** Why someone asks, said after the question ("…? want to chat about pick lists"): context, not another question. */
const REASON_FOR_ASKING = /^\s*(?:(?:(?:i|we)(?:'d| would)?\s+)?(?:want|wanna|need|hoping|trying|would like|plan(?:ning)?|going)\s+to\s+(?:chat|talk|ask|discuss|sync|understand|learn|know|figure out|check in|reach out|get in touch)\b|(?:(?:i'?m|we'?re)\s+)?(?:trying|hoping|aiming)\s+to\b|(?:(?:i|we)\s+)?need\s+(?:it|this|that|these|those|them|the \w+)\s+for\b)/i
const ACTION_FIRST = /^\s*(?:(?:please|pls|kindly|go ahead and|let'?s|can you|could you|would you|i'?d like to|i would like to|i want to|we need to|i need to)\s+)*(?:(?:initiate|trigger|kick off|issue|perform|start|run|do|arrange|request|schedule|queue)\s+(?:a|an|the)\s+(?:rolling\s+)?)?(?:restart|reboot|bounce|roll\s*(?:it\s+|that\s+|them\s+)?back|rollback|revert|scale)\b/i
/** "search docs for…", "could you look through the runbooks for…": a search of the documents asked for by name. */
const SEARCH_THE_DOCS = /^\s*(?:(?:please|pls|kindly|can you|could you|would you)\s+)*(?:search|grep|look (?:through|in)|dig through)\s+(?:in\s+|through\s+)?(?:the\s+|our\s+)?(?:catalog\s+(?:and|&|\+)\s+(?:the\s+)?)?(?:docs|documentation|runbooks?|wiki|techdocs|guides)\b/i
const HOW_TO = /^\s*(?:and\s+)?(?:how\s+(?:do|can|should|would)\s+(?:i|we|you|one)\b|how\s+to\b|what(?:'s| is) the (?:process|procedure|way) (?:to|for)\b)/i
/** Asking where something is or whether it exists, at the start of the question or after a bit of context ("got a 429, where are the rate limit docs?"). */
const AFTER_CONTEXT = '(?:^|[,;:]\\s*|\\s[-–—]\\s+)'
const HOW_TO_ANYWHERE = new RegExp(`${AFTER_CONTEXT}(?:how\\s+(?:do|can|should|would)\\s+(?:i|we|you|one)\\b|how\\s+to\\b|what(?:'s| is) the (?:process|procedure|way) (?:to|for)\\b)`, 'i')
const DISCOVERY = /(?:^(?:and\s+|also\s+)?|[,;:]\s*|\s[-–—]\s+)(?:where\b|is there\b(?!\s+(?:a|an|any)\s+(?:\w+\s+)?(?:team|owner|owning|owners|someone|somebody|person|contact|group|squad|list)\b)|(?:does|do) (?:one|anything|something|any|such a thing|it|that)(?: like (?:that|this|it))? (?:already |actually |even )?exist\b|(?:is|are) (?:there )?any \w+ (?:available|around)\b|are there (?:any\s+)?(?:docs|documentation|guides?|runbooks?|services?|librar(?:y|ies)|tools?)\b|do we have (?:a|an|any|anything|something)\b|(?:anything|something)(?:\s+\w+){0,3}?\s+(?:about|on|for|that)\b|any (?:docs|documentation|guides?|runbooks?|info|information|how-?tos?)\b|(?:i'?m\s+)?looking for\b|i need (?:the |a |some )?(?:docs?|documentation|guide|runbook|service)\b|(?:search|docs?)\s*:|find me\b|\bcan'?t (?:find|locate)\b|(?:what|which)\s+(?:\w+\s+)?(?:do|should|can|would)\s+(?:i|we)\s+use\b|(?:what|which)\s+(?:\w+\s+){0,4}?(?:handles|takes care of|deals with|is in charge of|manages|is used for)\b|who\s+(?:knows|is (?:an |the )?expert|understands|has experience)\b|(?:has|have|did)\s+(?:anyone|anybody|someone|somebody)\s+(?:written|documented|put together)\b|which\s+(?:of\s+(?:our|the)\s+(?:services|components|apps)\s+(?:does|do)|(?:thing|things|one)\s+(?:actually\s+|really\s+)?(?:does|do)|(?:thing|things|one|service|services|component|components|app)\s+(?:actually\s+|really\s+)?(?:sends|handles|stores|keeps|processes)|(?:thing|one|service|component|app)\s+(?:actually\s+|really\s+)?does\b(?![^?]*\b(?:talk|call|use|depend|need|hit|rely|reach|own)s?\b))\b)|\b(?:documented|written (?:down|up))\s+(?:somewhere|anywhere)\b|\bwhat(?:['’]s| is| are)?\s+(?:the\s+|that\s+|this\s+)?(?:\w+\s+)?called\b/i
/** What a thing is for ("a library for feature toggles", "a service that sends SMS"), beyond its kind. */
/** "Something in our stack sends the shipping emails": a thing described, not named. */
const SOMETHING_UNNAMED = /^\s*(?:something|some (?:service|thing|component|job)|one of our \w+)\b/i
/** "which service?", "which one is it?", "where does it live?": asking to identify or find the one thing described. */
const WHICH_ONE = /^\s*(?:so\s+|and\s+|but\s+)?(?:which\s+(?:service|svc|component|api|app|system|one|thing|db|database|library|lib)\b(?:\s+(?:is|would|could|does|did|might)\s+(?:it|that|this)(?:\s+be)?)?|where\s+(?:does|do|is|are|would|can i find|could i find)\s+(?:it|that|this|they|those|one)(?:\s+(?:live|lives|sit|sits|be|kept|stored|hosted|found))?)\s*$/i
const PURPOSE = /\b(?:that|which|for|about)\s+(?!the\b|all\b|every\b)\w+/i
/** The remediation tools, and the audit log of their approvals. */
const REMEDIATION_TOOLS = new Set(['remediation_request', 'remediation_plan', 'remediation_undo', 'remediation_status', 'audit_log'])
/** Words of remediations, their approvals and their record. */
const REMEDIATION_WORDS = /\b(?:repair\w*|restart\w*|reboot\w*|bounc\w*|scal\w*|roll\w*|revert\w*|undo\w*|reverse|remediat\w*|requests?|approv\w*|apr_\w+|playbooks?|fix\w*|actions?|runs?|ran|denied|rejected|declined|signed off|audit\w*|decisions?|decided|kicked off|triggered|replicas?|pods?|instances?|capacity|deploy\w*|release)\b/i
/** Who decided or ran an action: the audit log. */
const WHO_DECIDED = /\bwho(?:m|'s)?\b[^?]*\b(?:approved|signed off|ran|run|denied|rejected|decided|triggered|requested|kicked off)\b|\bby whom\b/i
/** How an action is getting on. */
const ACTION_STATUS = /\bwhere(?:['’]?s| is| are) (?:my|our|the)\b|\b(?:get|got|gets|been|was|is|were) approved\b|\b(?:yet|still|go(?:ne)? through|went through|status|state|progress|where are we|done|finished|completed?|verified|succeeded|worked|running|(?:i|we) (?:asked|requested))\b/i
const STILL_WAITING = /\b(?:yet|still)\b/i
const ENGLISH_PREFIXES = new Set(['double', 'one', 'shot', 'opt', 'ins', 'outs', 'follow', 'ups', 'third', 'party', 'long', 'hand', 'trial', 'sub', 'co', 'non', 're', 'multi', 'pre', 'post', 'self', 'cross', 'teams', 'team', 'level', 'levels', 'first', 'second', 'top', 'ready', 'based', 'facing', 'critical', 'related', 'wide', 'grade', 'only', 'free', 'safe', 'friendly', 'heavy', 'bound', 'aware', 'end', 'up', 'out', 'in', 'off', 'time', 'real'])
/** Words of documents: a search for one of them is a search of the docs, whatever else the question names. */
const DOCS_WORDS = /\b(?:docs?|documentation|documented|runbooks?|playbooks? for|guides?|write-?ups?|written (?:up|down)|wiki|readme|how-?tos?|notes|procedures?|handbooks?|manuals?)\b/i
/** "what kind of resource is X", "what type of api is Y": what the entity is. */
const WHAT_KIND = /\b(?:what|which)\s+(?:kind|type|sort)s?\s+of\b/i
/** "how does admin-portal reach ledger-db", "how is team-data tied to orders-db". */
const HOW_ONE_REACHES_ANOTHER = /^\s*how\s+(?:on earth\s+|exactly\s+)?(?:does|do|did|is|are|can|could)\b/i
const STRONG_FOLLOW_UP = /^(?:and\s+)?(same (?:for|with)|what about|how about|and for|which of (?:those|them|these)|any of (?:those|them|these)|of (?:those|them)|only the|just the)\b/i
const FOLLOW_UP = /^(and\b|same\b|what about\b|how about\b|only\b|just\b|go\b|any of\b|which of\b|of those\b|what else\b|now\b|then\b|also\b)/i

function refsOf(input: Record<string, unknown>): string[] {
  return Object.values(input).filter((value): value is string => typeof value === 'string' && /^[a-z]+:[^/]+\//.test(value))
}

/** Adds a call; a second clause about the same tool and entities refines the first ("…? direct deps only"). */
function addCall(calls: PlannedCall[], call: PlannedCall): void {
  // What a call is about: its entities, and the request or incident it names.
  const target = (input: Record<string, unknown>) => JSON.stringify([refsOf(input), input.requestId, input.id, input.incidentId])
  // "is the data warehouse behaving normally? any anomalies": a second ask of the same tool that names nothing narrows the first.
  const namesNothing = target(call.input) === target({})
  const sameTarget = calls.find((existing) => existing.toolName === call.toolName && (target(existing.input) === target(call.input) || namesNothing))
  if (sameTarget) Object.assign(sameTarget.input, call.input)
  else calls.push(call)
}

function notFound(part: string, mentions: Mention[], dictionary: ReadonlySet<string>, index: CatalogIndex, tool: ToolDefinition): Plan {
  const unknown = unknownNames(part, mentions, dictionary)
  if (unknown.length > 0) {
    const suggestions = similarRefs(index, unknown[0]!.toLowerCase())
    return reply(`I couldn't find "${unknown[0]}" in the catalog${suggestions.length ? `. Did you mean ${suggestions.join(', ')}?` : '. Check the name, or search the catalog with a part of it.'}`, suggestions)
  }
  return reply(`Which entity do you mean? Name the service, API, resource, system or team, e.g. "${tool.examples?.[0] ?? tool.title}".`)
}

type Filled = { input: Record<string, unknown>; extra: Array<Record<string, unknown>> } | { problem: 'ambiguous'; text: string; citations: string[] } | { problem: 'missing' }

/**
 * Puts the entities a clause names into the tool's entity inputs, in order. "It" takes the entity the
 * conversation was about, in the position it was said ("how does it connect to ledger-db?").
 */
function fillSlots(tool: ToolDefinition, { mentions: said, tokens, lastRefs, index }: { mentions: Mention[]; tokens: string[]; lastRefs: string[]; index: CatalogIndex }): Filled {
  const slots = ENTITY_SLOTS[tool.name] ?? genericSlots(tool)
  // "config changes on payments-api": when full names fill every slot, a word that is only part of a name ("config") is just a word.
  const fullNames = said.filter((mention) => (mention.candidates[0]?.score ?? 0) >= 3)
  // "checkout conversion dropped and payments-api p99 is through the roof, why": a word that names several things
  // gives way to names that are clear, when those fill every slot.
  const clear = fullNames.filter((mention) => !('ambiguous' in (resolveMention(mention, slots[0] ?? {}, index) ?? {})))
  const mentions = slots.length > 0 && fullNames.length >= slots.length && fullNames.length < said.length ? fullNames : slots.length > 0 && clear.length >= slots.length && clear.length < said.length ? clear : said
  const pronounAt = tokens.findIndex((token) => PRONOUNS.has(token))
  const resolvedRefs: string[] = []
  const ordered: Array<{ position: number; ref?: string; mention?: Mention }> = mentions.map((mention) => ({ position: mention.start, mention }))
  const pronounSlot = slots[Math.min(mentions.filter((mention) => mention.start < pronounAt).length, slots.length - 1)]
  const pronounRef = lastRefs.find((ref) => !pronounSlot?.onlyKinds || pronounSlot.onlyKinds.includes(ref.slice(0, ref.indexOf(':')))) ?? lastRefs[0]
  if (pronounAt !== -1 && pronounRef && (mentions.length < slots.length || mentions.length === 0)) ordered.push({ position: pronounAt, ref: pronounRef })
  ordered.sort((left, right) => left.position - right.position)
  for (const [position, slot] of slots.entries()) {
    const item = ordered[position]
    if (!item) break
    if (item.ref) {
      resolvedRefs.push(item.ref)
      continue
    }
    // "path to the Data Warehouse, plus who owns the warehouse": part of a name is the entity already in view.
    const said = item.mention!.text.split(' ')
    const fits = (ref: string) => !slot.onlyKinds || slot.onlyKinds.includes(ref.slice(0, ref.indexOf(':')))
    const inView = (item.mention!.candidates[0]?.score ?? 0) < 3 ? lastRefs.find((ref) => fits(ref) && (item.mention!.candidates.some((candidate) => candidate.ref === ref) || said.every((word) => ref.slice(ref.lastIndexOf('/') + 1).split('-').includes(word)))) : undefined
    if (inView) {
      resolvedRefs.push(inView)
      continue
    }
    const resolved = resolveMention(item.mention!, slot, index)
    if (resolved && 'ambiguous' in resolved) return { problem: 'ambiguous', text: `"${item.mention!.text}" could mean ${resolved.ambiguous.join(', ')}. Which one do you mean?`, citations: resolved.ambiguous }
    if (!resolved) return { problem: 'missing' }
    resolvedRefs.push(resolved.ref)
  }
  // Nothing named at all: a follow-up about the entity of the previous turn.
  if (resolvedRefs.length < slots.length && mentions.length === 0) {
    for (const ref of lastRefs) if (resolvedRefs.length < slots.length && !resolvedRefs.includes(ref)) resolvedRefs.push(ref)
  }
  if (resolvedRefs.length < slots.length) return { problem: 'missing' }
  const input = Object.fromEntries(slots.map((slot, position) => [slot.slot, resolvedRefs[position]]))
  const extra: Array<Record<string, unknown>> = []
  if (slots.length === 1) {
    // Only names joined as a list ("payments-db and ledger-db") are several subjects; "does X rely on Y" is not.
    for (const [position, item] of ordered.entries()) {
      if (position === 0) continue
      const previous = ordered[position - 1]!
      const between = tokens.slice(previous.mention?.end ?? previous.position + 1, item.mention?.start ?? item.position)
      if (!between.every((word) => ['and', 'or', 'of', 'the', 'plus', 'also', 'for'].includes(word))) continue
      const resolved = item.ref ? { ref: item.ref } : resolveMention(item.mention!, slots[0]!, index)
      if (resolved && 'ref' in resolved && resolved.ref !== input[slots[0]!.slot]) extra.push({ [slots[0]!.slot]: resolved.ref })
    }
  }
  return { input, extra }
}

/** The services, resources and APIs named as a list ("X and Y", "X or the Y"), in order; none for a single name. */
function listedRefs(mentions: Mention[], tokens: string[], index: CatalogIndex): string[] {
  if (mentions.length < 2) return []
  const joined = mentions.slice(1).every((mention, position) => tokens.slice(mentions[position]!.end, mention.start).every((word) => ['and', 'or', 'the', 'plus', 'also', 'of', 'for', 'on'].includes(word)))
  if (!joined) return []
  return mentions.flatMap((mention) => {
    const resolved = resolveMention(mention, { onlyKinds: ['component', 'resource', 'api'], preferKinds: ['component', 'resource', 'api'] }, index)
    return resolved && 'ref' in resolved ? [resolved.ref] : []
  })
}

/** The previous call, changed by what a follow-up says: a new entity, a depth, or list filters. */
function followUpCall(previous: PlannedCall, { text, mentions, tokens, filters, index, tools, now }: { text: string; mentions: Mention[]; tokens: string[]; filters: Record<string, unknown>; index: CatalogIndex; tools: Map<string, ToolDefinition>; now: Date }): { call: PlannedCall; refines: boolean } | undefined {
  const tool = tools.get(previous.toolName)
  if (!tool) return undefined
  const depth = depthFrom(tokens)
  if (depth !== undefined && (previous.toolName === 'graph_dependencies' || previous.toolName === 'graph_dependents')) return { call: { toolName: previous.toolName, input: { ...previous.input, depth } }, refines: true }
  const owner = (previous.input.group ?? previous.input.owner) as string | undefined
  if (owner && mentions.length === 0 && (hasAttributeFilter(filters) || filters.kind !== undefined) && tools.has('catalog_query')) {
    const input: Record<string, unknown> = { owner }
    for (const [key, value] of Object.entries(filters)) if (value !== undefined && key !== 'owner') input[key] = value
    return { call: { toolName: 'catalog_query', input }, refines: true }
  }
  if (owner && mentions.length === 0 && previous.toolName !== 'catalog_query') return { call: { toolName: 'graph_owned_by', input: { group: owner } }, refines: true }
  // "any anomalies on checkout-api?" … "what about search-service?": the same signals question about the new entity.
  if (mentions.length > 0 && isSignalsTool(tool.name) && ENTITY_SLOTS[tool.name]?.length === 0 && tool.name !== 'incident_get') {
    const input = signalArguments(tool.name, { text, tokens, mentions, index, now })
    if (Object.keys(input).some((key) => key === 'ref' || key === 'entity')) return { call: { toolName: tool.name, input }, refines: false }
  }
  if (mentions.length > 0 && previous.toolName !== 'catalog_query') {
    const slots = ENTITY_SLOTS[tool.name] ?? genericSlots(tool)
    if (slots.length !== 1) return undefined
    const resolved = resolveMention(mentions[0]!, slots[0]!, index)
    if (!resolved || !('ref' in resolved)) return undefined
    const input = { ...previous.input, [slots[0]!.slot]: resolved.ref }
    return { call: reroute(tool.name, input) ?? { toolName: tool.name, input }, refines: false }
  }
  return undefined
}

/** A tool whose entity turned out to be of a kind it does not take hands over to the tool that does. */
function reroute(toolName: string, input: Record<string, unknown>, asksOwner = false): PlannedCall | undefined {
  const ref = (input.ref ?? input.group) as string | undefined
  if (!ref) return undefined
  const kind = ref.slice(0, ref.indexOf(':'))
  // "who is on the payments team?", "who is Yara?": people and teams are described, not owned.
  if (toolName === 'catalog_who_owns' && (kind === 'group' || kind === 'user')) return { toolName: 'catalog_get_entity', input: { ref } }
  // "which department is team-payments part of?": a group's place in the org is part of its description.
  if (toolName === 'graph_parts' && kind === 'group') return { toolName: 'catalog_get_entity', input: { ref } }
  if (toolName === 'graph_parts' && kind !== 'system' && kind !== 'domain') return { toolName: 'catalog_get_entity', input: { ref } }
  if ((toolName === 'graph_dependencies' || toolName === 'graph_dependents') && kind === 'group') return { toolName: 'graph_owned_by', input: { group: ref } }
  // "what's under the payment-processing system": what a system or domain holds are its parts.
  if (toolName === 'graph_owned_by' && (kind === 'system' || kind === 'domain')) return { toolName: 'graph_parts', input: { ref } }
  // "notification-preferences-service owner?": a service owns nothing; asked about owning, it is asked who owns it.
  if (toolName === 'graph_owned_by' && asksOwner && ['component', 'resource', 'api'].includes(kind)) return { toolName: 'catalog_who_owns', input: { ref } }
  if (toolName === 'graph_owned_by' && kind !== 'group') return { toolName: 'catalog_get_entity', input: { ref } }
  return undefined
}

const KIND_NOUNS = new Set(['team', 'squad', 'folks', 'people', 'service', 'svc', 'api', 'db', 'database', 'system', 'domain', 'resource', 'component', 'cache', 'queue', 'bucket', 'website', 'library', 'app'])

/** "that team", "this service": a kind word after a demonstrative stands for an entity already named, like "it". */

/** "and the db?", "what about its cache": the same question about a thing of that kind next to the one asked about. */
const KIND_FOLLOW_UP = /^\s*(?:and|what about|how about|same for)\s+(?:the|its|their)\s+(db|database|cache|queue|bucket|topic)(?:\s+one)?\s*$/i
const TYPE_OF_NOUN: Record<string, string> = { db: 'database', database: 'database', cache: 'cache', queue: 'queue', bucket: 'bucket', topic: 'topic' }

/** The one entity of a kind (a database, a cache) that a subject uses, or failing that, that shares its name's stem. */
function relatedOfKind(index: CatalogIndex, subject: string, noun: string): string | undefined {
  const kind = KIND_WORDS[noun]
  const type = TYPE_OF_NOUN[noun]
  const fits = (ref: string) => ref.startsWith(`${kind}:`) && (!type || (index.get(ref)?.spec as { type?: string } | undefined)?.type === type)
  const used = [...new Set(index.relationsOf(subject).map((relation) => relation.targetRef).filter(fits))]
  if (used.length === 1) return used[0]
  const stem = subject.slice(subject.lastIndexOf('/') + 1).split('-')[0]!
  const named = [...index.refsOfKind(kind!)].filter((ref) => fits(ref) && new RegExp(`^${stem}s?-`).test(ref.slice(ref.lastIndexOf('/') + 1)))
  return named.length === 1 ? named[0] : undefined
}

/** The entities in view, those of the kind a demonstrative names first ("what else relies on that db?", "is the cache one ok?"). */
function referredFirst(part: string, refs: string[]): string[] {
  const noun = (/\b(?:that|this|the same|said)\s+([a-z]+)\b/i.exec(part) ?? /\bthe\s+([a-z]+)\s+one\b/i.exec(part))?.[1]?.toLowerCase()
  const kind = noun ? KIND_WORDS[noun] : undefined
  if (!kind) return refs
  return [...refs.filter((ref) => ref.startsWith(`${kind}:`)), ...refs.filter((ref) => !ref.startsWith(`${kind}:`))]
}

const TIME_WORDS = new Set(['today', 'now', 'rn', 'yesterday', 'tonight', 'recently', 'lately', 'this', 'last', 'past', 'week', 'month', 'morning', 'afternoon', 'evening', 'night', 'hour', 'hours', 'so', 'far', 'yet', 'pls', 'please'])

function demonstrativesAsPronouns(tokens: string[]): string[] {
  // "who owns that?": a demonstrative that ends the question stands for what was just said.
  // "what does that depend on?": a demonstrative after an auxiliary is the subject, as "it" would be.
  const afterAuxiliary = (position: number) => ['does', 'do', 'did', 'is', 'was', 'will', 'would', 'can', 'could', 'has'].includes(tokens[position - 1] ?? '')
  // "any anomalies on that today?": a demonstrative after a preposition, with only a time after it.
  const beforeTime = (position: number) => ['on', 'for', 'of', 'with', 'about', 'in', 'to'].includes(tokens[position - 1] ?? '') && tokens.slice(position + 1).every((token) => TIME_WORDS.has(token))
  // "what does my team own?" after "took over as EM for Recommendations": the team in view.
  return tokens.map((token, position) => ((KIND_NOUNS.has(token) && (['that', 'this', 'same'].includes(tokens[position - 1] ?? '') || (tokens[position - 1] === 'the' && tokens[position + 1] === 'one') || (['my', 'our'].includes(tokens[position - 1] ?? '') && ['team', 'squad'].includes(token)))) || (['that', 'this'].includes(token) && position > 0 && (position === tokens.length - 1 || afterAuxiliary(position) || beforeTime(position))) ? 'it' : token))
}

/** "the payments team", "payments-db database": the kind word belongs to the name, not to the intent. */
function widenOverKindWord(tokens: string[], mention: Mention): { start: number; end: number } {
  let { start, end } = mention
  if (KIND_NOUNS.has(tokens[end] ?? '')) end++
  else if (KIND_NOUNS.has(tokens[start - 1] ?? '')) start--
  return { start, end }
}

/** A tool that answers without an entity (incidents, cycles, the audit log), as opposed to lookups and lists of the catalog. */
function needsNoEntity(name: string, tools: Map<string, ToolDefinition>): boolean {
  if (['search', 'catalog_query', 'catalog_get_entity', 'docs_get'].includes(name)) return false
  const tool = tools.get(name)
  return tool !== undefined && (ENTITY_SLOTS[name] ?? genericSlots(tool)).length === 0
}

/** The question that follows a statement of context in one clause ("I found a bug in tax-service, who do I raise it with?"). */
function askedAfterContext(part: string): string | undefined {
  // The context may run over several commas ("memory keeps creeping up, I'd like to warn its owners - who are they?").
  const match = /^(?:[^;:]{12,}?)(?:[,;:]|\s[-–—])\s+((?:who|whom|whose|what|whats|what's|which|where|how|why|when|is|are|does|do|can|could|should|will|any)\b.*)$/i.exec(part)
  return match?.[1]
}

/** Whether a tool's input has a place for an entity at all, required or not. */
function takesEntity(tool: ToolDefinition | undefined): boolean {
  const shape = (tool?.input as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {}
  return Object.keys(shape).some((name) => ENTITY_INPUT.test(name))
}

const ENTITY_INPUT = /^(ref|entity|service|component|from|to|group|team|target)$/

/** For tools the planner has no special knowledge of: string inputs that name entities, in schema order. */
function genericSlots(tool: ToolDefinition): Array<{ slot: string }> {
  const shape = (tool.input as unknown as { shape?: Record<string, { def?: { type?: string }; isOptional?: () => boolean }> }).shape ?? {}
  return Object.entries(shape)
    .filter(([name, schema]) => ENTITY_INPUT.test(name) && !schema.isOptional?.())
    .map(([name]) => ({ slot: name }))
}
