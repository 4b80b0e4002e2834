import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { resolveMention, type Mention } from './entity-linker.ts'

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

/** Filters for catalog_query from the words of a question (spelling already corrected). */
export function queryFilters(text: string, original: string, mentions: Mention[], index: CatalogIndex): Record<string, unknown> {
  const lower = text.toLowerCase()
  const input: Record<string, unknown> = {}
  // "kafka-tagged bits": the tag said before the word, else after it ("tagged kafka").
  const tagMatch = /\b([a-z0-9+#]+(?:-[a-z0-9+#]+)*)-tagged\b/.exec(original.toLowerCase()) ?? /\b(?:tagged(?: with)?|with (?:the )?tag|tag)\s+["']?([a-z0-9:+#-]+)/.exec(original.toLowerCase()) ?? /\b([a-z0-9+#-]+) tagged\b/.exec(original.toLowerCase())
  const apiType = API_TYPES.find((type) => new RegExp(`\\b${type}\\b`).test(lower))
  const named = KIND_WORDS.filter(([pattern]) => pattern.test(lower)).map(([, filter]) => filter)
  // "components, APIs and resources": several kinds of parts named are all of them, no one kind.
  const partKinds = new Set(named.map((filter) => filter.kind).filter((kind) => kind === 'component' || kind === 'api' || kind === 'resource'))
  const first = named[0]
  if (first && partKinds.size <= 1) {
    if (first.kind) input.kind = first.kind
    if (first.type) input.type = first.type
  }
  if (apiType) {
    input.kind = 'api'
    input.type = apiType
  }
  const lifecycle = /\b(production|prod|experimental|deprecated)\b/.exec(lower)
  if (lifecycle) input.lifecycle = lifecycle[1] === 'prod' ? 'production' : lifecycle[1]
  const mentioned = new Set(mentions.flatMap((mention) => mention.text.split(' ')))
  if (tagMatch) input.tag = tagMatch[1]
  else {
    // Any word that is a tag in the catalog ("go services", "java components", "tier-1 apis").
    const candidates = original.toLowerCase().match(/[a-z0-9][a-z0-9+#-]*/g) ?? []
    const tag = candidates.find((word) => !mentioned.has(word) && !/^(service|services|api|apis|rest)$/.test(word) && index.withValue('metadata.tags', word).size > 0 && !(lifecycle && word === lifecycle[1]) && word !== input.type)
    const language = /\b(?:written in|in|using)\s+(golang|go|java|kotlin|python|node|typescript|rust|scala|ruby)\b/.exec(lower)
    if (language) input.tag = language[1] === 'golang' ? 'go' : language[1]
    else if (tag) input.tag = tag
  }
  for (const mention of mentions) {
    const owner = resolveMention(mention, { onlyKinds: ['group'] }, index)
    if (owner && 'ref' in owner && owner.ref.startsWith('group:')) {
      input.owner = owner.ref
      continue
    }
    const system = resolveMention(mention, { onlyKinds: ['system'] }, index)
    if (system && 'ref' in system && system.ref.startsWith('system:')) input.system = system.ref
  }
  const quoted = QUOTED.exec(original)
  const textFilter = quoted?.[1] ?? TEXT_SEARCH.exec(original.toLowerCase())?.[1]
  if (textFilter) input.text = textFilter.trim()
  return input
}

/** A quoted term: the quote opens after a space or the start and closes before a space, punctuation or the end. */
export const QUOTED = /(?:^|\s)["'‘“]([^"'’”]{2,40})["'’”](?=$|[\s?.!,])/
// "how risky is it looking for the next few hours": looking ahead, not looking for text.
export const TEXT_SEARCH = /\b(?:matching|containing|mentioning|mentions?(?!\s+(?:in|on|at|to|it|that|this|them)\b)|search(?: the catalog)? for|look(?:ing)? for(?!\s+(?:the\s+)?(?:next|coming|rest of|whatever|what|anything|something|cause|reason|culprit|tonight|today|tomorrow|weekend|this)\b))\s+([a-z0-9][a-z0-9 -]{1,40}?)\s*[?.!]*$/

/** Whether a question asks for a list narrowed by attributes (lifecycle, tag, a resource or component type). */
export function hasAttributeFilter(filters: Record<string, unknown>): boolean {
  return filters.lifecycle !== undefined || filters.tag !== undefined || filters.text !== undefined || (filters.type !== undefined && filters.type !== 'service')
}

/** Plural kind words: a list is asked for. */
export const PLURAL_KINDS = /\b(services|components|apis|resources|databases|systems|caches|queues|buckets|websites|libraries|entities|assets|repos|repositories)\b/
