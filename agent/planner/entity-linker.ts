import { editDistance } from '../../core/text/edit-distance.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { ENGLISH_WORDS, KNOWN_VOCABULARY, words } from './words.ts'

/** How strongly a surface form names an entity: its name, its title or alias, or part of its name. */
type Strength = 3 | 2 | 1

interface Surface {
  ref: string
  strength: Strength
}

export interface Mention {
  /** Word positions [start, end) in the question. */
  start: number
  end: number
  text: string
  /** Candidate references, best first, with the strength of the match (typos lose a little). */
  candidates: Array<{ ref: string; score: number }>
  /** A kind the words around the mention imply ("team payments" → group). */
  kindHint?: string
}

/** Words that, after or before a name, say what kind of thing it is. */
export const KIND_WORDS: Record<string, string> = {
  team: 'group', squad: 'group', group: 'group', department: 'group', org: 'group', people: 'group', folks: 'group', crew: 'group',
  service: 'component', svc: 'component', microservice: 'component', website: 'component', library: 'component', app: 'component', component: 'component',
  api: 'api', apis: 'api', endpoint: 'api',
  database: 'resource', db: 'resource', cache: 'resource', queue: 'resource', bucket: 'resource', topic: 'resource', resource: 'resource', table: 'resource',
  system: 'system', domain: 'domain', user: 'user', person: 'user', engineer: 'user',
}

/** Name parts too generic to name an entity on their own. */
const GENERIC_PARTS = new Set(['service', 'svc', 'api', 'apis', 'rest', 'grpc', 'db', 'team', 'the', 'app', 'web', 'engineering', 'system', 'domain', 'v1', 'v2', 'default'])

/** Words that name kinds, lifecycles or "things" in general: never fuzzy-matched to an entity. */
const NEVER_NAMES = new Set(['services', 'websites', 'website', 'databases', 'database', 'apis', 'teams', 'systems', 'domains', 'resources', 'resource', 'components', 'component', 'caches', 'cache', 'queues', 'queue', 'buckets', 'bucket', 'libraries', 'library', 'users', 'people', 'entities', 'entity', 'everything', 'stuff', 'things', 'experimental', 'production', 'deprecated', 'groups', 'group', 'members', 'owners', 'owner', 'catalog', 'depends', 'dependencies', 'dependents'])

/** The surface forms of every entity in the catalog, rebuilt when the catalog changes. */
export class EntityLexicon {
  private readonly surfaces = new Map<string, Surface[]>()
  private readonly byWordCount = new Map<number, string[]>()
  readonly revision: number

  constructor(index: CatalogIndex) {
    this.revision = index.revision
    for (const ref of index.refs()) {
      if (ref.startsWith('location:')) continue
      const entity = index.getStored(ref)!.entity
      const spec = (entity.spec ?? {}) as { profile?: { displayName?: string } }
      const nameWords = words(entity.metadata.name)
      this.add(nameWords.join(' '), ref, 3)
      for (const text of [entity.metadata.title, spec.profile?.displayName]) if (text) this.add(words(text).join(' '), ref, 2)
      for (const alias of (entity.metadata.annotations?.['next-portal.io/aliases'] ?? '').split(',')) if (alias.trim()) this.add(words(alias).join(' '), ref, 2)
      // "cart" for cart-service, "payments" for team-payments: the name without its generic parts.
      const core = nameWords.filter((word) => !GENERIC_PARTS.has(word))
      if (core.length > 0 && core.length < nameWords.length) this.add(core.join(' '), ref, 1)
      // "the search index" for product-search-index: two or more words in a row of a longer name.
      for (let length = 2; length < nameWords.length; length++) {
        for (let start = 0; start + length <= nameWords.length; start++) {
          const part = nameWords.slice(start, start + length)
          if (!GENERIC_PARTS.has(part[0]!)) this.add(part.join(' '), ref, 1)
        }
      }
      if (ref.startsWith('user:') && spec.profile?.displayName) this.add(words(spec.profile.displayName)[0]!, ref, 1)
    }
    for (const surface of this.surfaces.keys()) {
      const count = surface.split(' ').length
      const list = this.byWordCount.get(count) ?? []
      list.push(surface)
      this.byWordCount.set(count, list)
    }
  }

