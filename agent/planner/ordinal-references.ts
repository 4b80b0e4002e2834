import { INCIDENT_ID } from './signal-arguments.ts'

const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 }
const COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, both: 2 }
const REF = /\b(?:component|api|resource|system|domain|group|user|template):[a-z0-9._-]+\/[a-z0-9_-]+(?:\.[a-z0-9_-]+)*/gi
const INCIDENT = new RegExp(INCIDENT_ID.source, 'gi')
/** "the second one", "the 3rd service", "the third pls": an ordinal with a noun, or said after "the" on its own. */
const ORDINAL_PHRASE = /\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d{1,2}(?:st|nd|rd|th))\s+(?:one|entry|item|result|match|api|service|component|resource|system|team|incident)\b|\bthe\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\b(?=\s*(?:[?.!,]|$|\s+(?:pls|please|plz)\b))|\bthe\s+(?:one\s+)?in\s+the\s+(middle)\b|\bthe\s+(middle)\s+one\b/gi
/** "restart those two", "both of them": every entity of a list that long. */
const ALL_OF_THEM = /\b(?:those|these|the|both of the)\s+(two|three|four)\b(?:\s+(?:ones|services|of them))?|\bboth(?:\s+of\s+(?:them|those|these))?\b(?!\s+(?:are|is|and)\b)/gi

/**
 * The entities an answer listed, in order: the first reference of each list line when the answer is a list,
 * else every reference in order of appearance, without the owners and people named beside them.
 */
export function listedRefs(answer: string): string[] {
  const lines = answer.split('\n').filter((line) => /^\s*(?:[-•*]|\d+[.)])\s+/.test(line))
  const refs = lines.length > 0 ? lines.flatMap((line) => (line.match(REF) ?? []).slice(0, 1)) : (answer.match(REF) ?? [])
  const lowered = [...new Set(refs.map((ref) => ref.toLowerCase()))]
  const things = lowered.filter((ref) => !ref.startsWith('group:') && !ref.startsWith('user:'))
  return things.length > 0 ? things : lowered
}

/**
 * "Which team owns the second one?" after a list: the second entity of that list, by its reference. After a list
 * of incidents, "details on the first one" is the first incident.
 */
export function resolveOrdinals(question: string, previousAnswer: string | undefined): string {
  if (!previousAnswer) return question
  const refs = listedRefs(previousAnswer)
  const incidents = [...new Set(previousAnswer.match(INCIDENT)?.map((id) => id.toLowerCase()) ?? [])]
  const listOf = (noun: string) => (incidents.length >= 2 && /^(?:one|incident)?$/i.test(noun) ? incidents : refs)
  const resolved = question.replace(ORDINAL_PHRASE, (phrase, ordinal?: string, bare?: string, middle?: string, middleOne?: string) => {
    const word = (ordinal ?? bare ?? middle ?? middleOne)!.toLowerCase()
    const listed = listOf(ordinal ? (/\s(\w+)$/.exec(phrase)?.[1] ?? '') : '')
    if (listed.length === 0) return phrase
    const position = word === 'last' ? listed.length : word === 'middle' ? (listed.length % 2 === 1 ? (listed.length + 1) / 2 : 0) : (ORDINALS[word] ?? Number.parseInt(word, 10))
    return listed[position - 1] ?? phrase
  })
  return resolved.replace(ALL_OF_THEM, (phrase, count?: string) => {
    const wanted = COUNTS[(count ?? 'both').toLowerCase()]!
    return refs.length === wanted ? refs.join(' and ') : phrase
  })
}