  private add(surface: string, ref: string, strength: Strength): void {
    if (!surface) return
    const list = this.surfaces.get(surface) ?? []
    const existing = list.find((item) => item.ref === ref)
    if (existing) existing.strength = Math.max(existing.strength, strength) as Strength
    else list.push({ ref, strength })
    this.surfaces.set(surface, list)
  }

  /** Exact surface matches, else close ones (one edit, two for long names), each with a score. */
  lookup(phrase: string, { fuzzy = true }: { fuzzy?: boolean } = {}): Array<{ ref: string; score: number }> {
    const exact = this.surfaces.get(phrase)
    if (exact) return exact.map((item) => ({ ref: item.ref, score: item.strength }))
    if (!fuzzy || phrase.replace(/ /g, '').length < 5) return []
    // Typos within words, not other words: "that billing" is not "team billing".
    const limit = phrase.length >= 14 ? 2 : 1
    const out: Array<{ ref: string; score: number }> = []
    for (const surface of this.byWordCount.get(phrase.split(' ').length) ?? []) {
      const distance = editDistance(surface, phrase, limit)
      if (distance <= limit) for (const item of this.surfaces.get(surface)!) out.push({ ref: item.ref, score: item.strength - 0.5 * distance })
    }
    return out
  }
}

const lexicons = new WeakMap<CatalogIndex, EntityLexicon>()

export function lexiconFor(index: CatalogIndex): EntityLexicon {
  let lexicon = lexicons.get(index)
  if (!lexicon || lexicon.revision !== index.revision) {
    lexicon = new EntityLexicon(index)
    lexicons.set(index, lexicon)
  }
  return lexicon
}

/**
 * Finds the entities a question names: longest phrases first, names before titles before partial names,
 * typos forgiven. Never invents: a phrase that matches nothing is not a mention.
 */
export function linkEntities(index: CatalogIndex, text: string): Mention[] {
  const lexicon = lexiconFor(index)
  const tokens = words(text)
  const mentions: Mention[] = []
  const taken = new Array<boolean>(tokens.length).fill(false)
  // A reference written out in full ("system:default/api-platform") is taken as it is.
  for (const match of text.matchAll(/\b([a-z]+):([a-z0-9-]+)\/([a-z0-9._-]+)/gi)) {
    const ref = match[0].toLowerCase()
    if (!index.has(ref)) continue
    const start = words(text.slice(0, match.index)).length
    const end = start + words(match[0]).length
    mentions.push({ start, end, text: words(match[0]).join(' '), candidates: [{ ref, score: 4 }] })
    for (let position = start; position < end; position++) taken[position] = true
  }
  // Names of several words first (exact, then with typos), then single words: "fraud-chek" is the
  // fraud-check service, not the fraud team followed by a stray word.
  const passes: Array<{ fuzzy: boolean; lengths: number[] }> = [
    { fuzzy: false, lengths: [5, 4, 3, 2] },
    { fuzzy: true, lengths: [5, 4, 3, 2] },
    { fuzzy: false, lengths: [1] },
    { fuzzy: true, lengths: [1] },
  ]
  for (const { fuzzy, lengths } of passes)
  for (const length of lengths.filter((item) => item <= tokens.length)) {
    for (let start = 0; start + length <= tokens.length; start++) {
      if (taken.slice(start, start + length).some(Boolean)) continue
      const phraseWords = tokens.slice(start, start + length)
      let candidates = lexicon.lookup(phraseWords.join(' '), { fuzzy })
      if (length === 1) {
        const word = phraseWords[0]!
        if (word.length < 2) continue
        // "review my PR": an everyday word spelt right is not a typo of a name ("reviews").
        if (fuzzy && ENGLISH_WORDS.has(word)) continue
        // "catalog" is a word, "the catalog team" a name: a kind word next to it says which.
        const hintedKind = KIND_WORDS[tokens[start + 1] ?? ''] ?? KIND_WORDS[tokens[start - 1] ?? '']
        if (NEVER_NAMES.has(word)) candidates = candidates.filter((candidate) => candidate.score >= 3 || (hintedKind !== undefined && candidate.ref.startsWith(`${hintedKind}:`)))
        // A common word ("web", "search") names an entity only when it is that entity's exact name, and not
        // when it is the verb of the sentence ("search for…").
        const kindWordNext = KIND_WORDS[tokens[start + 1] ?? ''] !== undefined || KIND_WORDS[tokens[start - 1] ?? ''] !== undefined
        if ((GENERIC_PARTS.has(word) || KNOWN_VOCABULARY.has(word) || word.length < 3) && !kindWordNext) {
          if (start === 0 || ['for', 'all', 'the', 'every'].includes(tokens[start + 1] ?? '')) continue
          // Only an exact name makes it a mention; the other candidates stay so that ambiguity shows.
          if (!candidates.some((candidate) => candidate.score >= 3)) continue
        }
      }
      if (candidates.length === 0) continue
      const merged = new Map<string, number>()
      for (const candidate of candidates) merged.set(candidate.ref, Math.max(merged.get(candidate.ref) ?? 0, candidate.score))
      const before = tokens[start - 1]
      const after = tokens[start + length]
      // "owned by Storefront", "run by payments": only a team owns or runs things.
      const ownedBy = before === 'by' && /^(?:owned|owns|run|maintained|managed|built)$/.test(tokens[start - 2] ?? '')
      const kindHint = (after && KIND_WORDS[after]) || (before && KIND_WORDS[before]) || (ownedBy ? 'group' : undefined)
      mentions.push({
        start,
        end: start + length,
        text: phraseWords.join(' '),
        candidates: [...merged.entries()].map(([ref, score]) => ({ ref, score })).sort((a, b) => b.score - a.score || a.ref.localeCompare(b.ref)),
        kindHint,
      })
      for (let position = start; position < start + length; position++) taken[position] = true
    }
  }
  return mentions.sort((a, b) => a.start - b.start)
}

export type Resolution = { ref: string } | { ambiguous: string[] } | undefined

/**
 * Picks the entity a mention means for a slot that prefers some kinds. A clear best wins; a tie between the
 * strongest candidates is ambiguous and the caller asks back.
 */
export function resolveMention(mention: Mention, { preferKinds = [], onlyKinds = [] }: { preferKinds?: string[]; onlyKinds?: string[] } = {}, index?: CatalogIndex): Resolution {
  const kindOf = (ref: string) => ref.slice(0, ref.indexOf(':'))
  let candidates = mention.candidates
  // A slot that only makes sense for some kinds (dependencies of a service, not of a system) narrows first,
  // unless the words say the kind ("the payments team").
  const hinted = mention.kindHint ? candidates.filter((candidate) => kindOf(candidate.ref) === mention.kindHint) : []
  if (onlyKinds.length > 0 && hinted.length === 0) {
    const fitting = candidates.filter((candidate) => onlyKinds.includes(kindOf(candidate.ref)))
    if (fitting.length > 0) candidates = fitting
  }
  if (mention.kindHint) {
    const hinted = candidates.filter((candidate) => kindOf(candidate.ref) === mention.kindHint)
    if (hinted.length > 0) candidates = hinted
    // "the payments team": among groups, teams before departments.
    if (mention.kindHint === 'group' && index && hinted.length > 1) {
      const teams = hinted.filter((candidate) => (index.getStored(candidate.ref)?.entity.spec as { type?: string } | undefined)?.type === 'team')
      if (teams.length > 0) candidates = teams
    }
  }
  if (candidates.length === 0) return undefined
  const best = candidates[0]!.score
  const top = candidates.filter((candidate) => candidate.score === best)
  // One bare word that is one entity's name and part of others' ("search": the system, search-service,
  // team-search) is a question for the user, as are equally good names of different entities.
  const bareWord = !mention.text.includes(' ') && !mention.kindHint
  const exact = mention.candidates.filter((candidate) => candidate.score === 3)
  // Unless the slot leaves one entity it fits: "roll back the storefront" can only mean the one component of that name.
  const onlyFit = onlyKinds.length > 0 && candidates.length === 1 && !exact.some((candidate) => candidate.ref === candidates[0]!.ref)
  if (bareWord && exact.length > 0 && mention.candidates.length > 1 && !onlyFit) return { ambiguous: mention.candidates.slice(0, 5).map((candidate) => candidate.ref) }
  // Part of a name only ("the ledger"): the slot's preferred kind decides between a service and its API.
  if (top.length > 1 && best < 3) {
    for (const kind of preferKinds) {
      const preferred = top.filter((candidate) => kindOf(candidate.ref) === kind)
      if (preferred.length === 1) return { ref: preferred[0]!.ref }
    }
  }
  return top.length === 1 ? { ref: top[0]!.ref } : { ambiguous: top.map((candidate) => candidate.ref) }
}
